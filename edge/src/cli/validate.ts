/**
 * Validation of an original before it is uploaded or rendered in bulk.
 */
import type { EdgeConfig } from '../config.js';
import { probe, render } from '../engine/index.js';

/**
 * Checks that `body` is an image vetrina can render: the header check of the engine
 * (empty, unknown format, HEIC without decoder, pixel and byte limits) plus a decode of the
 * whole file at a small size, which is what catches a truncated JPEG. Returns the sniffed
 * format; throws the engine's `VetrinaError` otherwise.
 */
export async function validateOriginal(body: Buffer, config: EdgeConfig): Promise<string> {
  const info = await probe(body, config);
  await render(body, { width: 64, fit: 'inside', quality: 50, format: 'jpeg' }, config);
  return info.format;
}
