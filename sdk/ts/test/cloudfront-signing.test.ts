import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getSignedUrl } from '@aws-sdk/cloudfront-signer';
import { describe, expect, it } from 'vitest';
import { cloudFrontSign, SdkError } from '../src/index.js';

const VECTORS = join(import.meta.dirname, '../../vectors');
const privateKey = readFileSync(join(VECTORS, 'cloudfront-test-key.pem'), 'utf8');
const publicKey = createPublicKey(readFileSync(join(VECTORS, 'cloudfront-test-key.pub.pem'), 'utf8'));
const keyPairId = 'KVETRINATEST01';

function fromCloudFrontBase64(value: string): Buffer {
  return Buffer.from(value.replaceAll('-', '+').replaceAll('_', '=').replaceAll('~', '/'), 'base64');
}

describe('cloudFrontSign', () => {
  it('signs the canned policy of the exact URL with the test key', () => {
    const url = 'https://img.example.com/w640,cover-1x1/a%28b%29.jpg?v=1&s=k1.x';

    const signed = new URL(cloudFrontSign(url, { keyPairId, privateKey, expires: 1767225600 }));

    const policy = `{"Statement":[{"Resource":"${url}","Condition":{"DateLessThan":{"AWS:EpochTime":1767225600}}}]}`;
    const signature = fromCloudFrontBase64(signed.searchParams.get('Signature') as string);
    expect(verify('RSA-SHA1', Buffer.from(policy), publicKey, signature)).toBe(true);
    expect([...signed.searchParams.keys()]).toEqual(['v', 's', 'Expires', 'Signature', 'Key-Pair-Id']);
  });

  it('sends a custom policy that decodes to the signed JSON', () => {
    const url = 'https://img.example.com/w640/a.jpg';

    const signed = new URL(
      cloudFrontSign(url, { keyPairId, privateKey, expires: 1767225600, ipAddress: '203.0.113.7' }),
    );

    const policy = fromCloudFrontBase64(signed.searchParams.get('Policy') as string);
    expect(policy.toString('utf8')).toBe(
      `{"Statement":[{"Resource":"${url}","Condition":{"DateLessThan":{"AWS:EpochTime":1767225600},` +
        '"IpAddress":{"AWS:SourceIp":"203.0.113.7/32"}}}]}',
    );
    const signature = fromCloudFrontBase64(signed.searchParams.get('Signature') as string);
    expect(verify('RSA-SHA1', policy, publicKey, signature)).toBe(true);
  });

  it('avoids getSignedUrl, which re-encodes the spec comma of a vetrina URL', () => {
    const url = 'https://img.example.com/w640,cover-1x1/a%28b%29.jpg';

    const mangled = getSignedUrl({ url, keyPairId, privateKey, dateLessThan: new Date(1767225600 * 1000) });

    expect(mangled.startsWith('https://img.example.com/w640%2Ccover-1x1/a(b).jpg?')).toBe(true);
    expect(cloudFrontSign(url, { keyPairId, privateKey, expires: 1767225600 }).startsWith(`${url}?Expires=`)).toBe(
      true,
    );
  });

  it('names the option, the expected form and the value in an error', () => {
    let error: unknown;
    try {
      cloudFrontSign('https://img.example.com/w640/a.jpg', { keyPairId, privateKey, expires: 1767225600000.5 });
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(SdkError);
    expect((error as SdkError).message).toBe('expires must be Unix seconds (a positive integer), got 1767225600000.5');
  });
});
