import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeKey } from '../../../sdk/ts/src/key-encoding.js';
import { cacheTag } from '../../../sdk/ts/src/rendition.js';
import { DEFAULT_CONFIG, resolveConfig } from '../../src/config.js';
import type { OriginResponseEvent, OriginResponseResult } from '../../src/handlers/aws-events.js';
import { handleOriginResponse, type OriginResponseDeps } from '../../src/handlers/origin-response.js';
import { memoryLogger } from '../../src/log.js';
import { createLocalStorage } from '../../src/storage/local.js';
import type { Storage } from '../../src/storage/types.js';

const FIXTURES = join(import.meta.dirname, '../fixtures');
const KEY = 'fahrzeuge/4711/Front links.jpg';
const md5 = (body: Buffer) => createHash('md5').update(body).digest('hex');

function originEvent(renditionKey: string, options: { status?: string; publicUri?: string } = {}): OriginResponseEvent {
  const status = options.status ?? '404';
  const publicUri = options.publicUri;
  return {
    Records: [
      {
        cf: {
          config: {
            distributionDomainName: 'd111111abcdef8.cloudfront.net',
            distributionId: 'EDFDVBD6EXAMPLE',
            eventType: 'origin-response',
            requestId: 'r-1',
          },
          request: {
            clientIp: '203.0.113.178',
            method: 'GET',
            querystring: '',
            uri: `/${encodeKey(renditionKey)}`,
            headers: {
              host: [{ key: 'Host', value: 'erp-car-thumbs.s3.us-east-1.amazonaws.com' }],
              ...(publicUri ? { 'x-vetrina-public-uri': [{ key: 'X-Vetrina-Public-Uri', value: publicUri }] } : {}),
            },
          },
          response: {
            status,
            statusDescription: status === '200' ? 'OK' : 'Not Found',
            headers: {
              'content-type': [{ key: 'Content-Type', value: 'application/xml' }],
              'transfer-encoding': [{ key: 'Transfer-Encoding', value: 'chunked' }],
              via: [{ key: 'Via', value: '1.1 abc.cloudfront.net (CloudFront)' }],
            },
          },
        },
      },
    ],
  };
}

const header = (result: OriginResponseResult, name: string) => result.headers[name]?.[0]?.value;
const bodyOf = (result: OriginResponseResult) => Buffer.from(result.body ?? '', 'base64');

/** 640×480, left half red, right half blue. */
async function halves(): Promise<Buffer> {
  const blue = await sharp({ create: { width: 320, height: 480, channels: 3, background: '#0000ff' } })
    .png()
    .toBuffer();
  return sharp({ create: { width: 640, height: 480, channels: 3, background: '#ff0000' } })
    .composite([{ input: blue, left: 320, top: 0 }])
    .jpeg({ quality: 95 })
    .toBuffer();
}

