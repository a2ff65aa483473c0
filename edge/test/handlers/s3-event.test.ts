import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeKey } from '../../../sdk/ts/src/key-encoding.js';
import { cacheTag } from '../../../sdk/ts/src/rendition.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { renderMany } from '../../src/engine/index.js';
import type { OriginResponseEvent, S3EventRecord } from '../../src/handlers/aws-events.js';
import { handleOriginResponse } from '../../src/handlers/origin-response.js';
import { decodeEventKey, handleS3Event, type S3EventDeps } from '../../src/handlers/s3-event.js';
import { memoryLogger } from '../../src/log.js';
import { createLocalStorage } from '../../src/storage/local.js';
import type { Storage } from '../../src/storage/types.js';

const FIXTURES = join(import.meta.dirname, '../fixtures');
const ORIGINALS = join(import.meta.dirname, '../../../examples/originals');
const PHOTOS = 'erp-car-photos';
const THUMBS = 'erp-car-thumbs';
const KEY = 'fahrzeuge/4711/front.jpg';
const EAGER = ['w1600-q80.jpg', 'w320-cover-4x3-q80.jpg', 'w800-cover-4x3-q80.jpg'];
const md5 = (body: Buffer) => createHash('md5').update(body).digest('hex');

function record(eventName: string, key: string, bucket = PHOTOS, sequencer = '0062E99A88DC407460'): S3EventRecord {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'eu-central-1',
    eventTime: '2026-12-04T17:00:00.000Z',
    eventName,
    s3: { bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` }, object: { key, size: 2048, sequencer } },
  };
}

/** A store that counts writes, to prove the handler leaves a store alone. */
function counting(store: Storage): Storage & { writes: number } {
  const counted = {
    ...store,
    location: store.location,
    writes: 0,
    put: (...args: Parameters<Storage['put']>) => {
      counted.writes++;
      return store.put(...args);
    },
    delete: (keys: readonly string[]) => {
      counted.writes++;
      return store.delete(keys);
    },
  };
  return counted;
}

async function solid(colour: string, width = 640, height = 480): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .jpeg()
    .toBuffer();
}

async function centrePixel(body: Buffer): Promise<number[]> {
  const { data, info } = await sharp(body).raw().toBuffer({ resolveWithObject: true });
  const at = (Math.floor(info.height / 2) * info.width + Math.floor(info.width / 2)) * info.channels;
  return [...data.subarray(at, at + 3)];
}

describe('handleS3Event', () => {
  let dir: string;
  let exchange: Storage & { writes: number };
  let renditions: Storage;
  let invalidations: Array<[string, string]>;
  let renders: number;
  let deps: S3EventDeps & { log: ReturnType<typeof memoryLogger> };

  const keysUnder = async (prefix: string) => (await renditions.list(prefix)).objects.map((object) => object.key);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vetrina-s3-event-'));
    exchange = counting(createLocalStorage(join(dir, 'originals')));
    renditions = createLocalStorage(join(dir, 'renditions'));
    invalidations = [];
    renders = 0;
    deps = {
      exchange,
      renditions,
      config: DEFAULT_CONFIG,
      log: memoryLogger(),
      exchangeBucket: PHOTOS,
      invalidate: async (tag, key) => {
        invalidations.push([tag, key]);
      },
      engine: {
        renderMany: (...args: Parameters<typeof renderMany>) => {
          renders++;
          return renderMany(...args);
        },
      },
    };
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('decodes keys form-style: "+" is a space, %2B a plus', () => {
    expect(decodeEventKey('fahrzeuge/E%2BP-003_D.jpeg')).toBe('fahrzeuge/E+P-003_D.jpeg');
    expect(decodeEventKey('fahrzeuge/some+name+%281%29.png')).toBe('fahrzeuge/some name (1).png');
    expect(decodeEventKey('fahrzeuge/K%C3%BChler%3F.jpg')).toBe('fahrzeuge/Kühler?.jpg');
  });

  it('makes the three eager renditions of a big sample at their exact sizes with SPEC metadata', async () => {
    const name = 'La strada è vuota – California 3200px.jpg';
    const key = `fahrzeuge/4711/${name}`;
    await exchange.put(key, await readFile(join(ORIGINALS, name)));
    const etag = (await exchange.head(key))?.etag;

    const result = await handleS3Event(
      { Records: [record('ObjectCreated:Put', encodeURIComponent(key).replace(/%20/g, '+'))] },
      deps,
    );
    const sizes: Record<string, number[]> = {};
    for (const descriptor of EAGER) {
      const object = await renditions.get(`${key}/_r/${descriptor}`);
      const meta = await sharp(object?.body).metadata();
      sizes[descriptor] = [meta.width ?? 0, meta.height ?? 0];
      expect(object?.contentType).toBe('image/jpeg');
      expect(object?.cacheControl).toBe('public, max-age=31536000, immutable');
      expect(object?.metadata).toEqual({
        'source-etag': etag,
        'cache-tag': cacheTag(key),
        'source-key': encodeKey(key),
        width: String(meta.width),
        height: String(meta.height),
      });
    }

    expect(result.batchItemFailures).toEqual([]);
    expect(sizes).toEqual({
      'w320-cover-4x3-q80.jpg': [320, 240],
      'w800-cover-4x3-q80.jpg': [800, 600],
      'w1600-q80.jpg': [1600, 1068],
    });
    expect(renders).toBe(1);
    expect(invalidations).toEqual([]);
  });

  it('renders orientation-tagged originals upright: portrait stays portrait, orientation 8 is landscape', async () => {
    await exchange.put('car-o6.jpg', await readFile(join(FIXTURES, 'car-o6.jpg')));
    await exchange.put('o8.jpg', await readFile(join(ORIGINALS, 'exif-orientation-8-waterfall.jpg')));

    await handleS3Event(
      { Records: [record('ObjectCreated:Put', 'car-o6.jpg'), record('ObjectCreated:Put', 'o8.jpg')] },
      deps,
    );
    const size = async (key: string) => {
      const meta = await sharp((await renditions.get(key))?.body).metadata();
      return [meta.width, meta.height];
    };

    expect(await size('car-o6.jpg/_r/w1600-q80.jpg')).toEqual([48, 64]);
    expect(await size('car-o6.jpg/_r/w320-cover-4x3-q80.jpg')).toEqual([48, 36]);
    expect(await size('o8.jpg/_r/w1600-q80.jpg')).toEqual([1600, 1067]);
  });

  it('makes no write for records of the renditions bucket or rendition keys (case 19)', async () => {
    await exchange.put(KEY, await solid('#ff0000'));
    exchange.writes = 0;
    const records = [
      record('ObjectCreated:Put', 'w320/fahrzeuge/4711/front.jpg', THUMBS, '0062E99A88DC4080A0'),
      record('ObjectCreated:Put', `${KEY}/_r/w320-cover-4x3-q80.jpg`, PHOTOS),
    ];

    const ignored = await handleS3Event({ Records: records }, deps);
    const copied = await handleS3Event({ Records: [record('ObjectCreated:Copy', KEY)] }, deps);
    const copiedAgain = await handleS3Event({ Records: [record('ObjectCreated:Copy', KEY)] }, deps);
    const keys = await keysUnder('');

    expect([ignored, copied, copiedAgain].flatMap((result) => result.batchItemFailures)).toEqual([]);
    expect(deps.log.entries.slice(0, 2).map((entry) => entry.outcome)).toEqual(['ignored', 'ignored']);
    expect(exchange.writes).toBe(0);
    expect(renders).toBe(1);
    expect(keys).toEqual(EAGER.map((descriptor) => `${KEY}/_r/${descriptor}`));
    expect(keys.every((key) => key.split('/_r/').length === 2)).toBe(true);
  });

  it('acknowledges a zero-byte upload without calling the engine and writes nothing (case 10)', async () => {
    await exchange.put('fahrzeuge/4711/empty.jpg', Buffer.alloc(0));
    const event = {
      Records: [
        {
          eventName: 'ObjectCreated:Put',
          s3: {
            bucket: { name: PHOTOS },
            object: { key: 'fahrzeuge/4711/empty.jpg', size: 0, sequencer: '0062E99A88DC400000' },
          },
        },
      ],
    };

    const result = await handleS3Event(event, deps);

    expect(result.batchItemFailures).toEqual([]);
    expect(renders).toBe(0);
    expect(await keysUnder('')).toEqual([]);
    expect(deps.log.entries).toMatchObject([
      { level: 'warn', key: 'fahrzeuge/4711/empty.jpg', reason: 'empty object', code: 'ORIGINAL_EMPTY' },
    ]);
  });

  it('logs bad originals with key and reason, writes nothing and does not retry (cases 9, 12, 13)', async () => {
    await exchange.put('truncated.jpg', await readFile(join(FIXTURES, 'truncated.jpg')));
    await exchange.put('bomb.png', await readFile(join(FIXTURES, 'bomb.png')));
    await exchange.put('IMG_0815.jpeg', await readFile(join(FIXTURES, 'car.heic')));

    const result = await handleS3Event(
      {
        Records: [
          record('ObjectCreated:Put', 'truncated.jpg'),
          record('ObjectCreated:Put', 'bomb.png'),
          record('ObjectCreated:Put', 'IMG_0815.jpeg'),
        ],
      },
      deps,
    );
    const [truncated, bomb, heic] = deps.log.entries;

    expect(result.batchItemFailures).toEqual([]);
    expect(truncated).toMatchObject({ level: 'warn', key: 'truncated.jpg', code: 'ORIGINAL_CORRUPT' });
    expect(truncated?.reason).toContain('truncated/corrupt');
    expect(bomb).toMatchObject({ level: 'warn', key: 'bomb.png', code: 'ORIGINAL_TOO_LARGE' });
    expect(bomb?.reason).toContain('pixel limit');
    if (heic?.outcome === 'rejected') {
      expect(heic.reason).toContain('unsupported: HEIC/HEVC');
      expect(await keysUnder('')).toEqual([]);
    } else {
      expect(await keysUnder('')).toHaveLength(3);
    }
  });

  it('handles a late PUT after a DELETE, and the PUT again, without errors or renditions (case 20)', async () => {
    await exchange.put(KEY, await solid('#ff0000'));
    await handleS3Event({ Records: [record('ObjectCreated:Put', KEY, PHOTOS, '0062E99A88DC407000')] }, deps);
    await exchange.delete([KEY]);
    const a = record('ObjectRemoved:Delete', KEY, PHOTOS, '0062E99A88DC4074A0');
    const b = record('ObjectCreated:Put', KEY, PHOTOS, '0062E99A88DC407460');

    const results = [
      await handleS3Event({ Records: [a] }, deps),
      await handleS3Event({ Records: [b] }, deps),
      await handleS3Event({ Records: [b] }, deps),
    ];

    expect(results.flatMap((result) => result.batchItemFailures)).toEqual([]);
    expect(await keysUnder(`${KEY}/`)).toEqual([]);
    expect(deps.log.entries.slice(1).map((entry) => entry.outcome)).toEqual(['deleted', 'skipped', 'skipped']);
    expect(invalidations).toEqual([[cacheTag(KEY), KEY]]);
  });

  it('on replace re-renders, deletes stale on-demand renditions and invalidates once; a duplicate changes nothing', async () => {
    await exchange.put(KEY, await solid('#ff0000'));
    await handleS3Event({ Records: [record('ObjectCreated:Put', KEY)] }, deps);
    const onDemand: OriginResponseEvent = {
      Records: [
        {
          cf: {
            config: { eventType: 'origin-response', requestId: 'r-2' },
            request: { method: 'GET', querystring: '', uri: `/${encodeKey(KEY)}/_r/w640-q80.jpg`, headers: {} },
            response: { status: '404', headers: {} },
          },
        },
      ],
    };
    await handleOriginResponse(onDemand, { exchange, renditions, config: DEFAULT_CONFIG, log: deps.log });
    expect(await keysUnder(`${KEY}/`)).toHaveLength(4);

    await exchange.put(KEY, await solid('#0000ff'));
    const replaced = await handleS3Event({ Records: [record('ObjectCreated:Put', KEY)] }, deps);
    const afterReplace = await Promise.all(EAGER.map(async (d) => (await renditions.get(`${KEY}/_r/${d}`))?.body));
    const duplicate = await handleS3Event({ Records: [record('ObjectCreated:Put', KEY)] }, deps);
    const afterDuplicate = await Promise.all(EAGER.map(async (d) => (await renditions.get(`${KEY}/_r/${d}`))?.body));

    expect([replaced, duplicate].flatMap((result) => result.batchItemFailures)).toEqual([]);
    expect(await keysUnder(`${KEY}/`)).toEqual(EAGER.map((descriptor) => `${KEY}/_r/${descriptor}`));
    for (const body of afterReplace) {
      const [r, g, b] = await centrePixel(body as Buffer);
      expect(r).toBeLessThanOrEqual(60);
      expect(g).toBeLessThanOrEqual(60);
      expect(b).toBeGreaterThanOrEqual(200);
    }
    expect(afterDuplicate.map((body) => md5(body as Buffer))).toEqual(afterReplace.map((body) => md5(body as Buffer)));
    expect(invalidations).toEqual([[cacheTag(KEY), KEY]]);
    expect(renders).toBe(2);
  });

  it('on delete empties the prefix and invalidates; ignores a delete when the original is back', async () => {
    await exchange.put(KEY, await solid('#ff0000'));
    await handleS3Event({ Records: [record('ObjectCreated:Put', KEY)] }, deps);

    const stillThere = await handleS3Event({ Records: [record('ObjectRemoved:Delete', KEY)] }, deps);
    const keptKeys = await keysUnder(`${KEY}/`);
    await exchange.delete([KEY]);
    const gone = await handleS3Event({ Records: [record('ObjectRemoved:Delete', KEY)] }, deps);

    expect([stillThere, gone].flatMap((result) => result.batchItemFailures)).toEqual([]);
    expect(keptKeys).toHaveLength(3);
    expect(await keysUnder(`${KEY}/`)).toEqual([]);
    expect(invalidations).toEqual([[cacheTag(KEY), KEY]]);
  });

  it('reports only the record whose store failed in batchItemFailures', async () => {
    await writeFile(join(dir, 'not-a-folder'), 'x');
    await exchange.put(KEY, await solid('#ff0000', 64, 48));
    const broken = { ...deps, renditions: createLocalStorage(join(dir, 'not-a-folder')) };

    const result = await handleS3Event(
      { Records: [record('ObjectCreated:Put', 'other-bucket.jpg', 'someone-else'), record('ObjectCreated:Put', KEY)] },
      broken,
    );

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '1' }]);
    expect(deps.log.entries[1]).toMatchObject({ level: 'error', outcome: 'failed', code: 'STORAGE_FAILED' });
  });
});
