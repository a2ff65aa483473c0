/**
 * Turns sharp's failures into catalogue errors (SPEC.md §11): what the original caused is a
 * 4xx with sharp's message kept as the cause; only the unexpected is `RENDER_FAILED`.
 */
import { VetrinaError } from '../../../sdk/ts/src/errors.js';
import type { SourceInfo } from './types.js';

/** Thrown inside the engine when a pipeline outlives its time budget. */
export class BudgetExceeded extends Error {
  constructor(readonly budgetMs: number) {
    super(`render: timed out after ${budgetMs} ms`);
    this.name = 'BudgetExceeded';
  }
}

/** Whether `error` (or its cause) is a missed time budget, from our timer or sharp's `timeout`. */
export function isBudgetExceeded(error: unknown): boolean {
  if (error instanceof BudgetExceeded) return true;
  if (error instanceof VetrinaError) return error.cause instanceof BudgetExceeded;
  return error instanceof Error && /^timeout: \d+% complete/.test(error.message);
}

/**
 * Maps an error thrown by sharp while reading or rendering an original of `format`.
 * Errors that already are {@link VetrinaError}s pass through.
 */
export function classifyFailure(error: unknown, format: SourceInfo['format'], maxInputPixels: number): VetrinaError {
  if (error instanceof VetrinaError) return error;

  const message = error instanceof Error ? error.message : String(error);
  const cause = { cause: error };
  if (error instanceof BudgetExceeded || isBudgetExceeded(error)) {
    return new VetrinaError('RENDER_FAILED', `render: timed out (${message})`, cause);
  }
  if (/pixel limit/i.test(message)) {
    return new VetrinaError('ORIGINAL_TOO_LARGE', `original: over the pixel limit of ${maxInputPixels} pixels`, cause);
  }
  if (format === 'heif' && /compression format|decoding plugin|not been built in/i.test(message)) {
    return new VetrinaError(
      'ORIGINAL_UNSUPPORTED',
      'original: unsupported: HEIC/HEVC, expected JPEG, PNG or AVIF',
      cause,
    );
  }
  if (format === 'jpeg' && /arithmetic/i.test(message)) {
    return new VetrinaError('ORIGINAL_UNSUPPORTED', 'original: unsupported JPEG variant (arithmetic coding)', cause);
  }
  if (/unsupported image format/i.test(message)) {
    return new VetrinaError(
      'ORIGINAL_UNSUPPORTED',
      `original: not an image sharp can read (${format} signature)`,
      cause,
    );
  }
  // Writers are named `...save`; everything else sharp reports about a buffer is the decoder's.
  if (
    !/save/i.test(message) &&
    /corrupt|premature|truncat|load|read error|bad seek|invalid|Vips\w+:|heif:/i.test(message)
  ) {
    return new VetrinaError(
      'ORIGINAL_CORRUPT',
      `original: truncated/corrupt ${format} data (${firstLine(message)})`,
      cause,
    );
  }
  return new VetrinaError('RENDER_FAILED', `render: ${firstLine(message)}`, cause);
}

function firstLine(message: string): string {
  const lines = message.split('\n').filter((line) => line.trim() !== '');
  return (lines.at(-1) ?? message).slice(0, 200);
}
