/**
 * Format sniffing from magic bytes. The key's extension and the stored content type are never
 * trusted: an iPhone HEIC named `.jpeg` is still HEIF (CASES 12).
 */
import type { SourceInfo } from './types.js';

/** ISO-BMFF brands of AV1 still images and sequences. */
const AVIF_BRANDS = new Set(['avif', 'avis']);
/** ISO-BMFF brands of HEVC-coded HEIF images and sequences, plus the generic image brands. */
const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1']);
/** The generic brands, which say "HEIF container" without naming the codec. */
const GENERIC_BRANDS = new Set(['mif1', 'msf1']);

/** How far into the file an SVG's root element may start (prolog, comments, doctype). */
const SVG_SCAN_BYTES = 4096;

/**
 * Names the image format of `bytes` from its signature alone, without decoding anything.
 *
 * JPEG is recognised by `FF D8 FF` whatever start-of-frame marker follows, so progressive
 * (SOF2) and arithmetic-coded (SOF9, SOF10) files pass (CASES 8). ISO-BMFF files are AVIF
 * when the major brand is `avif`/`avis`, or when it is the generic `mif1`/`msf1` and the
 * compatible brands list AVIF but no HEVC brand; other HEIF brands are `heif`. SVG is
 * recognised by a `<svg` root after an optional BOM, whitespace, XML declaration, comments
 * and doctype, within the first 4 KiB.
 *
 * @param bytes the whole original or at least its first 4 KiB
 * @returns the format, or `undefined` when the bytes are not an image this engine knows
 */
export function sniffFormat(bytes: Buffer): SourceInfo['format'] | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (startsWith(bytes, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'webp';
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'gif';
  // Classic TIFF (42) and BigTIFF (43), both byte orders.
  if (
    startsWith(bytes, 0, [0x49, 0x49, 0x2a, 0x00]) ||
    startsWith(bytes, 0, [0x4d, 0x4d, 0x00, 0x2a]) ||
    startsWith(bytes, 0, [0x49, 0x49, 0x2b, 0x00]) ||
    startsWith(bytes, 0, [0x4d, 0x4d, 0x00, 0x2b])
  ) {
    return 'tiff';
  }
  if (ascii(bytes, 4, 4) === 'ftyp') return sniffIsoBmff(bytes);
  return looksLikeSvg(bytes) ? 'svg' : undefined;
}

function sniffIsoBmff(bytes: Buffer): SourceInfo['format'] | undefined {
  const major = ascii(bytes, 8, 4);
  if (AVIF_BRANDS.has(major)) return 'avif';
  if (!HEIF_BRANDS.has(major)) return undefined;
  if (!GENERIC_BRANDS.has(major)) return 'heif';

  // The ftyp box: size, 'ftyp', major brand, minor version, then 4-byte compatible brands.
  const boxSize = Math.min(bytes.length >= 4 ? bytes.readUInt32BE(0) : 0, bytes.length, 256);
  const compatible: string[] = [];
  for (let at = 16; at + 4 <= boxSize; at += 4) compatible.push(ascii(bytes, at, 4));
  const hasAvif = compatible.some((brand) => AVIF_BRANDS.has(brand));
  const hasHevc = compatible.some((brand) => HEIF_BRANDS.has(brand) && !GENERIC_BRANDS.has(brand));
  return hasAvif && !hasHevc ? 'avif' : 'heif';
}

function looksLikeSvg(bytes: Buffer): boolean {
  let text = bytes.subarray(0, SVG_SCAN_BYTES).toString('utf8');
  if (text.startsWith('\uFEFF')) text = text.slice(1);

  let at = 0;
  for (;;) {
    while (at < text.length && /\s/.test(text.charAt(at))) at += 1;
    if (text.startsWith('<?', at)) {
      const end = text.indexOf('?>', at);
      if (end < 0) return false;
      at = end + 2;
    } else if (text.startsWith('<!--', at)) {
      const end = text.indexOf('-->', at);
      if (end < 0) return false;
      at = end + 3;
    } else if (text.startsWith('<!DOCTYPE', at)) {
      // An internal subset (`[...]`) may hold `>` characters; skip past its closing `]>`.
      const subset = text.indexOf('[', at);
      const close = text.indexOf('>', at);
      const end = subset >= 0 && subset < close ? text.indexOf(']>', subset) + 1 : close;
      if (end <= 0) return false;
      at = end + 1;
    } else {
      return /^<svg[\s>/]/.test(text.slice(at, at + 5));
    }
  }
}

function startsWith(bytes: Buffer, offset: number, signature: readonly number[]): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((byte, i) => bytes[offset + i] === byte);
}

function ascii(bytes: Buffer, offset: number, length: number): string {
  if (bytes.length < offset + length) return '';
  return bytes.toString('latin1', offset, offset + length);
}
