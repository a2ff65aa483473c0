/**
 * Strict decoding of the `{key}` part of a request path (SPEC.md §2).
 *
 * Written with ECMAScript built-ins only (no TextDecoder, no Buffer) so the same module runs
 * in a CloudFront Function, where neither is guaranteed.
 */
import { MAX_KEY_BYTES, RENDITION_SEGMENT } from '../../../sdk/ts/src/config.js';
import { VetrinaError } from '../../../sdk/ts/src/errors.js';
import { keyBytes } from '../../../sdk/ts/src/key-encoding.js';

const MALFORMED_PERCENT = /%(?![0-9A-Fa-f]{2})/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control range is exactly what §2 forbids.
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Decodes a percent-encoded key as received in a path, accepting any valid encoding
 * (lower-case hex, raw sub-delimiters, `%2F` for `/`) and rejecting what §2 forbids.
 * A raw `+` is a literal plus: paths have no form encoding.
 *
 * @param encoded the path after `/{spec}/`, non-empty.
 * @returns the S3 key, byte for byte (no Unicode normalisation).
 * @throws VetrinaError `BAD_ENCODING` for a `%` without two hex digits or bytes that are not
 *   UTF-8, `BAD_KEY` for control characters, `.`/`..`/`_r` segments or a trailing `/`,
 *   `KEY_TOO_LONG` above 960 bytes of UTF-8.
 */
export function decodeKey(encoded: string): string {
  const malformed = MALFORMED_PERCENT.exec(encoded);
  if (malformed) {
    const found = encoded.slice(malformed.index, malformed.index + 3);
    throw new VetrinaError('BAD_ENCODING', `key: expected %XX, got "${found}"`);
  }

  let key: string;
  try {
    // decodeURIComponent rejects overlong forms, encoded surrogates and truncated sequences;
    // encodeURIComponent then rejects a lone surrogate that arrived raw.
    key = decodeURIComponent(encoded);
    encodeURIComponent(key);
  } catch {
    throw new VetrinaError('BAD_ENCODING', 'key: not valid UTF-8');
  }

  checkKey(key);
  return key;
}

/**
 * Checks a decoded key against the rules of SPEC.md §2 (also usable on keys that never were
 * in a URL, such as S3 event keys).
 *
 * @throws VetrinaError `BAD_KEY` or `KEY_TOO_LONG`, as {@link decodeKey}.
 */
export function checkKey(key: string): void {
  const control = CONTROL.exec(key);
  if (control) {
    const code = (control[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    throw new VetrinaError('BAD_KEY', `key: control character U+${code} is not allowed`);
  }
  for (const segment of key.split('/')) {
    if (segment === '.' || segment === '..' || segment === RENDITION_SEGMENT) {
      throw new VetrinaError('BAD_KEY', `key: segment "${segment}" is reserved`);
    }
  }
  if (key.endsWith('/')) {
    throw new VetrinaError('BAD_KEY', 'key: ends in "/" (a folder)');
  }
  const bytes = utf8Length(key);
  if (bytes > MAX_KEY_BYTES) {
    throw new VetrinaError('KEY_TOO_LONG', `key: expected at most ${MAX_KEY_BYTES} bytes of UTF-8, got ${bytes}`);
  }
}

/** Length of a string in UTF-8 bytes (the SDK's `keyBytes`, which needs no TextEncoder). */
export const utf8Length = keyBytes;
