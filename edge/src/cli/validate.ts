/**
 * Validation of an original before it is uploaded or rendered in bulk.
 */
import type { EdgeConfig } from '../config.js';
import { probe, render, type SourceInfo } from '../engine/index.js';

/** The Content-Type an original of each sniffed format is uploaded with. */
export const ORIGINAL_MIME: Readonly<Record<SourceInfo['format'], string>> = Object.freeze({
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
  gif: 'image/gif',
  tiff: 'image/tiff',
  svg: 'image/svg+xml',
  heif: 'image/heif',
});

/**
 * Checks that `body` is an image vetrina can render: the engine's header checks (empty,
 * unknown format, HEIC without decoder, pixel and byte limits of `config.limits`) plus a
 * decode of the whole file at 64 px, which is what catches a truncated JPEG. Returns the
 * sniffed format (the bytes decide it, never the file name).
 *
 * @throws VetrinaError `ORIGINAL_EMPTY`, `ORIGINAL_UNSUPPORTED`, `ORIGINAL_CORRUPT`,
 *   `ORIGINAL_TOO_LARGE`, or `RENDER_FAILED` when the engine fails on an accepted image
 */
export async function validateOriginal(body: Buffer, config: EdgeConfig): Promise<SourceInfo['format']> {
  const info = await probe(body, config);
  // The engine re-checks an unexplained failure on its own (libvips can lose an error message
  // while other pipelines run), so the code it throws is the real one.
  await render(body, { width: 64, fit: 'inside', quality: 50, format: 'jpeg' }, config);
  return info.format;
}
