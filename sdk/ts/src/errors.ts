/**
 * The error catalogue of SPEC.md §11: every error vetrina can answer, with its HTTP status.
 * Codes are stable; they may be added to, never renamed or reused.
 */

/** HTTP status and a one-line explanation of each code. */
export const ERROR_CATALOGUE = Object.freeze({
  BAD_PATH: { status: 400, cause: 'the path is not /{spec}/{key}' },
  UNKNOWN_SIZE: { status: 400, cause: 'the first segment is neither a preset nor w{N}' },
  WIDTH_OUT_OF_RANGE: { status: 400, cause: 'the width is not 1-2560 without leading zeros' },
  UNKNOWN_OPTION: { status: 400, cause: 'an option token the spec does not define' },
  BAD_OPTION_VALUE: { status: 400, cause: 'an option value out of range' },
  OPTION_NOT_ALLOWED: { status: 400, cause: 'an option that does not apply to this size' },
  NON_CANONICAL: { status: 400, cause: 'options repeated, out of order or equal to the default' },
  BAD_ENCODING: { status: 400, cause: 'malformed percent-encoding or invalid UTF-8' },
  BAD_KEY: { status: 400, cause: 'the key holds a control character or a reserved segment' },
  KEY_TOO_LONG: { status: 414, cause: 'the key is longer than 960 bytes' },
  BAD_VERSION: { status: 400, cause: 'the version token is empty, too long or has other characters' },
  UNKNOWN_QUERY: { status: 400, cause: 'a query parameter other than v and s' },
  SIGNATURE_REQUIRED: { status: 403, cause: 'custom options need a signature' },
  BAD_SIGNATURE: { status: 403, cause: 'the signature is malformed, its key unknown or its mac wrong' },
  METHOD_NOT_ALLOWED: { status: 405, cause: 'only GET and HEAD are served' },
  ORIGINAL_NOT_FOUND: { status: 404, cause: 'no original with that key' },
  ORIGINAL_EMPTY: { status: 415, cause: 'the original has zero bytes' },
  ORIGINAL_UNSUPPORTED: { status: 415, cause: 'not an image, or a format without a decoder' },
  ORIGINAL_CORRUPT: { status: 422, cause: 'truncated or damaged image data' },
  ORIGINAL_TOO_LARGE: { status: 422, cause: 'over the pixel or byte limit' },
  RENDER_FAILED: { status: 500, cause: 'the engine failed on an image it accepted' },
  STORAGE_FAILED: { status: 502, cause: 'the exchange or renditions store failed' },
} as const satisfies Record<string, { status: number; cause: string }>);

/** One of the catalogue's codes. */
export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/**
 * An error the contract defines. `status` is the HTTP status from the catalogue; `message`
 * names the parameter, what was expected and what came.
 */
export class VetrinaError extends Error {
  readonly code: ErrorCode;
  readonly status: number;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VetrinaError';
    this.code = code;
    this.status = ERROR_CATALOGUE[code].status;
  }

  /** The JSON body of an error response (SPEC.md §10). */
  toJSON(): { error: { code: ErrorCode; status: number; message: string } } {
    return { error: { code: this.code, status: this.status, message: this.message } };
  }
}