describe('handleOriginResponse', () => {
  let dir: string;
  let exchange: Storage;
  let renditions: Storage;
  let deps: OriginResponseDeps & { log: ReturnType<typeof memoryLogger> };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vetrina-origin-'));
    exchange = createLocalStorage(join(dir, 'originals'));
    renditions = createLocalStorage(join(dir, 'renditions'));
    deps = { exchange, renditions, config: DEFAULT_CONFIG, log: memoryLogger() };
    await exchange.put(KEY, await halves());
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('passes a 200 from the renditions bucket through untouched', async () => {
    const event = originEvent(`${KEY}/_r/w320-q80.jpg`, { status: '200' });

    const result = await handleOriginResponse(event, deps);

    expect(result).toBe(event.Records[0]?.cf.response);
    expect((await renditions.list('')).objects).toEqual([]);
  });

  it('generates, stores and returns a missing JPEG rendition as base64 with the SPEC headers', async () => {
    const event = originEvent(`${KEY}/_r/w320-q80.jpg`, { publicUri: `/w320/${encodeKey(KEY)}` });

    const result = await handleOriginResponse(event, deps);
    const bytes = bodyOf(result);
    const stored = await renditions.get(`${KEY}/_r/w320-q80.jpg`);
    const { width, height } = await sharp(bytes).metadata();

    expect(result.status).toBe('200');
    expect(result.bodyEncoding).toBe('base64');
    expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect([width, height]).toEqual([320, 240]);
    expect(header(result, 'content-type')).toBe('image/jpeg');
    expect(header(result, 'cache-control')).toBe('public, max-age=31536000, immutable');
    expect(header(result, 'x-content-type-options')).toBe('nosniff');
    expect(header(result, 'vary')).toBe('Accept');
    expect(header(result, 'etag')).toBe(`"${md5(bytes)}"`);
    expect(header(result, 'x-amz-meta-cache-tag')).toBe(cacheTag(KEY));
    expect(result.headers['transfer-encoding']).toEqual([{ key: 'Transfer-Encoding', value: 'chunked' }]);
    expect(stored?.body.equals(bytes)).toBe(true);
    expect(stored?.contentType).toBe('image/jpeg');
    expect(stored?.cacheControl).toBe('public, max-age=31536000, immutable');
    expect(stored?.metadata).toEqual({
      'source-etag': (await exchange.head(KEY))?.etag,
      'cache-tag': cacheTag(KEY),
      'source-key': 'fahrzeuge/4711/Front%20links.jpg',
      width: '320',
      height: '240',
    });
    expect(deps.log.entries).toMatchObject([{ key: KEY, outcome: 'generated', status: 200 }]);
  });

  it('treats a 403 from S3 (no ListBucket) as a missing rendition', async () => {
    const result = await handleOriginResponse(originEvent(`${KEY}/_r/w160-q80.jpg`, { status: '403' }), deps);

    expect(result.status).toBe('200');
    expect((await renditions.head(`${KEY}/_r/w160-q80.jpg`))?.size).toBe(bodyOf(result).length);
  });

  it('labels AVIF, WebP, JPEG and PNG with the type their magic bytes say (case 28)', async () => {
    const cases = [
      {
        descriptor: 'w160-q55.avif',
        type: 'image/avif',
        magic: (b: Buffer) => b.toString('latin1', 4, 12) === 'ftypavif',
      },
      { descriptor: 'w160-q78.webp', type: 'image/webp', magic: (b: Buffer) => b.toString('latin1', 8, 12) === 'WEBP' },
      { descriptor: 'w160-q80.jpg', type: 'image/jpeg', magic: (b: Buffer) => b[0] === 0xff && b[1] === 0xd8 },
      { descriptor: 'w160.png', type: 'image/png', magic: (b: Buffer) => b.readUInt32BE(0) === 0x89504e47 },
    ];

    for (const { descriptor, type, magic } of cases) {
      const publicUri = `/w160,${type.slice(6)}/${encodeKey(KEY)}`;
      const result = await handleOriginResponse(originEvent(`${KEY}/_r/${descriptor}`, { publicUri }), deps);
      const stored = await renditions.head(`${KEY}/_r/${descriptor}`);

      expect(header(result, 'content-type')).toBe(type);
      expect(magic(bodyOf(result))).toBe(true);
      expect(stored?.contentType).toBe(type);
      expect(header(result, 'vary')).toBeUndefined();
    }
  });

  it('turns an EXIF orientation 6 original upright (case 1)', async () => {
    await exchange.put('car-o6.jpg', await readFile(join(FIXTURES, 'car-o6.jpg')));

    const result = await handleOriginResponse(originEvent('car-o6.jpg/_r/w160-q80.jpg'), deps);
    const { data, info } = await sharp(bodyOf(result)).raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => [...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)];
    const orientation = (await sharp(bodyOf(result)).metadata()).orientation;

    expect([info.width, info.height]).toEqual([48, 64]);
    expect(pixel(0, 0)[0]).toBeGreaterThanOrEqual(200);
    expect(pixel(0, 63)[2]).toBeGreaterThanOrEqual(200);
    expect(orientation === undefined || orientation === 1).toBe(true);
  });

  it('stores a rendition over the generated-response limit and redirects to the public URI', async () => {
    const config = resolveConfig({ limits: { generatedResponseBytes: 2_000 } });
    const publicUri = `/w640/${encodeKey(KEY)}?v=17`;

    const result = await handleOriginResponse(originEvent(`${KEY}/_r/w640-q80.jpg`, { publicUri }), {
      ...deps,
      config,
    });

    expect(result.status).toBe('302');
    expect(header(result, 'location')).toBe(publicUri);
    expect(header(result, 'cache-control')).toBe('no-store');
    expect(result.body).toBeUndefined();
    expect((await renditions.head(`${KEY}/_r/w640-q80.jpg`))?.metadata.width).toBe('640');
  });

  it('answers 502 STORAGE_FAILED instead of a redirect when the large rendition could not be stored', async () => {
    await writeFile(join(dir, 'not-a-folder'), 'x');
    const broken = createLocalStorage(join(dir, 'not-a-folder'));
    const config = resolveConfig({ limits: { generatedResponseBytes: 2_000 } });
    const event = originEvent(`${KEY}/_r/w640-q80.jpg`, { publicUri: `/w640/${encodeKey(KEY)}` });

    const result = await handleOriginResponse(event, { ...deps, renditions: broken, config });

    expect(result.status).toBe('502');
    expect(JSON.parse(result.body ?? '{}').error.code).toBe('STORAGE_FAILED');
    expect(header(result, 'cache-control')).toBe('no-store');
  });

  it('refuses to redirect to another host', async () => {
    const config = resolveConfig({ limits: { generatedResponseBytes: 2_000 } });
    const event = originEvent(`${KEY}/_r/w640-q80.jpg`, { publicUri: '//evil.example/x.jpg' });

    const result = await handleOriginResponse(event, { ...deps, config });

    expect(result.status).toBe('500');
    expect(header(result, 'location')).toBeUndefined();
  });

  it('answers a missing original with 404 ORIGINAL_NOT_FOUND, max-age=10, and stores nothing', async () => {
    const result = await handleOriginResponse(originEvent('fahrzeuge/4711/missing.jpg/_r/w320-q80.jpg'), deps);

    expect(result.status).toBe('404');
    expect(header(result, 'cache-control')).toBe('public, max-age=10');
    expect(header(result, 'content-type')).toBe('application/json');
    expect(result.bodyEncoding).toBe('text');
    expect(JSON.parse(result.body ?? '{}')).toMatchObject({ error: { code: 'ORIGINAL_NOT_FOUND', status: 404 } });
    expect((await renditions.list('')).objects).toEqual([]);
  });

  it('answers bad originals with their 4xx code, no-store, and stores nothing (cases 9, 10, 13, 29)', async () => {
    const cases = [
      {
        key: 'truncated.jpg',
        bytes: await readFile(join(FIXTURES, 'truncated.jpg')),
        status: '422',
        code: 'ORIGINAL_CORRUPT',
      },
      { key: 'empty.jpg', bytes: Buffer.alloc(0), status: '415', code: 'ORIGINAL_EMPTY' },
      { key: 'bomb.png', bytes: await readFile(join(FIXTURES, 'bomb.png')), status: '422', code: 'ORIGINAL_TOO_LARGE' },
    ];

    for (const { key, bytes, status, code } of cases) {
      await exchange.put(key, bytes);
      const started = performance.now();
      const result = await handleOriginResponse(originEvent(`${key}/_r/w320-q80.jpg`), deps);

      expect(performance.now() - started).toBeLessThan(2_000);
      expect(result.status).toBe(status);
      expect(JSON.parse(result.body ?? '{}').error.code).toBe(code);
      expect(header(result, 'cache-control')).toBe('no-store');
    }
    expect((await renditions.list('')).objects).toEqual([]);
    expect(deps.log.entries.map((entry) => entry.code)).toEqual([
      'ORIGINAL_CORRUPT',
      'ORIGINAL_EMPTY',
      'ORIGINAL_TOO_LARGE',
    ]);
  });

  it('serves WebP with no-store and stores nothing when AVIF misses its budget (case 33)', async () => {
    const config = resolveConfig({ limits: { avifBudgetMs: 1 } });
    const noise = await sharp({
      create: {
        width: 640,
        height: 480,
        channels: 3,
        background: '#808080',
        noise: { type: 'gaussian', mean: 128, sigma: 60 },
      },
    })
      .jpeg()
      .toBuffer();
    await exchange.put('noise.jpg', noise);

    const result = await handleOriginResponse(originEvent('noise.jpg/_r/w640-q55.avif'), { ...deps, config });

    expect(result.status).toBe('200');
    expect(header(result, 'content-type')).toBe('image/webp');
    expect(bodyOf(result).toString('latin1', 8, 12)).toBe('WEBP');
    expect(header(result, 'cache-control')).toBe('no-store');
    expect((await renditions.list('')).objects).toEqual([]);
  });

  it('rejects URIs that are not canonical renditions with 400 and never throws', async () => {
    const uris = [
      'fahrzeuge/front.jpg',
      `${KEY}/_r/w700-q80.jpg`,
      `a/../b.jpg/_r/w320-q80.jpg`,
      `${KEY}/_r/w320-cover-40x3-q80.jpg`,
    ];

    const results = await Promise.all(uris.map((uri) => handleOriginResponse(originEvent(uri), deps)));
    const malformed = await handleOriginResponse({ Records: [] } as unknown as OriginResponseEvent, deps);
    const badPercent = originEvent(`${KEY}/_r/w320-q80.jpg`);
    (badPercent.Records[0]?.cf.request as { uri: string }).uri = '/a%ZZ/_r/w320-q80.jpg';

    expect(results.map((result) => result.status)).toEqual(['400', '400', '400', '400']);
    expect(results.map((result) => JSON.parse(result.body ?? '{}').error.code)).toEqual([
      'BAD_PATH',
      'BAD_PATH',
      'BAD_KEY',
      'BAD_PATH',
    ]);
    expect(malformed.status).toBe('400');
    expect((await handleOriginResponse(badPercent, deps)).status).toBe('400');
    expect((await renditions.list('')).objects).toEqual([]);
  });
});
