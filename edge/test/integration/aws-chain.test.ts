import { createHash } from 'node:crypto';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKey } from '../../../sdk/ts/src/key-encoding.js';
import { cacheTag } from '../../../sdk/ts/src/rendition.js';
import { createInvalidator } from '../../src/aws/invalidate.js';
import { createOriginResponseEntry } from '../../src/aws/origin-response.js';
import { createS3EventEntry } from '../../src/aws/s3-event.js';
import type { Storage } from '../../src/storage/types.js';
import { type CloudFrontApi, startCloudFrontApi } from '../support/cloudfront-api.js';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.js';
import { type S3TestServer, startS3Server } from '../support/s3-server.js';
import { createCdn, sqsBatch } from './chain.js';

const PHOTOS = 'erp-car-photos';
const THUMBS = 'erp-car-thumbs';

let s3: S3TestServer;
let proxy: FaultProxy;
let cloudFront: CloudFrontApi;
let photos: Storage;
let thumbs: Storage;
const logLines: string[] = [];

beforeAll(async () => {
  s3 = await startS3Server([PHOTOS, THUMBS]);
  proxy = await startFaultProxy(s3.endpoint);
  cloudFront = await startCloudFrontApi();
  photos = s3.storage(PHOTOS);
  thumbs = s3.storage(THUMBS);
});

afterAll(async () => {
  await cloudFront?.close();
  await proxy?.close();
  await s3?.close();
});

const write = (line: string) => void logLines.push(line);

function s3EventEntry() {
  return createS3EventEntry(
    { exchangeBucket: PHOTOS, renditionsBucket: THUMBS, region: 'eu-central-1', invalidateBy: 'tag', edge: {} },
    {
      storage: (bucket) => s3.storage(bucket),
      invalidate: createInvalidator({ distributionId: 'E2TEST', client: cloudFront.client() }),
      write,
    },
  );
}

function originEntry(edge = {}, endpoint?: string) {
  return createOriginResponseEntry(
    { exchange: { bucket: PHOTOS, region: 'eu-central-1' }, edge },
    { storage: (at) => s3.storage(at.bucket, { ...(endpoint ? { endpoint, maxAttempts: 4 } : {}) }), write },
  );
}

/** A small two-colour photo: left half `left`, right half `right`. */
function photo(left: [number, number, number], right: [number, number, number], width = 400, height = 300) {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) raw.set(x < width / 2 ? left : right, (y * width + x) * 3);
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

const RED: [number, number, number] = [230, 20, 20];
const BLUE: [number, number, number] = [20, 20, 230];
const GREEN: [number, number, number] = [20, 200, 20];

async function keysUnder(prefix: string): Promise<string[]> {
  return (await thumbs.list(prefix)).objects.map((o) => o.key).sort();
}

async function pixel(bytes: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [data[at] as number, data[at + 1] as number, data[at + 2] as number];
}

/** The events S3 would notify: the exchange bucket's only (s3rver reports every bucket). */
function photoEvents() {
  return s3.takeEvents().filter((event) => event.s3.bucket.name === PHOTOS);
}

async function upload(key: string, body: Buffer) {
  await photos.put(key, body, { contentType: 'image/jpeg' });
  return photoEvents();
}

async function removeOriginal(key: string) {
  await s3.client().send(new DeleteObjectCommand({ Bucket: PHOTOS, Key: key }));
  return photoEvents();
}

