/**
 * A second opinion on an unexplained failure. libvips keeps ONE error buffer per process and
 * sharp empties it at the end of every pipeline, failed or not, so when pipelines run side by
 * side a decoder's "premature end of JPEG image" can be wiped before its own pipeline reads it,
 * and sharp reports "Unknown error". Classified by its message alone, a truncated original
 * would then be a 500 instead of a 422. The recheck decides from what the decoder does, not
 * from what it said.
 */
import sharp from 'sharp';
import { VetrinaError } from '../../../sdk/ts/src/errors.js';
import type { EdgeConfig } from '../config.js';
import { classifyFailure, isBudgetExceeded } from './failures.js';
import { loadOptions } from './pipeline.js';
import type { SourceInfo } from './types.js';

/** Width of the recheck's decode in px: small, so JPEG and WebP decode with shrink-on-load. */
const RECHECK_WIDTH = 64;

/** Rechecks run one after another, so a burst of failures costs one decode at a time. */
let queue: Promise<unknown> = Promise.resolve();

/**
 * Maps a failure of a pipeline on `input` to a catalogue error, like `classifyFailure`, and
 * when that can only say `RENDER_FAILED` (an unknown message, not a timeout) decodes the
 * original again, alone in the queue and at {@link RECHECK_WIDTH} px:
 *
 * - the strict decode (`failOn: 'error'`, the render policy) succeeds → the original is sound,
 *   the failure was the pipeline's own: `RENDER_FAILED` with the first error as cause;
 * - it fails, but a tolerant decode (`failOn: 'none'`) succeeds → the data is damaged or cut
 *   short: `ORIGINAL_CORRUPT`, whatever the messages said;
 * - both fail → the strict decode's message classified, when it explains more than the first.
 *
 * The decode reads the whole file (JPEG shrink-on-load still reads every scan), so a
 * truncation is found; it costs a small fraction of a render and runs only on failures.
 */
export async function explainFailure(
  error: unknown,
  input: Buffer,
  source: SourceInfo,
  config: EdgeConfig,
): Promise<VetrinaError> {
  const first = classifyFailure(error, source.format, config.limits.maxInputPixels);
  if (first.code !== 'RENDER_FAILED' || isBudgetExceeded(error)) return first;

  const run = queue.then(() => recheck(first, input, source, config));
  queue = run.catch(() => undefined);
  return run;
}

async function recheck(
  first: VetrinaError,
  input: Buffer,
  source: SourceInfo,
  config: EdgeConfig,
): Promise<VetrinaError> {
  const strict = await decodes(input, source, config, 'error');
  if (strict === true) return first;

  const tolerant = await decodes(input, source, config, 'none');
  if (tolerant === true) {
    return new VetrinaError(
      'ORIGINAL_CORRUPT',
      `original: truncated/corrupt ${source.format} data (decodes only when errors are ignored)`,
      { cause: first.cause },
    );
  }
  const second = classifyFailure(strict, source.format, config.limits.maxInputPixels);
  return second.code === 'RENDER_FAILED' ? first : second;
}

/** `true` when `input` decodes under `failOn`, otherwise the error it threw. */
async function decodes(
  input: Buffer,
  source: SourceInfo,
  config: EdgeConfig,
  failOn: 'error' | 'none',
): Promise<true | unknown> {
  const options = { ...loadOptions(source, config), failOn };
  try {
    await sharp(input, options).resize(RECHECK_WIDTH, RECHECK_WIDTH, { fit: 'inside' }).raw().toBuffer();
    return true;
  } catch (error) {
    return error;
  }
}
