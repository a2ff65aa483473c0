/**
 * Replacements the viewer-request build injects into the CloudFront Function bundle (esbuild
 * `inject`): what the shared code takes from Node, mapped onto what the cloudfront-js-2.0
 * runtime documents. The build maps `node:crypto` to this module; CloudFront's own `crypto`
 * (`createHash` and `createHmac` with `update(data)` and `digest('hex' | 'base64' |
 * 'base64url')`, nothing else) is required once at the top of the function file as `crypto`.
 */

declare const crypto: {
  createHash(algorithm: string): { update(data: string): { digest(encoding: string): string } };
  createHmac(algorithm: string, key: string): { update(data: string): { digest(encoding: string): string } };
};

/** CloudFront's `crypto.createHash` (md5, sha1, sha256). */
export const createHash = (algorithm: string) => crypto.createHash(algorithm);

/** CloudFront's `crypto.createHmac` (md5, sha1, sha256). */
export const createHmac = (algorithm: string, key: string) => crypto.createHmac(algorithm, key);

/**
 * Stands in for `Object.freeze` in the function: its tables are never written, and the 10 KB
 * limit counts the bytes of every call. Returns its argument unchanged.
 */
const unfrozen = <T>(value: T): T => value;

export { unfrozen as 'Object.freeze' };

/**
 * Stands in for `Object.hasOwn` (ES2022), which the runtime does not list; its
 * `Object.prototype.hasOwnProperty` is listed.
 */
// biome-ignore lint/suspicious/noPrototypeBuiltins: this is the stand-in for Object.hasOwn itself.
const hasOwn = (object: object, key: PropertyKey): boolean => Object.prototype.hasOwnProperty.call(object, key);

export { hasOwn as 'Object.hasOwn' };
