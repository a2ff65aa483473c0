/**
 * Validation of an original before it is uploaded or rendered in bulk.
 */
import { VetrinaError } from '../../../sdk/ts/src/errors.js';
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
  const decode = () => render(body, { width: 64, fit: 'inside', quality: 50, format: 'jpeg' }, config);
  try {
    await gate.shared(decode);
  } catch (error) {
    if (!(error instanceof VetrinaError && error.code === 'RENDER_FAILED')) throw error;
    // libvips keeps one error buffer per process: a pipeline that fails while others run can
    // lose its message to them and surface as "Unknown error". Alone, it tells the real reason.
    await gate.exclusive(decode);
  }
  return info.format;
}

/** Shared tasks run together; an exclusive one waits for them to drain and runs alone. */
const gate = (() => {
  let shared = 0;
  let exclusive: Promise<unknown> = Promise.resolve();
  let drained: (() => void) | undefined;

  return {
    async shared<T>(task: () => Promise<T>): Promise<T> {
      await exclusive;
      shared += 1;
      try {
        return await task();
      } finally {
        shared -= 1;
        if (shared === 0) drained?.();
      }
    },
    exclusive<T>(task: () => Promise<T>): Promise<T> {
      const run = exclusive.then(async () => {
        if (shared > 0) await new Promise<void>((resolve) => (drained = resolve));
        drained = undefined;
        return task();
      });
      exclusive = run.catch(() => undefined);
      return run;
    },
  };
})();
