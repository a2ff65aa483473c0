/**
 * Process-wide sharp settings. They are set on purpose, once, before the first pipeline runs.
 */
import sharp from 'sharp';

/**
 * libvips threads per pipeline. A fixed number rather than the core count, because the AVIF
 * encoder's bytes depend on the thread count: with one value everywhere, the S3-event Lambda,
 * the on-demand handler, the backfill and the emulator make byte-identical renditions
 * (CASES 31). One thread also keeps glibc's per-thread malloc arenas from fragmenting a warm
 * Lambda's memory (CASES 32); parallelism comes from libuv running several pipelines at once.
 */
export const SHARP_THREADS = 1;

let configured = false;

/**
 * Applies the engine's sharp settings: {@link SHARP_THREADS} threads per pipeline and no
 * libvips operation cache. The cache is off because every request is a different image, so
 * it would only keep decoded pixels alive across warm invocations and grow RSS.
 *
 * Pixel limits are per pipeline (`limitInputPixels` from `config.limits.maxInputPixels`), not
 * set here. Idempotent: the engine calls it before its first pipeline, handlers may call it at
 * module load.
 */
export function configureSharp(): void {
  if (configured) return;

  sharp.concurrency(SHARP_THREADS);
  sharp.cache(false);
  configured = true;
}
