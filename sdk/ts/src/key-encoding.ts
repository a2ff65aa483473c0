/**
 * The one canonical percent-encoding of S3 keys in URL paths (SPEC.md §2).
 *
 * The same code runs in the CloudFront Functions runtime (ES 5.1 plus a listed few later
 * methods), so it uses `encodeURIComponent` and index loops with `codePointAt`: no
 * `TextEncoder`, no string iterator (a downlevelled `for…of` would split surrogate pairs).
 * The loops step by `String.fromCodePoint(code).length`, the width of one character in the
 * engine at hand: 2 for an astral character where strings are UTF-16 (V8), 1 where string
 * indices count code points, as they may in njs, CloudFront's engine, which keeps strings in
 * UTF-8. A lone surrogate is one unit wide either way.
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
  for (let i = 0; i < key.length; ) {
    const char = String.fromCodePoint(key.codePointAt(i) as number);
    i += char.length;
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
  for (let i = 0; i < key.length; ) {
    const code = key.codePointAt(i) as number;
    i += String.fromCodePoint(code).length;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}
