import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VetrinaError } from '../../../sdk/ts/src/errors.js';
import { parseStoreUrl } from '../../src/storage/open.js';
import { WriteConflictError } from '../../src/storage/s3-errors.js';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.js';
import { type S3TestServer, startS3Server } from '../support/s3-server.js';

const BUCKET = 'erp-car-thumbs';
let s3: S3TestServer;
let proxy: FaultProxy;

beforeAll(async () => {
  s3 = await startS3Server([BUCKET]);
  proxy = await startFaultProxy(s3.endpoint);
});

afterAll(async () => {
  await proxy?.close();
  await s3?.close();
});

function bytes(n: number, seed = 1): Buffer {
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i += 1) out[i] = (i * 31 + seed * 17) & 0xff;
  return out;
}

const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');

describe('createS3Storage', () => {
  it('writes an object with content type, cache control and metadata and reads them back', async () => {
    const store = s3.storage(BUCKET);
    const body = bytes(1500);

    const written = await store.put('fahrzeuge/4711/front.jpg/_r/w320-q80.jpg', body, {
      contentType: 'image/jpeg',
      cacheControl: 'public, max-age=31536000, immutable',
      metadata: { 'cache-tag': 'a1b2c3', 'source-etag': 'e1', width: '320', height: '240' },
    });
    const read = await store.get('fahrzeuge/4711/front.jpg/_r/w320-q80.jpg');
    const headed = await store.head('fahrzeuge/4711/front.jpg/_r/w320-q80.jpg');

    expect(written.etag).toBe(md5(body));
    expect(read?.body.equals(body)).toBe(true);
    expect(read?.size).toBe(1500);
    expect(read?.etag).toBe(md5(body));
    expect(read?.contentType).toBe('image/jpeg');
    expect(read?.cacheControl).toBe('public, max-age=31536000, immutable');
    expect(read?.metadata).toEqual({ 'cache-tag': 'a1b2c3', 'source-etag': 'e1', width: '320', height: '240' });
    expect(headed?.metadata['cache-tag']).toBe('a1b2c3');
    expect(headed?.size).toBe(1500);
  });

  it('keeps keys with spaces, plus, percent, hash, question mark and accents byte for byte', async () => {
    const store = s3.storage(BUCKET);
    // s3rver's router answers 404 for keys with an empty segment (`a//b`), which S3 accepts.
    const keys = [
      'k/E+P-003_D.jpeg',
      'k/some-name (1).png',
      'k/100%_neu.jpg',
      'k/#1 front.jpg',
      'k/Kühler?.jpg',
      'k/é é',
    ];

    for (const [i, key] of keys.entries()) await store.put(key, bytes(10, i));
    const listed = await store.list('k/');
    const read = await Promise.all(keys.map((key) => store.get(key)));

    expect(listed.objects.map((o) => o.key).sort()).toEqual([...keys].sort());
    expect(read.map((o, i) => o?.body.equals(bytes(10, i)))).toEqual(keys.map(() => true));
  });

  it('answers undefined for a missing object on get and head', async () => {
    const store = s3.storage(BUCKET);

    expect(await store.get('nothing/here.jpg')).toBeUndefined();
    expect(await store.head('nothing/here.jpg')).toBeUndefined();
  });

  it('lists a prefix in pages and strips the store prefix from keys', async () => {
    const store = s3.storage(BUCKET, { prefix: 'paged/' });
    for (let i = 0; i < 7; i += 1) await store.put(`p/${i}.jpg`, bytes(5, i));

    const first = await store.list('p/', { limit: 3 });
    const second = await store.list('p/', { limit: 3, continuationToken: first.continuationToken as string });
    const third = await store.list('p/', { limit: 3, continuationToken: second.continuationToken as string });

    expect(first.objects.map((o) => o.key)).toEqual(['p/0.jpg', 'p/1.jpg', 'p/2.jpg']);
    expect(second.objects.map((o) => o.key)).toEqual(['p/3.jpg', 'p/4.jpg', 'p/5.jpg']);
    expect(third.objects.map((o) => o.key)).toEqual(['p/6.jpg']);
    expect(third.continuationToken).toBeUndefined();
    expect(first.objects[0]?.size).toBe(5);
  });

  it('deletes more than one batch of 1000 keys, ignoring missing ones', async () => {
    const store = s3.storage(BUCKET);
    const keys = Array.from({ length: 1003 }, (_, i) => `bulk/${String(i).padStart(4, '0')}`);
    await Promise.all(keys.slice(0, 3).map((key) => store.put(key, bytes(3))));
    await store.put('bulk/1002', bytes(3));
    const deletesBefore = proxy.requests.filter((r) => r.method === 'POST').length;

    const deleted = await s3.storage(BUCKET, { endpoint: proxy.endpoint }).delete(keys);
    const left = await store.list('bulk/');

    expect(deleted).toBe(1003);
    expect(left.objects).toEqual([]);
    expect(proxy.requests.filter((r) => r.method === 'POST').length - deletesBefore).toBe(2);
  });

  it('sends If-None-Match and If-Match for conditional puts and reports a lost race as a conflict', async () => {
    const store = s3.storage(BUCKET, { endpoint: proxy.endpoint });
    proxy.inject({ fault: 'precondition-failed', method: 'PUT', path: /cond\/b\.jpg/ });

    await store.put('cond/a.jpg', bytes(4), { ifNoneMatch: '*' });
    await store.put('cond/a.jpg', bytes(5), { ifMatch: md5(bytes(4)) });
    const lost = await store.put('cond/b.jpg', bytes(4), { ifNoneMatch: '*' }).catch((error: unknown) => error);

    const puts = proxy.requests.filter((r) => r.method === 'PUT' && r.url.includes('/cond/'));
    expect(puts[0]?.headers['if-none-match']).toBe('*');
    expect(puts[1]?.headers['if-match']).toBe(`"${md5(bytes(4))}"`);
    expect(lost).toBeInstanceOf(WriteConflictError);
    expect((lost as VetrinaError).code).toBe('STORAGE_FAILED');
    expect(await store.head('cond/b.jpg')).toBeUndefined();
  });

  it('refuses metadata values S3 cannot carry in a header', async () => {
    const store = s3.storage(BUCKET);

    const error = await store.put('meta.jpg', bytes(2), { metadata: { 'source-key': 'Kühler.jpg' } }).catch((e) => e);

    expect(error).toBeInstanceOf(VetrinaError);
    expect((error as VetrinaError).message).toContain('metadata source-key');
  });
});

