import { describe, expect, it } from 'vitest';
import { sniffFormat } from '../../src/engine/sniff.js';
import { fixture } from './helpers.js';

function ftyp(major: string, ...compatible: string[]): Buffer {
  const box = Buffer.alloc(16 + 4 * compatible.length);
  box.writeUInt32BE(box.length, 0);
  box.write(`ftyp${major}`, 4, 'latin1');
  compatible.forEach((brand, i) => {
    box.write(brand, 16 + 4 * i, 'latin1');
  });
  return box;
}

describe('sniffFormat', () => {
  it('classifies baseline, progressive, arithmetic and arithmetic-progressive JPEG as jpeg (case 8)', () => {
    const names = ['base.jpg', 'prog.jpg', 'arith.jpg', 'arith-prog.jpg'];

    const formats = names.map((name) => sniffFormat(fixture(name)));

    expect(formats).toEqual(['jpeg', 'jpeg', 'jpeg', 'jpeg']);
    expect(fixture('arith.jpg').includes(Buffer.from([0xff, 0xc9]))).toBe(true);
    expect(fixture('arith-prog.jpg').includes(Buffer.from([0xff, 0xca]))).toBe(true);
  });

  it('names PNG, GIF, WebP and TIFF from their signatures', () => {
    const webp = Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1');

    expect(sniffFormat(fixture('base.png'))).toBe('png');
    expect(sniffFormat(fixture('animated.gif'))).toBe('gif');
    expect(sniffFormat(webp)).toBe('webp');
    expect(sniffFormat(Buffer.from([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0]))).toBe('tiff');
    expect(sniffFormat(Buffer.from([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8]))).toBe('tiff');
  });

  it('names an HEVC HEIF file heif whatever its name says (case 12)', () => {
    expect(sniffFormat(fixture('car.heic'))).toBe('heif');
    expect(sniffFormat(ftyp('heix'))).toBe('heif');
    expect(sniffFormat(ftyp('mif1', 'mif1', 'heic'))).toBe('heif');
  });

  it('names avif, avis and a generic mif1 file that only lists AVIF as avif', () => {
    expect(sniffFormat(ftyp('avif', 'mif1', 'miaf'))).toBe('avif');
    expect(sniffFormat(ftyp('avis'))).toBe('avif');
    expect(sniffFormat(ftyp('mif1', 'avif', 'miaf'))).toBe('avif');
  });

  it('finds an SVG root after a BOM, whitespace, XML declaration, comment and doctype', () => {
    const svg = Buffer.from(
      '\uFEFF  \n<?xml version="1.0"?>\n<!-- made by hand -->\n<!DOCTYPE svg [ <!ENTITY a "b"> ]>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
    );

    expect(sniffFormat(svg)).toBe('svg');
    expect(sniffFormat(fixture('badge.svg'))).toBe('svg');
  });

  it('returns undefined for text, HTML, an ftyp of video and truncated signatures', () => {
    expect(sniffFormat(Buffer.from('hello world'))).toBeUndefined();
    expect(sniffFormat(Buffer.from('<html><svg></svg></html>'))).toBeUndefined();
    expect(sniffFormat(ftyp('isom', 'mp41'))).toBeUndefined();
    expect(sniffFormat(Buffer.from([0xff, 0xd8]))).toBeUndefined();
    expect(sniffFormat(Buffer.alloc(0))).toBeUndefined();
  });
});
