/**
 * Which S3 keys can have renditions (SPEC.md §2). Builders refuse these keys before they emit a
 * URL the edge would reject; the rules are the parser's, applied to the decoded key.
 */
import { MAX_KEY_BYTES, RENDITION_SEGMENT } from './config.js';
import { keyBytes } from './key-encoding.js';

/** Why a key is refused: the catalogue code and a reason naming what is wrong. */
export interface KeyProblem {
  readonly code: 'BAD_KEY' | 'KEY_TOO_LONG';
  readonly reason: string;
}

// A lone UTF-16 surrogate is not a Unicode scalar value: it has no UTF-8 form, so it cannot be
// an S3 key either.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function hasControlCharacter(key: string): boolean {
  for (let i = 0; i < key.length; i++) {
    const unit = key.charCodeAt(i);
    if (unit <= 0x1f || unit === 0x7f) return true;
  }
  return false;
}

/**
 * Checks a decoded key against SPEC.md §2. Returns `undefined` for a key that can have
 * renditions, otherwise the problem (`BAD_KEY` or `KEY_TOO_LONG`).
 *
 * @example findKeyProblem('fahrzeuge/../a.jpg') // { code: 'BAD_KEY', reason: 'a segment is ".."' }
 */
export function findKeyProblem(key: string): KeyProblem | undefined {
  if (key.length === 0) return { code: 'BAD_KEY', reason: 'the key is empty' };
  if (hasControlCharacter(key))
    return { code: 'BAD_KEY', reason: 'it holds a control character (U+0000-U+001F, U+007F)' };
  if (LONE_SURROGATE.test(key)) return { code: 'BAD_KEY', reason: 'it holds a lone UTF-16 surrogate' };
  if (key.endsWith('/')) return { code: 'BAD_KEY', reason: 'it ends in "/" (a folder, not an object)' };

  const reserved = key
    .split('/')
    .find((segment) => segment === '.' || segment === '..' || segment === RENDITION_SEGMENT);
  if (reserved !== undefined) return { code: 'BAD_KEY', reason: `a segment is "${reserved}"` };

  const bytes = keyBytes(key);
  if (bytes > MAX_KEY_BYTES) {
    return { code: 'KEY_TOO_LONG', reason: `it is ${bytes} bytes of UTF-8, at most ${MAX_KEY_BYTES} are allowed` };
  }
  return undefined;
}
