import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackfillEvent, createBackfillEntry } from '../../src/aws/backfill.js';
import { bulkSettingsFromEnv } from '../../src/aws/bulk.js';
import type { Storage } from '../../src/storage/types.js';
import { jpeg, keysOf, truncatedJpeg } from '../cli/helpers.js';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.js';
import { type S3TestServer, startS3Server } from '../support/s3-server.js';

const EAGER = ['w1600-q80.jpg', 'w320-cover-4x3-q80.jpg', 'w800-cover-4x3-q80.jpg'];
const SETTINGS = { exchangeBucket: 'exchange', renditionsBucket: 'renditions', region: 'us-east-1', edge: {} };

let server: S3TestServer;
let proxy: FaultProxy;
let photo: Buffer;
let small: Buffer;

beforeAll(async () => {
  server = await startS3Server(['exchange', 'renditions']);
  proxy = await startFaultProxy(server.endpoint);
  photo = await jpeg(640, 480);
  small = await jpeg(400, 300, '#2060a0');
});

afterAll(async () => {
  await proxy?.close();
  await server?.close();
});

/** Stores under `label/` of each bucket, reached through the fault proxy. */
function storesFor(label: string) {
  const storage = (bucket: string): Storage =>
    server.storage(bucket, { endpoint: proxy.endpoint, prefix: `${label}/` });
  return { storage, exchange: storage('exchange'), renditions: storage('renditions') };
}

/** The batch the distributed map would send: the S3 listing of `label/`, fields as ListObjectsV2 names them. */
async function batchOf(label: string): Promise<BackfillEvent> {
  const listing = await server.client().send(new ListObjectsV2Command({ Bucket: 'exchange', Prefix: `${label}/` }));
  const Items = (listing.Contents ?? []).map((o) => ({
    Key: (o.Key as string).slice(label.length + 1),
    Etag: o.ETag as string,
    Size: o.Size as number,
    LastModified: (o.LastModified as Date).toISOString(),
    StorageClass: 'STANDARD',
  }));
  return { Items, BatchInput: { source: 'backfill' } };
}

/** Log and EMF lines, parsed. */
function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const write = (line: string) => void lines.push(JSON.parse(line));
  const emf = (code?: string) =>
    lines.find((l) => l._aws !== undefined && l.service === 'backfill' && l.code === code) ?? {};
  return { lines, write, emf };
}

const putsTo = (label: string) =>
  proxy.requests.filter((r) => r.method === 'PUT' && r.url.startsWith(`/renditions/${label}/`)).length;