describe('AWS chain on a real S3 API', () => {
  const key = 'fahrzeuge/4711/front.jpg';
  const tag = cacheTag(key);

  it('makes the eager renditions with their metadata when an original is uploaded', async () => {
    const events = await upload(key, await photo(RED, BLUE));
    const original = await photos.head(key);

    const result = await s3EventEntry()(sqsBatch(events), { awsRequestId: 'lambda-1' });
    const thumb = await thumbs.get(`${key}/_r/w320-cover-4x3-q80.jpg`);

    expect(events[0]?.s3.object.key).toBe('fahrzeuge/4711/front.jpg');
    expect(result.batchItemFailures).toEqual([]);
    expect(await keysUnder(`${key}/_r/`)).toEqual([
      `${key}/_r/w1600-q80.jpg`,
      `${key}/_r/w320-cover-4x3-q80.jpg`,
      `${key}/_r/w800-cover-4x3-q80.jpg`,
    ]);
    expect(thumb?.contentType).toBe('image/jpeg');
    expect(thumb?.cacheControl).toBe('public, max-age=31536000, immutable');
    expect(thumb?.metadata).toMatchObject({
      'cache-tag': tag,
      'source-etag': original?.etag,
      width: '320',
      height: '240',
    });
    expect((await sharp(thumb?.body).metadata()).width).toBe(320);
    expect(logLines.some((line) => line.includes('"RenditionsMade"') && line.includes('"_aws"'))).toBe(true);
  });

  it('generates a missing width through viewer-request and origin-response, stores it, then serves it from S3', async () => {
    const cdnGet = createCdn(thumbs, originEntry());

    const first = await cdnGet(`/w160/${encodeKey(key)}`, '', { accept: 'image/webp,*/*' });
    const stored = await thumbs.get(`${key}/_r/w160-q78.webp`);
    const second = await cdnGet(`/w160/${encodeKey(key)}`, '', { accept: 'image/webp,*/*' });

    expect(first.via).toBe('origin-response');
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('image/webp');
    expect(first.body.subarray(8, 12).toString('latin1')).toBe('WEBP');
    expect((await sharp(first.body).metadata()).width).toBe(160);
    expect(stored?.body.equals(first.body)).toBe(true);
    expect(stored?.metadata['cache-tag']).toBe(tag);
    expect(second.via).toBe('hit');
    expect(createHash('sha256').update(second.body).digest('hex')).toBe(
      createHash('sha256').update(first.body).digest('hex'),
    );
  });

  it('replaces: new pixels, stale on-demand renditions purged, one tag invalidation', async () => {
    const before = cloudFront.invalidations.length;
    const events = await upload(key, await photo(BLUE, BLUE));

    const result = await s3EventEntry()(sqsBatch(events));
    const thumb = await thumbs.get(`${key}/_r/w320-cover-4x3-q80.jpg`);

    expect(result.batchItemFailures).toEqual([]);
    expect(await pixel(thumb?.body as Buffer, 10, 120)).toEqual([
      expect.toSatisfy((r: number) => r < 60),
      expect.toSatisfy((g: number) => g < 60),
      expect.toSatisfy((b: number) => b > 200),
    ]);
    expect(await thumbs.head(`${key}/_r/w160-q78.webp`)).toBeUndefined();
    expect(cloudFront.invalidations.slice(before)).toEqual([
      { distributionId: 'E2TEST', paths: [`#${tag}`], callerReference: expect.stringContaining(tag) },
    ]);
  });

  it('deletes: every rendition of the original is gone and the tag is invalidated', async () => {
    const before = cloudFront.invalidations.length;
    const events = await removeOriginal(key);

    const result = await s3EventEntry()(sqsBatch(events));

    expect(events[0]?.eventName).toBe('ObjectRemoved:Delete');
    expect(result.batchItemFailures).toEqual([]);
    expect(await keysUnder(`${key}/_r/`)).toEqual([]);
    expect(cloudFront.invalidations.slice(before).map((i) => i.paths)).toEqual([[`#${tag}`]]);
  });

  it('handles a delete delivered before its older put, and the put twice, leaving nothing and failing nothing', async () => {
    const late = 'fahrzeuge/4711/late.jpg';
    const [put] = await upload(late, await photo(GREEN, GREEN));
    const [remove] = await removeOriginal(late);

    const result = await s3EventEntry()(sqsBatch([remove, put, put].filter((e) => e !== undefined)));

    expect(result.batchItemFailures).toEqual([]);
    expect(await keysUnder(`${late}/_r/`)).toEqual([]);
  });

  it('gives byte-identical renditions when the same put is delivered twice', async () => {
    const twice = 'fahrzeuge/4711/twice.jpg';
    const [put] = await upload(twice, await photo(RED, GREEN));
    const entry = s3EventEntry();

    await entry(sqsBatch([put].filter((e) => e !== undefined)));
    const once = await thumbs.get(`${twice}/_r/w800-cover-4x3-q80.jpg`);
    await entry(sqsBatch([put].filter((e) => e !== undefined)));
    const again = await thumbs.get(`${twice}/_r/w800-cover-4x3-q80.jpg`);

    expect(again?.body.equals(once?.body as Buffer)).toBe(true);
    expect(await keysUnder(`${twice}/_r/`)).toHaveLength(3);
  });

  it('serves keys with spaces, plus, percent, hash, question mark and accents end to end', async () => {
    const keys = [
      'fahrzeuge/E+P-003_D.jpeg',
      'fahrzeuge/some-name (1).jpg',
      'fahrzeuge/100%_neu.jpg',
      'fahrzeuge/#1 front.jpg',
      'fahrzeuge/Kühler?.jpg',
    ];
    const image = await photo(RED, RED, 200, 150);
    const events = [];
    for (const k of keys) events.push(...(await upload(k, image)));
    const cdnGet = createCdn(thumbs, originEntry());

    const result = await s3EventEntry()(sqsBatch(events));
    const answers = await Promise.all(keys.map((k) => cdnGet(`/thumb/${encodeKey(k)}`)));
    const onDemand = await cdnGet(`/w240/${encodeKey(keys[1] as string)}`);

    expect(events.map((e) => e.s3.object.key)).toEqual([
      'fahrzeuge/E%2BP-003_D.jpeg',
      'fahrzeuge/some-name+(1).jpg',
      'fahrzeuge/100%25_neu.jpg',
      'fahrzeuge/%231+front.jpg',
      'fahrzeuge/K%C3%BChler%3F.jpg',
    ]);
    expect(result.batchItemFailures).toEqual([]);
    expect(answers.map((a) => [a.status, a.via])).toEqual(keys.map(() => [200, 'hit']));
    expect(onDemand.status).toBe(200);
    expect(await thumbs.head(`${keys[1]}/_r/w240-q80.jpg`)).toBeDefined();
  });

  it('stores a rendition too big for a generated response and redirects the viewer to the public URL', async () => {
    const big = 'fahrzeuge/4711/big.jpg';
    await upload(big, await photo(RED, BLUE));
    const cdnGet = createCdn(thumbs, originEntry({ limits: { generatedResponseBytes: 500 } }));

    const answer = await cdnGet(`/w480/${encodeKey(big)}`, 'v=7');
    const retry = await cdnGet(`/w480/${encodeKey(big)}`, 'v=7');

    expect(answer.status).toBe(302);
    expect(answer.headers.location).toBe(`/w480/${encodeKey(big)}?v=7`);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(retry.via).toBe('hit');
    expect((await sharp(retry.body).metadata()).width).toBe(400);
  });

  it('acknowledges S3 test events and sends a malformed SQS message back for retry only', async () => {
    const batch = {
      Records: [
        {
          messageId: 'test-event',
          eventSource: 'aws:sqs' as const,
          body: '{"Service":"Amazon S3","Event":"s3:TestEvent"}',
        },
        { messageId: 'garbled', eventSource: 'aws:sqs' as const, body: '{"Records": [' },
      ],
    };

    const result = await s3EventEntry()(batch);

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'garbled' }]);
  });

  it('answers a missing original with a cacheable 404 and stores nothing', async () => {
    const cdnGet = createCdn(thumbs, originEntry());

    const answer = await cdnGet('/w320/fahrzeuge/4711/missing.jpg');

    expect(answer.status).toBe(404);
    expect(answer.headers['cache-control']).toBe('public, max-age=10');
    expect(JSON.parse(answer.body.toString()).error.code).toBe('ORIGINAL_NOT_FOUND');
    expect(await keysUnder('fahrzeuge/4711/missing.jpg/')).toEqual([]);
  });

  it('survives 503 SlowDown, 500 and a dropped connection on S3 with no partial or garbled object', async () => {
    const flaky = 'fahrzeuge/4711/flaky.jpg';
    await upload(flaky, await photo(GREEN, BLUE));
    proxy.inject({ fault: 'slow-down', method: 'GET', path: /flaky\.jpg(\?|$)/ });
    proxy.inject({ fault: 'internal-error', method: 'PUT', path: /flaky\.jpg\/_r\// });
    proxy.inject({ fault: 'drop', method: 'PUT', path: /flaky\.jpg\/_r\// });
    const cdnGet = createCdn(thumbs, originEntry({}, proxy.endpoint));

    const answer = await cdnGet(`/w320/${encodeKey(flaky)}`);
    const stored = await thumbs.get(`${flaky}/_r/w320-q80.jpg`);

    expect(proxy.requests.filter((r) => r.fault).map((r) => r.fault)).toEqual(['slow-down', 'internal-error', 'drop']);
    expect(answer.status).toBe(200);
    expect(answer.body.subarray(0, 3).toString('hex')).toBe('ffd8ff');
    expect(stored?.body.equals(answer.body)).toBe(true);
    expect(stored?.size).toBe(answer.body.length);
  });
});
