import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { OutputFormat } from '../../../sdk/ts/src/config.js';
import { DEFAULT_CONFIG, resolveConfig } from '../../src/config.js';
import { render } from '../../src/engine/index.js';
import { decode, fixture, inside, isRed, near, pixel } from './helpers.js';

const LOSSY: readonly OutputFormat[] = ['jpeg', 'webp', 'avif'];

describe('render: colour', () => {
  it('stores the Display-P3 fixture as P3 values with a profile', async () => {
    const stored = await sharp(fixture('p3-green.jpg'), { ignoreIcc: true }).raw().toBuffer();

    expect(near([...stored.subarray(0, 3)], [117, 251, 76], 3)).toBe(true);
  });

  it.each(LOSSY)('converts Display-P3 green to sRGB (0,255,0) without a profile in %s (case 5)', async (format) => {
    const image = await render(fixture('p3-green.jpg'), inside(32, format), DEFAULT_CONFIG);

    const meta = await sharp(image.data).metadata();
    expect(near(await pixel(image.data, 0, 0), [0, 255, 0])).toBe(true);
    expect(meta.icc).toBeUndefined();
  });

  it('flattens a transparent PNG onto white for JPEG: (0,0) white, (16,12) red (case 6)', async () => {
    const image = await render(fixture('logo-alpha.png'), inside(32), DEFAULT_CONFIG);

    const corner = await pixel(image.data, 0, 0);
    expect(corner.slice(0, 3).every((channel) => channel >= 245)).toBe(true);
    expect(isRed(await pixel(image.data, 16, 12))).toBe(true);
    expect((await sharp(image.data).metadata()).channels).toBe(3);
  });

  it('flattens onto the configured background for JPEG', async () => {
    const config = resolveConfig({ background: '#336699' });

    const image = await render(fixture('logo-alpha.png'), inside(32), config);

    expect(near(await pixel(image.data, 0, 0), [0x33, 0x66, 0x99])).toBe(true);
  });

  it.each(['webp', 'png', 'avif'] as const)(
    'keeps alpha in %s: (0,0) transparent, (16,12) red (case 6)',
    async (format) => {
      const image = await render(fixture('logo-alpha.png'), inside(32, format), DEFAULT_CONFIG);

      const px = await decode(image.data);
      expect(px.at(0, 0)[3]).toBe(0);
      expect(isRed(px.at(16, 12))).toBe(true);
      expect(px.at(16, 12)[3]).toBe(255);
    },
  );

  it('renders a 16-bit RGB PNG as 8-bit red and blue, no black (case 7)', async () => {
    const image = await render(fixture('rgb16.png'), inside(32), DEFAULT_CONFIG);

    const px = await decode(image.data);
    const [r0 = 0, g0 = 0, b0 = 0] = px.at(0, 0);
    const [, , b31 = 0] = px.at(31, 0);
    expect((await sharp(image.data).metadata()).depth).toBe('uchar');
    expect(r0 >= 240 && g0 <= 15 && b0 <= 15).toBe(true);
    expect(b31).toBeGreaterThanOrEqual(240);
    expect(await darkestPixel(image.data)).toBeGreaterThan(100);
  });

  it('flattens a 16-bit half-transparent red PNG onto white as (255,128,128), not (128,0,0) (case 7)', async () => {
    const image = await render(fixture('rgba16.png'), inside(32), DEFAULT_CONFIG);

    expect(near(await pixel(image.data, 0, 0), [255, 128, 128])).toBe(true);
    expect(await darkestPixel(image.data)).toBeGreaterThan(100);
  });

  it('writes a 16-bit PNG original as an 8-bit PNG rendition', async () => {
    const image = await render(fixture('rgb16.png'), inside(32, 'png'), DEFAULT_CONFIG);

    const meta = await sharp(image.data).metadata();
    expect(meta.depth).toBe('uchar');
    expect(await pixel(image.data, 0, 0)).toEqual([255, 0, 0, 255]);
  });
});

async function darkestPixel(image: Buffer): Promise<number> {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  let darkest = 255;
  for (let i = 0; i < data.length; i += info.channels) {
    darkest = Math.min(darkest, Math.max(data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0));
  }
  return darkest;
}
