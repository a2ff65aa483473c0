/**
 * The one error the SDK throws for arguments it refuses (SPEC.md §11 plus builder misuse).
 * The SDK never logs: it returns a value or throws this.
 */
import type { ErrorCode } from './errors.js';

/** A catalogue code the edge would answer for the same input, or builder misuse the edge never sees. */
export type SdkErrorCode =
  | Extract<
      ErrorCode,
      | 'UNKNOWN_SIZE'
      | 'WIDTH_OUT_OF_RANGE'
      | 'BAD_OPTION_VALUE'
      | 'OPTION_NOT_ALLOWED'
      | 'BAD_KEY'
      | 'KEY_TOO_LONG'
      | 'BAD_VERSION'
      | 'SIGNATURE_REQUIRED'
    >
  | 'INVALID_ARGUMENT';

/**
 * A refused argument. `code` is stable (the conformance vectors assert it), `argument` is the
 * option or config field at fault exactly as the caller wrote it (`width`, `signing.keyId`), and
 * the message names that argument, the expected form and the value received.
 */
export class SdkError extends RangeError {
  readonly code: SdkErrorCode;
  readonly argument: string;

  constructor(code: SdkErrorCode, argument: string, message: string) {
    super(message);
    this.name = 'SdkError';
    this.code = code;
    this.argument = argument;
  }
}

/** Renders a received value for an error message: strings quoted, everything else as JSON. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