describe('backfill Lambda entry', () => {
  it('renders the eager presets of the good originals of a batch and counts the corrupt one without throwing', async () => {
    const { storage, exchange, renditions } = storesFor('first');
    await exchange.put('fahrzeuge/4711/front.jpg', photo, { contentType: 'image/jpeg' });
    await exchange.put('fahrzeuge/4712/heck.jpg', small, { contentType: 'image/jpeg' });
    await exchange.put('fahrzeuge/4713/kaputt.jpg', await truncatedJpeg(), { contentType: 'image/jpeg' });
    await exchange.put('fahrzeuge/4711/front.jpg/_r/w320-q80.jpg', small);
    const out = capture();
    const backfill = createBackfillEntry(SETTINGS, { storage, write: out.write });

    const summary = await backfill(await batchOf('first'), { awsRequestId: 'req-1' });

    expect(summary).toEqual({
      items: 4,
      skipped: 1,
      rendered: 2,
      renditionsWritten: 6,
      upToDate: 0,
      gone: 0,
      rejected: [{ key: 'fahrzeuge/4713/kaputt.jpg', code: 'ORIGINAL_CORRUPT', reason: expect.any(String) }],
      failed: [],
      notStarted: 0,
    });
    expect(await keysOf(renditions)).toEqual([
      ...EAGER.map((d) => `fahrzeuge/4711/front.jpg/_r/${d}`),
      ...EAGER.map((d) => `fahrzeuge/4712/heck.jpg/_r/${d}`),
    ]);
    const etag = (await exchange.head('fahrzeuge/4711/front.jpg'))?.etag;
    const card = await renditions.head('fahrzeuge/4711/front.jpg/_r/w800-cover-4x3-q80.jpg');
    expect(card?.metadata).toMatchObject({ 'source-etag': etag, width: '640', height: '480' });
    expect(card?.contentType).toBe('image/jpeg');
    expect((await renditions.head('fahrzeuge/4712/heck.jpg/_r/w320-cover-4x3-q80.jpg'))?.metadata).toMatchObject({
      width: '320',
      height: '240',
    });
    expect(out.emf().RenditionsMade).toEqual([1, 1, 1, 1, 1, 1]);
    expect(out.emf('ORIGINAL_CORRUPT')).toMatchObject({ Errors: 1, service: 'backfill' });
    expect(out.lines.find((l) => l.message === 'backfill batch')).toMatchObject({
      function: 'backfill',
      requestId: 'req-1',
      rendered: 2,
      rejected: 1,
    });
  });

  it('renders nothing and writes nothing when the same batch runs again', async () => {
    const { storage } = storesFor('again');
    await storage('exchange').put('a.jpg', photo);
    await storage('exchange').put('b.jpg', small);
    const event = await batchOf('again');
    const out = capture();
    const backfill = createBackfillEntry(SETTINGS, { storage, write: out.write });
    await backfill(event);
    const putsBefore = putsTo('again');

    const summary = await backfill(event);

    expect(putsBefore).toBe(6);
    expect(summary).toMatchObject({ rendered: 0, renditionsWritten: 0, upToDate: 2, rejected: [], failed: [] });
    expect(putsTo('again')).toBe(6);
  });

  it('finishes the batch, then throws when a store keeps failing, so the map retries it; the retry completes it', async () => {
    const { storage, renditions } = storesFor('faulty');
    await storage('exchange').put('ok.jpg', small);
    await storage('exchange').put('unlucky.jpg', small);
    const event = await batchOf('faulty');
    const out = capture();
    const backfill = createBackfillEntry(SETTINGS, { storage, write: out.write });
    // Two attempts per call (the test stores' maxAttempts): both answers of the first put are 500s.
    proxy.inject({ fault: 'internal-error', method: 'PUT', path: /^\/renditions\/faulty\/unlucky\.jpg\//, times: 2 });

    const failed = backfill(event);

    await expect(failed).rejects.toThrow(
      /^backfill: store calls for 1 original\(s\) failed after retries \(first: put "s3:\/\/renditions\/faulty\/unlucky\.jpg\/_r\/w320-cover-4x3-q80\.jpg" failed \(InternalError, HTTP 500\): .*\); the batch will be retried$/,
    );
    expect(await keysOf(renditions)).toEqual(EAGER.map((d) => `ok.jpg/_r/${d}`));
    expect(out.lines.find((l) => l.message === 'original failed')).toMatchObject({
      key: 'unlucky.jpg',
      code: 'STORAGE_FAILED',
    });
    expect(out.emf('STORAGE_FAILED')).toMatchObject({ Errors: 1 });

    const retried = await backfill(event);

    expect(retried).toMatchObject({ rendered: 1, upToDate: 1, failed: [] });
    expect(await keysOf(renditions)).toHaveLength(6);
  });

  it('starts no original with less than the reserve left and throws so the batch is retried', async () => {
    const { storage } = storesFor('late');
    await storage('exchange').put('a.jpg', small);
    const requestsBefore = proxy.requests.length;
    const backfill = createBackfillEntry(SETTINGS, { storage, write: () => {}, reserveMs: 30_000 });

    const late = backfill(await batchOf('late'), { getRemainingTimeInMillis: () => 29_000 });

    await expect(late).rejects.toThrow(
      'backfill: out of time with 1 of 1 originals not started; the batch will be retried and skips the finished ones',
    );
    expect(proxy.requests.length).toBe(requestsBefore);
  });

  it('rejects a malformed batch naming the field', async () => {
    const backfill = createBackfillEntry(SETTINGS, { storage: storesFor('bad').storage, write: () => {} });

    await expect(backfill({ Items: [{ Key: 'a.jpg' }, { Key: 42 }] } as unknown as BackfillEvent)).rejects.toThrow(
      'backfill event Items[1].Key: expected an object key, got 42',
    );
    await expect(backfill({} as BackfillEvent)).rejects.toThrow(
      'backfill event Items: expected an array of S3 objects, got undefined',
    );
  });

  it('reads its buckets from the environment the CDK sets and names a missing variable', () => {
    const env = { EXCHANGE_BUCKET: 'ex', RENDITIONS_BUCKET: 're', AWS_REGION: 'eu-central-1', VETRINA_CONFIG: '{}' };

    expect(bulkSettingsFromEnv(env)).toEqual({
      exchangeBucket: 'ex',
      renditionsBucket: 're',
      region: 'eu-central-1',
      edge: {},
    });
    expect(() => bulkSettingsFromEnv({ EXCHANGE_BUCKET: 'ex' })).toThrow(
      'environment variable RENDITIONS_BUCKET is required but not set',
    );
  });
});
