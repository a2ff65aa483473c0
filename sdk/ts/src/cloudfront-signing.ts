/**
 * CloudFront signed URLs for private originals (SPEC.md §14), appended after vetrina's own
 * `v` and `s`.
 */
import { getSignedCookies } from '@aws-sdk/cloudfront-signer';
import { describe, SdkError } from './sdk-error.js';

/** Options of {@link cloudFrontSign}. Canned policy unless `notBefore` or `ipAddress` is given. */
export interface CloudFrontSignOptions {
  /** The public key's id in the distribution's trusted key group, e.g. `K2JCJMDEHXQW5F`. */
  readonly keyPairId: string;
  /** The RSA private key, PEM (PKCS#1 or PKCS#8). */
  readonly privateKey: string | Buffer;
  /** Unix seconds after which CloudFront refuses the URL. */
  readonly expires: number;
  /** Unix seconds before which CloudFront refuses the URL (custom policy). */
  readonly notBefore?: number;
  /** The viewer's IPv4 address or CIDR range, e.g. `203.0.113.7` or `203.0.113.0/24` (custom policy). */
  readonly ipAddress?: string;
}

const CLOUDFRONT_PARAMS = /[?&](Expires|Policy|Signature|Key-Pair-Id)=/;
const KEY_PAIR_ID = /^[A-Z0-9]{1,64}$/;
const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/;

/**
 * Appends CloudFront's signed-URL parameters to a vetrina URL:
 * `Expires`, `Signature`, `Key-Pair-Id` (canned) or `Policy`, `Signature`, `Key-Pair-Id` (custom).
 * The URL is signed exactly as given, so it stays the canonical vetrina URL. Throws
 * {@link SdkError} `INVALID_ARGUMENT` naming the option at fault.
 *
 * @example cloudFrontSign('https://img.example.com/w640/a.jpg', { keyPairId, privateKey, expires: 1767225600 })
 * // 'https://img.example.com/w640/a.jpg?Expires=1767225600&Signature=…&Key-Pair-Id=…'
 */
export function cloudFrontSign(url: string, options: CloudFrontSignOptions): string {
  checkUrl(url);
  const { keyPairId, privateKey, expires, notBefore, ipAddress } = options;
  if (typeof keyPairId !== 'string' || !KEY_PAIR_ID.test(keyPairId)) {
    throw invalid('keyPairId', `keyPairId must be CloudFront's public key id (A-Z, 0-9), got ${describe(keyPairId)}`);
  }
  if (!(typeof privateKey === 'string' || Buffer.isBuffer(privateKey)) || privateKey.length === 0) {
    throw invalid('privateKey', 'privateKey must be a PEM RSA private key');
  }
  checkSeconds('expires', expires);
  if (notBefore !== undefined) {
    checkSeconds('notBefore', notBefore);
    if (notBefore >= expires) {
      throw invalid('notBefore', `notBefore must be before expires (${expires}), got ${describe(notBefore)}`);
    }
  }
  if (ipAddress !== undefined) checkIpAddress(ipAddress);

  // getSignedUrl would re-encode each path segment with encodeURIComponent (the spec's ","
  // becomes "%2C", "%28" becomes "("), so the signed URL would no longer be the canonical
  // one. getSignedCookies signs the URL exactly as given and returns the same values.
  const signed = getSignedCookies({
    url,
    keyPairId,
    privateKey,
    dateLessThan: new Date(expires * 1000),
    ...(notBefore !== undefined ? { dateGreaterThan: new Date(notBefore * 1000) } : {}),
    ...(ipAddress !== undefined ? { ipAddress } : {}),
  });
  const policy = signed['CloudFront-Policy'];
  const head = policy === undefined ? `Expires=${expires}` : `Policy=${policy}`;
  const params = `${head}&Signature=${signed['CloudFront-Signature']}&Key-Pair-Id=${keyPairId}`;
  return `${url}${url.includes('?') ? '&' : '?'}${params}`;
}

function checkUrl(url: unknown): asserts url is string {
  const expected = 'url must be an absolute http(s) URL without a fragment or CloudFront parameters';
  if (typeof url !== 'string' || !/^https?:\/\/[^/?#]+\/[^#\s]*$/i.test(url) || CLOUDFRONT_PARAMS.test(url)) {
    throw invalid('url', `${expected}, got ${describe(url)}`);
  }
}

function checkSeconds(argument: string, value: unknown): void {
  if (!Number.isSafeInteger(value) || (value as number) < 1) {
    throw invalid(argument, `${argument} must be Unix seconds (a positive integer), got ${describe(value)}`);
  }
}

function checkIpAddress(ipAddress: unknown): void {
  const match = typeof ipAddress === 'string' ? IPV4_CIDR.exec(ipAddress) : null;
  const octets = match ? match.slice(1, 5).map(Number) : [];
  const mask = match?.[5] === undefined ? 32 : Number(match[5]);
  if (!match || octets.some((o) => o > 255) || mask > 32) {
    throw invalid('ipAddress', `ipAddress must be IPv4 with an optional /mask (0-32), got ${describe(ipAddress)}`);
  }
}

function invalid(argument: string, message: string): SdkError {
  return new SdkError('INVALID_ARGUMENT', argument, message);
}
