/**
 * HMAC-SHA256 URL signatures (SPEC.md §8).
 */
import { createHmac } from 'node:crypto';

/** Key ids are short lower-case names such as `k1`, so rotation needs no config search. */
export const KEY_ID_PATTERN = /^[a-z0-9]{1,8}$/;

/** The exact bytes a signature covers: `{spec}/{encoded key}` plus `?v={token}` if any. */
export function signingMessage(spec: string, encodedKey: string, version?: string): string {
  return version === undefined ? `${spec}/${encodedKey}` : `${spec}/${encodedKey}?v=${version}`;
}

/** Computes the `s` parameter value, `{keyId}.{base64url mac}`. */
export function signMessage(message: string, keyId: string, secret: string): string {
  // update() without an encoding (strings are UTF-8): CloudFront's crypto documents only update(data).
  const mac = createHmac('sha256', secret).update(message).digest('base64url');
  return `${keyId}.${mac}`;
}

/**
 * Checks an `s` value against a key ring of key id → secret, in constant time per key.
 * Returns false for a malformed value or an unknown key id.
 */
export function verifySignature(message: string, signature: string, keys: Readonly<Record<string, string>>): boolean {
  const dot = signature.indexOf('.');
  if (dot < 1) return false;

  const keyId = signature.slice(0, dot);
  const secret = Object.hasOwn(keys, keyId) ? keys[keyId] : undefined;
  if (!KEY_ID_PATTERN.test(keyId) || secret === undefined) return false;

  return constantTimeEqual(signMessage(message, keyId, secret), signature);
}

/**
 * Compares two ASCII strings in time that depends only on their length, so a forger learns
 * nothing from timing. Written by hand because the CloudFront Functions runtime has no
 * `timingSafeEqual`; `codePointAt` because its list of string methods has no `charCodeAt`
 * (the two agree on ASCII, and equal strings stay equal either way).
 */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= (a.codePointAt(i) as number) ^ (b.codePointAt(i) as number);
  return difference === 0;
}
