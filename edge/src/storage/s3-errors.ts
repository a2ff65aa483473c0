/**
 * How S3's answers map onto the storage contract: which errors mean "not there", which mean
 * "someone else wrote first", and how everything else becomes `STORAGE_FAILED`.
 */
import { VetrinaError } from '../../../sdk/ts/src/errors.js';

/**
 * A conditional put lost: the object's current ETag did not satisfy `ifMatch`/`ifNoneMatch`.
 * Not a store failure — a newer or concurrent writer got there first — so callers usually
 * keep the object that is there. Still a `STORAGE_FAILED` for code that does not care.
 */
export class WriteConflictError extends VetrinaError {
  /** The key that was not written. */
  readonly key: string;

  constructor(key: string, condition: string, options?: { cause?: unknown }) {
    super('STORAGE_FAILED', `put "${key}": precondition ${condition} did not hold; a newer object is there`, options);
    this.name = 'WriteConflictError';
    this.key = key;
  }
}

interface AwsLikeError {
  readonly name?: string;
  readonly Code?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

function statusOf(error: unknown): number | undefined {
  return (error as AwsLikeError | undefined)?.$metadata?.httpStatusCode;
}

function nameOf(error: unknown): string {
  const err = error as AwsLikeError | undefined;
  return err?.Code ?? err?.name ?? '';
}

/**
 * True when S3 says the object is not there. A 403 counts too: S3 answers 403 instead of 404
 * for a missing key when the caller may not list the bucket, which is how the edge's roles
 * are scoped.
 */
export function isMissing(error: unknown): boolean {
  const name = nameOf(error);
  const status = statusOf(error);
  return name === 'NoSuchKey' || name === 'NotFound' || status === 404 || status === 403 || name === 'AccessDenied';
}

/** True when a conditional write was refused (412, or 409 for a concurrent conditional write). */
export function isConflict(error: unknown): boolean {
  const name = nameOf(error);
  const status = statusOf(error);
  return name === 'PreconditionFailed' || name === 'ConditionalRequestConflict' || status === 412 || status === 409;
}

/**
 * Wraps any other failure as `VetrinaError('STORAGE_FAILED')`, naming the operation and the
 * key and keeping the SDK error as `cause`. A `VetrinaError` passes through unchanged.
 */
export function storageFailed(operation: string, target: string, error: unknown): VetrinaError {
  if (error instanceof VetrinaError) return error;

  const status = statusOf(error);
  const detail = [nameOf(error) || 'Error', status === undefined ? undefined : `HTTP ${status}`]
    .filter(Boolean)
    .join(', ');
  const message = error instanceof Error ? error.message : String(error);
  return new VetrinaError('STORAGE_FAILED', `${operation} "${target}" failed (${detail}): ${message}`, {
    cause: error,
  });
}
