/**
 * The error catalogue of SPEC.md §11: every error vetrina can answer, with its HTTP status.
 * Codes are stable; they may be added to, never renamed or reused.
 */

/**
 * HTTP status of each code. Kept apart from the explanations (SPEC.md §11) so the
 * viewer-request function, which must stay under CloudFront Functions' 10 KB, carries only
 * the numbers.
 */
export const ERROR_STATUS = Object.freeze({
  BAD_PATH: 400,
  UNKNOWN_SIZE: 400,
  WIDTH_OUT_OF_RANGE: 400,
  UNKNOWN_OPTION: 400,
  BAD_OPTION_VALUE: 400,
  OPTION_NOT_ALLOWED: 400,
  NON_CANONICAL: 400,
  BAD_ENCODING: 400,
  BAD_KEY: 400,
  KEY_TOO_LONG: 414,
  BAD_VERSION: 400,
  UNKNOWN_QUERY: 400,
  SIGNATURE_REQUIRED: 403,
  BAD_SIGNATURE: 403,
  METHOD_NOT_ALLOWED: 405,
  ORIGINAL_NOT_FOUND: 404,
  ORIGINAL_EMPTY: 415,
  ORIGINAL_UNSUPPORTED: 415,
  ORIGINAL_CORRUPT: 422,
  ORIGINAL_TOO_LARGE: 422,
  RENDER_FAILED: 500,
  STORAGE_FAILED: 502,
} as const satisfies Record<string, number>);

/** One of the catalogue's codes. */
export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * An error the contract defines. `status` is the HTTP status from the catalogue; `message`
 * names the parameter, what was expected and what came.
 */
export class VetrinaError extends Error {
  readonly code: ErrorCode;
  readonly status: number;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    // Downlevelled to ES5 (the CloudFront Function), `Error.call(this)` returns a fresh Error;
    // this puts the subclass prototype back, so instanceof and toJSON work there too.
    Object.setPrototypeOf(this, new.target.prototype);
    this.name = 'VetrinaError';
    this.code = code;
    this.status = ERROR_STATUS[code];
  }

  /** The JSON body of an error response (SPEC.md §10). */
  toJSON(): { error: { code: ErrorCode; status: number; message: string } } {
    return { error: { code: this.code, status: this.status, message: this.message } };
  }
}
