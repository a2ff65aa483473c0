/**
 * How the CLI tells its failures apart: a user mistake (exit 2), a store that cannot be used
 * at all (exit 3), and a failure of one file that the report lists while the run goes on.
 */
import { VetrinaError } from '../../../sdk/ts/src/errors.js';
import { WriteConflictError } from '../storage/s3-errors.js';

/** The documented exit codes of `vetrina`. */
export const EXIT = Object.freeze({
  /** Done, nothing needs attention. */
  ok: 0,
  /** Done, but files were rejected or failed, or the audit found something. */
  attention: 1,
  /** Bad arguments or options; nothing was done. */
  usage: 2,
  /** A store is unreachable, refuses the credentials or denies access; work stopped. */
  store: 3,
  /** An unexpected failure (a bug); the stack trace is printed. */
  internal: 4,
  /** Interrupted (Ctrl-C, SIGTERM); the finished work is kept and a re-run resumes. */
  interrupted: 130,
});

/** A mistake in the command line or in a file it names; printed as one line, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Socket and file-system codes that mean the store cannot be reached or written at all. */
const FATAL_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EACCES',
  'EPERM',
  'EROFS',
  'ENOSPC',
]);

/** S3 error names that no retry and no other file will cure. */
const FATAL_NAMES = new Set([
  'CredentialsProviderError',
  'AccessDenied',
  'AllAccessDisabled',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'AuthorizationHeaderMalformed',
  'ExpiredToken',
  'InvalidToken',
  'NoSuchBucket',
  'PermanentRedirect',
  'TimeoutError',
]);

interface ErrorLike {
  readonly name?: string;
  readonly code?: string;
  readonly Code?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly cause?: unknown;
}

/**
 * True when `error` is a `STORAGE_FAILED` that dooms the whole run: the endpoint refuses
 * connections or does not resolve, a connection cannot be opened in time, the credentials are
 * missing or refused, access is denied (HTTP 401/403), the bucket does not exist, or the local
 * folder cannot be written. Other store failures (a 500 after retries, one broken body) only
 * fail the file at hand. A lost conditional write is never fatal.
 */
export function isFatalStoreError(error: unknown): boolean {
  if (!(error instanceof VetrinaError) || error.code !== 'STORAGE_FAILED') return false;
  if (error instanceof WriteConflictError) return false;

  // The SDK nests the socket error a level or two down; follow the chain a few steps.
  let current: unknown = error.cause;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth += 1) {
    const like = current as ErrorLike;
    const status = like.$metadata?.httpStatusCode;
    if (status === 401 || status === 403) return true;
    if (like.code && FATAL_CODES.has(like.code)) return true;
    if (FATAL_NAMES.has(like.Code ?? '') || FATAL_NAMES.has(like.name ?? '')) return true;
    current = like.cause;
  }
  return false;
}

/** The message of any thrown value, on one line. */
export function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s*\n\s*/g, ' ');
}
