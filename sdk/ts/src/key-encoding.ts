/**
 * The one canonical percent-encoding of S3 keys in URL paths (SPEC.md §2).
 *
 * Written with `encodeURIComponent` rather than `TextEncoder` because the same code runs in
 * the CloudFront Functions runtime, which has no `TextEncoder`.
 */

const UNRESERVED = /^[A-Za-z0-9\-._~/]$/;
// encodeURIComponent leaves these sub-delimiters alone; the spec encodes them.
const SUB_DELIMS: Readonly<Record<string, string>> = { '!': '%21', "'": '%27', '(': '%28', ')': '%29', '*': '%2A' };

/**
 * Encodes an S3 key for a URL path: unreserved characters and `/` stay, every other UTF-8
 * byte becomes `%XX` with upper-case hex. A space is `%20`, `+` is `%2B`.
 *
 * @throws TypeError when the key holds a lone surrogate (it has no UTF-8 form, so it cannot be an S3 key).
 * @example encodeKey('fahrzeuge/E+P 1.jpg') // 'fahrzeuge/E%2BP%201.jpg'
 */
export function encodeKey(key: string): string {
  let out = '';
  for (const char of key) {
    if (UNRESERVED.test(char)) {
      out += char;
    } else if (SUB_DELIMS[char] !== undefined) {
      out += SUB_DELIMS[char];
    } else {
      try {
        out += encodeURIComponent(char);
      } catch {
        throw new TypeError(`key must be valid Unicode; it holds a lone surrogate at "${out}"`);
      }
    }
  }
  return out;
}

/** Length of a key in UTF-8 bytes, the unit of S3's and vetrina's key limits. */
export function keyBytes(key: string): number {
  let bytes = 0;
  for (const char of key) {
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}
