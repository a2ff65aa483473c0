/**
 * Reading an original's header: format, displayed size, alpha, frames, and the refusals that
 * must happen before any pixel is decoded (SPEC.md §11, CASES 10, 12, 13).
 */
import sharp from 'sharp';
import { VetrinaError } from '../../../sdk/ts/src/errors.js';
import type { EdgeConfig } from '../config.js';
import { classifyFailure } from './failures.js';
import { configureSharp } from './sharp-setup.js';
import { sniffFormat } from './sniff.js';
import type { SourceInfo } from './types.js';

/**
 * Reads what the engine needs to know about an original from its header alone.
 *
 * Checks, in order, each before any decoding:
 * 1. zero bytes → `ORIGINAL_EMPTY` ("empty object"), without calling sharp at all;
 * 2. more than `config.limits.maxInputBytes` bytes → `ORIGINAL_TOO_LARGE`;
 * 3. an unknown signature → `ORIGINAL_UNSUPPORTED` ("not an image");
 * 4. an unreadable header → `ORIGINAL_CORRUPT` ("truncated/corrupt");
 * 5. HEVC-coded HEIF → `ORIGINAL_UNSUPPORTED` ("unsupported: HEIC/HEVC"): sharp's prebuilt
 *    libvips reads the HEIF container but ships no HEVC decoder;
 * 6. width × height (of one frame) above `config.limits.maxInputPixels` →
 *    `ORIGINAL_TOO_LARGE` ("pixel limit"), read from the header, so a 20000×20000 PNG of a few
 *    KB is refused without allocating its 400 MP.
 *
 * A file whose header is sound but whose data is cut short passes here; `render` then
 * refuses it with `ORIGINAL_CORRUPT` (decoders only notice at the end of the data).
 *
 * @param input the original's bytes
 * @returns format, displayed width and height in px (after EXIF orientation; SVG at 72 dpi),
 *   alpha, frame count and byte size
 */
export async function probe(input: Buffer, config: EdgeConfig): Promise<SourceInfo> {
  if (input.length === 0) {
    throw new VetrinaError('ORIGINAL_EMPTY', 'original: empty object (0 bytes), expected an image');
  }
  const maxBytes = config.limits.maxInputBytes;
  if (input.length > maxBytes) {
    throw new VetrinaError('ORIGINAL_TOO_LARGE', `original: ${input.length} bytes, expected at most ${maxBytes} bytes`);
  }
  const format = sniffFormat(input);
  if (!format) {
    // The message reaches viewers and logs, so it names no bytes: a text file's first bytes
    // would be its content.
    throw new VetrinaError(
      'ORIGINAL_UNSUPPORTED',
      'original: not an image (no JPEG, PNG, WebP, AVIF, HEIF, GIF, TIFF or SVG signature)',
    );
  }

  configureSharp();
  let meta: sharp.Metadata;
  try {
    meta = await sharp(input, { failOn: 'error', limitInputPixels: false }).metadata();
  } catch (error) {
    throw classifyFailure(error, format, config.limits.maxInputPixels);
  }

  if (format === 'heif' && meta.compression === 'hevc') {
    throw new VetrinaError('ORIGINAL_UNSUPPORTED', 'original: unsupported: HEIC/HEVC, expected JPEG, PNG or AVIF');
  }
  // Animated images: the frame is `pageHeight` high, and only the first frame is rendered.
  const animated = (meta.pages ?? 1) > 1 && meta.pageHeight !== undefined;
  const width = animated ? meta.width : (meta.autoOrient?.width ?? meta.width);
  const height = animated ? meta.pageHeight : (meta.autoOrient?.height ?? meta.height);
  if (!width || !height) {
    throw new VetrinaError('ORIGINAL_CORRUPT', `original: truncated/corrupt ${format} header (no dimensions)`);
  }
  const maxPixels = config.limits.maxInputPixels;
  if (width * height > maxPixels) {
    throw new VetrinaError(
      'ORIGINAL_TOO_LARGE',
      `original: ${width}×${height} px is over the pixel limit of ${maxPixels} pixels`,
    );
  }

  return { format, width, height, hasAlpha: meta.hasAlpha, pages: meta.pages ?? 1, bytes: input.length };
}