describe('createS3Storage retries', () => {
  it.each([
    ['a 500 InternalError', 'internal-error'],
    ['a 503 SlowDown', 'slow-down'],
    ['a dropped connection', 'drop'],
    ['a connection dropped after S3 wrote the object', 'drop-after-forward'],
  ] as const)('writes the whole object after %s on PUT', async (_label, fault) => {
    const store = s3.storage(BUCKET, { endpoint: proxy.endpoint, maxAttempts: 4 });
    const key = `retry/put-${fault}.jpg`;
    const body = bytes(20_000, 3);
    proxy.inject({ fault, method: 'PUT', path: new RegExp(`put-${fault}`), times: 2 });
    const before = proxy.injected();

    const written = await store.put(key, body, { contentType: 'image/jpeg' });
    const read = await s3.storage(BUCKET).get(key);

    expect(proxy.injected() - before).toBe(2);
    expect(written.etag).toBe(md5(body));
    expect(read?.body.equals(body)).toBe(true);
  });

  it.each([
    ['a 503 SlowDown', 'slow-down'],
    ['a body cut in half', 'truncate-body'],
    ['a dropped connection', 'drop'],
  ] as const)('reads the whole object after %s on GET', async (_label, fault) => {
    const key = `retry/get-${fault}.jpg`;
    const body = bytes(50_000, 5);
    await s3.storage(BUCKET).put(key, body);
    proxy.inject({ fault, method: 'GET', path: new RegExp(`get-${fault}`), times: 2 });
    const before = proxy.injected();

    const read = await s3.storage(BUCKET, { endpoint: proxy.endpoint, maxAttempts: 4 }).get(key);

    expect(proxy.injected() - before).toBe(2);
    expect(read?.body.length).toBe(50_000);
    expect(read?.body.equals(body)).toBe(true);
  });

  it('abandons a stalled request after the request timeout and succeeds on the retry', async () => {
    const store = s3.storage(BUCKET, { endpoint: proxy.endpoint, maxAttempts: 3, requestTimeoutMs: 300 });
    proxy.inject({ fault: 'stall', method: 'HEAD', path: /stalled/ });
    await s3.storage(BUCKET).put('retry/stalled.jpg', bytes(9));
    const started = Date.now();

    const headed = await store.head('retry/stalled.jpg');

    expect(headed?.size).toBe(9);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(proxy.requests.filter((r) => r.url.includes('stalled') && r.method === 'HEAD').length).toBe(2);
  });

  it('gives up with STORAGE_FAILED naming the key and keeping the cause when every attempt fails', async () => {
    const store = s3.storage(BUCKET, { endpoint: proxy.endpoint, maxAttempts: 2 });
    proxy.inject({ fault: 'internal-error', method: 'PUT', path: /hopeless/, times: 2 });

    const error = await store.put('retry/hopeless.jpg', bytes(3)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(VetrinaError);
    expect((error as VetrinaError).code).toBe('STORAGE_FAILED');
    expect((error as VetrinaError).status).toBe(502);
    expect((error as VetrinaError).message).toContain('retry/hopeless.jpg');
    expect((error as VetrinaError).message).toContain('InternalError');
    expect((error as Error).cause).toBeDefined();
    expect(await s3.storage(BUCKET).head('retry/hopeless.jpg')).toBeUndefined();
  });
});

describe('parseStoreUrl', () => {
  it('reads a bucket and normalises the prefix to end in a slash', () => {
    expect(parseStoreUrl('s3://erp-car-thumbs')).toEqual({ bucket: 'erp-car-thumbs', prefix: '' });
    expect(parseStoreUrl('s3://erp-car-thumbs/site-a')).toEqual({ bucket: 'erp-car-thumbs', prefix: 'site-a/' });
    expect(parseStoreUrl('./renditions')).toBeUndefined();
  });

  it('rejects a malformed bucket name, naming the value', () => {
    expect(() => parseStoreUrl('s3://Bad_Bucket/x')).toThrow('got "Bad_Bucket"');
  });
});
