/**
 * What the bundled viewer-request code needs from Node but CloudFront Functions lack. The build
 * maps `node:crypto` to this module; CloudFront's own `crypto` (which has `createHash` and
 * `createHmac`, nothing else) is required once at the top of the function file as `crypto`.
 */

declare const crypto: {
  createHash(algorithm: string): { update(data: string, encoding?: string): unknown };
  createHmac(algorithm: string, key: string): { update(data: string, encoding?: string): unknown };
};

/** CloudFront's `crypto.createHash`. */
export const createHash = (algorithm: string) => crypto.createHash(algorithm);

/** CloudFront's `crypto.createHmac`. */
export const createHmac = (algorithm: string, key: string) => crypto.createHmac(algorithm, key);

/**
 * Constant-time comparison of two equal-length byte arrays (CloudFront's crypto has none):
 * the loop always runs over every byte, so the time does not tell where they differ.
 *
 * @throws RangeError when the lengths differ, as Node's does.
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) throw new RangeError('timingSafeEqual: inputs must have the same length');
  let difference = 0;
  for (let i = 0; i < a.length; i += 1) difference |= (a[i] as number) ^ (b[i] as number);
  return difference === 0;
}

/** A UTF-8 `TextEncoder` (CloudFront Functions have none; `Buffer` is there in runtime 2.0). */
export class TextEncoder {
  readonly encoding = 'utf-8';

  encode(text = ''): Uint8Array {
    return new Uint8Array(Buffer.from(text, 'utf8'));
  }
}
