/**
 * The error catalogue of SPEC.md §11 with a one-line cause per code, for documentation,
 * logs and tests. Codes are stable; they may be added to, never renamed or reused.
 */
import { ERROR_STATUS, type ErrorCode } from './errors.js';

/** HTTP status and a one-line explanation of each code. */
export const ERROR_CATALOGUE: Readonly<Record<ErrorCode, { readonly status: number; readonly cause: string }>> =
  Object.freeze({
    BAD_PATH: { status: ERROR_STATUS.BAD_PATH, cause: 'the path is not /{spec}/{key}' },
    UNKNOWN_SIZE: { status: ERROR_STATUS.UNKNOWN_SIZE, cause: 'the first segment is neither a preset nor w{N}' },
    WIDTH_OUT_OF_RANGE: {
      status: ERROR_STATUS.WIDTH_OUT_OF_RANGE,
      cause: 'the width is not 1-2560 without leading zeros',
    },
    UNKNOWN_OPTION: { status: ERROR_STATUS.UNKNOWN_OPTION, cause: 'an option token the spec does not define' },
    BAD_OPTION_VALUE: { status: ERROR_STATUS.BAD_OPTION_VALUE, cause: 'an option value out of range' },
    OPTION_NOT_ALLOWED: {
      status: ERROR_STATUS.OPTION_NOT_ALLOWED,
      cause: 'an option that does not apply to this size',
    },
    NON_CANONICAL: {
      status: ERROR_STATUS.NON_CANONICAL,
      cause: 'options repeated, out of order or equal to the default',
    },
    BAD_ENCODING: { status: ERROR_STATUS.BAD_ENCODING, cause: 'malformed percent-encoding or invalid UTF-8' },
    BAD_KEY: { status: ERROR_STATUS.BAD_KEY, cause: 'the key holds a control character or a reserved segment' },
    KEY_TOO_LONG: { status: ERROR_STATUS.KEY_TOO_LONG, cause: 'the key is longer than 960 bytes' },
    BAD_VERSION: {
      status: ERROR_STATUS.BAD_VERSION,
      cause: 'the version token is empty, too long or has other characters',
    },
    UNKNOWN_QUERY: { status: ERROR_STATUS.UNKNOWN_QUERY, cause: 'a query parameter other than v and s' },
    SIGNATURE_REQUIRED: { status: ERROR_STATUS.SIGNATURE_REQUIRED, cause: 'custom options need a signature' },
    BAD_SIGNATURE: {
      status: ERROR_STATUS.BAD_SIGNATURE,
      cause: 'the signature is malformed, its key unknown or its mac wrong',
    },
    METHOD_NOT_ALLOWED: { status: ERROR_STATUS.METHOD_NOT_ALLOWED, cause: 'only GET and HEAD are served' },
    ORIGINAL_NOT_FOUND: { status: ERROR_STATUS.ORIGINAL_NOT_FOUND, cause: 'no original with that key' },
    ORIGINAL_EMPTY: { status: ERROR_STATUS.ORIGINAL_EMPTY, cause: 'the original has zero bytes' },
    ORIGINAL_UNSUPPORTED: {
      status: ERROR_STATUS.ORIGINAL_UNSUPPORTED,
      cause: 'not an image, or a format without a decoder',
    },
    ORIGINAL_CORRUPT: { status: ERROR_STATUS.ORIGINAL_CORRUPT, cause: 'truncated or damaged image data' },
    ORIGINAL_TOO_LARGE: { status: ERROR_STATUS.ORIGINAL_TOO_LARGE, cause: 'over the pixel or byte limit' },
    RENDER_FAILED: { status: ERROR_STATUS.RENDER_FAILED, cause: 'the engine failed on an image it accepted' },
    STORAGE_FAILED: { status: ERROR_STATUS.STORAGE_FAILED, cause: 'the exchange or renditions store failed' },
  });
