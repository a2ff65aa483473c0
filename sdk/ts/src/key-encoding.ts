/**
 * The one canonical percent-encoding of S3 keys in URL paths (SPEC.md §2).
 */

const UNRESERVED = /[A-Za-z0-9\-._~/]/;
const utf8 = new TextEncoder();

/**
 * Encodes an S3 key for a URL path: unreserved characters and `/` stay, every other UTF-8
 * byte becomes `%XX` with upper-case hex. A space is `%20`, `+` is `%2B`.
 *
 * @example encodeKey('fahrzeuge/E+P 1.jpg') // 'fahrzeuge/E%2BP%201.jpg'
 */
export function encodeKey(key: string): string {
  let out = '';
  for (const char of key) {
    if (UNRESERVED.test(char)) {
      out += char;
      continue;
    }
    for (const byte of utf8.encode(char)) {
      out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
}

/** Length of a key in UTF-8 bytes, the unit of S3's and vetrina's key limits. */
export function keyBytes(key: string): number {
  return utf8.encode(key).length;
}
