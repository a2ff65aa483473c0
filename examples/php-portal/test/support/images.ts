/**
 * Facts about image bytes a browser received, read independently of the product's own
 * sniffing code so the tests do not grade vetrina with vetrina.
 */
import sharp from 'sharp';
import { WIDTH_LADDER } from '../../../../sdk/ts/src/config.js';
import { snapWidth } from '../../../../sdk/ts/src/widths.js';
import type { ImageResponse } from './browser.js';

/** The media type the magic bytes announce, or `unknown`. */
export function magicType(bytes: Buffer): string {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  // ISO-BMFF: `ftyp` box first, AVIF major brand.
  if (bytes.toString('latin1', 4, 8) === 'ftyp' && ['avif', 'avis'].includes(bytes.toString('latin1', 8, 12))) {
    return 'image/avif';
  }
  return 'unknown';
}

/** Pixel width of an encoded image (sharp decodes only the header). */
export async function pixelWidth(bytes: Buffer): Promise<number> {
  const { width } = await sharp(bytes).metadata();
  return width;
}

/** `px` snapped up to the width ladder (SPEC §3.2), capped at its top step. */
export function ladderCeil(px: number): number {
  return snapWidth(px) ?? (WIDTH_LADDER[WIDTH_LADDER.length - 1] as number);
}

/** Total body bytes of the successful responses. */
export function totalBytes(responses: readonly ImageResponse[]): number {
  return responses.filter((r) => r.status === 200).reduce((sum, r) => sum + r.bytes.length, 0);
}
