/**
 * Strict decoding of the `{key}` part of a request path (SPEC.md §2).
 *
 * Written with ECMAScript built-ins only (no TextDecoder, no Buffer) so the same module runs
 * in a CloudFront Function, where neither is guaranteed.
 */
import { MAX_KEY_BYTES, RENDITION_SEGMENT } from '../../../sdk/ts/src/config.js';
import { VetrinaError } from '../../../sdk/ts/src/errors.js';

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
    throw new VetrinaError('BAD_ENCODING', `key: expected "%" followed by two hex digits, got "${found}"`);
  }

  let key: string;
  try {
    // decodeURIComponent rejects overlong forms, encoded surrogates and truncated sequences.
    key = decodeURIComponent(encoded);
  } catch {
    throw new VetrinaError('BAD_ENCODING', 'key: the percent-encoded bytes are not valid UTF-8');
  }
  if (!isWellFormed(key)) {
    throw new VetrinaError('BAD_ENCODING', 'key: holds an unpaired UTF-16 surrogate, which has no UTF-8 form');
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
      throw new VetrinaError('BAD_KEY', `key: the segment "${segment}" is reserved; rename the original`);
    }
  }
  if (key.endsWith('/')) {
    throw new VetrinaError('BAD_KEY', 'key: ends in "/", which names a folder, not an original');
  }
  const bytes = utf8Length(key);
  if (bytes > MAX_KEY_BYTES) {
    throw new VetrinaError('KEY_TOO_LONG', `key: expected at most ${MAX_KEY_BYTES} bytes of UTF-8, got ${bytes}`);
  }
}

/** Length of a well-formed string in UTF-8 bytes, without TextEncoder. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function isWellFormed(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      return false;
    }
  }
  return true;
}
