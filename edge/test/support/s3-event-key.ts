/**
 * S3 event notifications carry object keys URL-encoded form-style: UTF-8 percent-encoding,
 * a space as `+`, `/` kept. Test servers emit raw keys, so tests encode them this way first.
 */

/**
 * Encodes a key the way S3 writes it into an event record.
 *
 * @example encodeEventKey('fahrzeuge/E+P 1.jpg') // 'fahrzeuge/E%2BP+1.jpg'
 */
export function encodeEventKey(key: string): string {
  return key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%20/g, '+'))
    .join('/');
}
