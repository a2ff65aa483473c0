import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EDGE_CONFIG_FILE } from '../../../infra/lib/bundles.js';
import type { BucketLocation, EdgeDeployment } from '../../src/aws/deployment.js';
import { createOriginResponseHandler, type OriginResponseEvent } from '../../src/aws/origin-response.js';
import { createLocalStorage } from '../../src/storage/local.js';
import type { Storage } from '../../src/storage/types.js';
import { jpeg } from '../cli/helpers.js';
import { S3RVER_CREDENTIALS, type S3TestServer, startS3Server } from '../support/s3-server.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../../..');
const scratch = mkdtempSync(join(tmpdir(), 'vetrina-or-entry-'));
const DEPLOYMENT: EdgeDeployment = {
  exchange: { bucket: 'erp-car-photos', region: 'eu-central-1' },
  renditions: { bucket: 'erp-car-thumbs', region: 'eu-central-1' },
  edge: {},
};
const BAKED: EdgeDeployment = { exchange: { bucket: 'baked-originals', region: 'us-east-1' } };

let original: Buffer;

beforeAll(async () => {
  original = await jpeg(400, 300);
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function missEvent(uri: string): OriginResponseEvent {
  return {
    Records: [
      {
        cf: {
          config: { eventType: 'origin-response', requestId: 'r-1', distributionId: 'E1' },
          request: {
            method: 'GET',
            uri,
            querystring: '',
            headers: {},
            origin: { s3: { domainName: 'origin-thumbs.s3.eu-west-1.amazonaws.com' } },
          },
          response: { status: '404', statusDescription: 'Not Found', headers: {} },
        },
      },
    ],
  } as OriginResponseEvent;
}

/** A folder with `vetrina-edge.json` holding `content` (an object, or raw text). */
function deploymentDir(label: string, content?: unknown): string {
  const dir = join(scratch, label);
  mkdirSync(dir, { recursive: true });
  if (content !== undefined) {
    writeFileSync(join(dir, 'vetrina-edge.json'), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

/** Local folders standing in for buckets, named after the bucket; records which buckets were asked for. */
function localBuckets(label: string) {
  const asked: BucketLocation[] = [];
  const storage = (location: BucketLocation): Storage => {
    asked.push(location);
    return createLocalStorage(join(scratch, label, 'buckets', location.bucket));
  };
  return { asked, storage, bucket: (name: string) => createLocalStorage(join(scratch, label, 'buckets', name)) };
}

describe('origin-response entry deployment', () => {
  it('reads vetrina-edge.json next to the bundle once and renders from and into the buckets it names', async () => {
    const dir = deploymentDir('file', DEPLOYMENT);
    const buckets = localBuckets('file');
    await buckets.bucket('erp-car-photos').put('fahrzeuge/a.jpg', original);
    const lines: string[] = [];
    const handler = createOriginResponseHandler({
      dir,
      fallback: BAKED,
      storage: buckets.storage,
      write: (l) => lines.push(l),
    });

    const first = await handler(missEvent('/fahrzeuge/a.jpg/_r/w320-q80.jpg'));
    const second = await handler(missEvent('/fahrzeuge/a.jpg/_r/w800-q80.jpg'));

    expect([first.status, second.status]).toEqual(['200', '200']);
    expect(buckets.asked).toEqual([DEPLOYMENT.exchange, DEPLOYMENT.renditions]);
    const stored = await buckets.bucket('erp-car-thumbs').get('fahrzeuge/a.jpg/_r/w320-q80.jpg');
    expect(await sharp(stored?.body).metadata()).toMatchObject({ width: 320, height: 240, format: 'jpeg' });
    const reads = lines.map((l) => JSON.parse(l)).filter((l) => l.message === 'deployment read');
    expect(reads).toEqual([
      expect.objectContaining({
        level: 'info',
        file: join(dir, 'vetrina-edge.json'),
        exchange: 'eu-central-1/erp-car-photos',
        renditions: 'eu-central-1/erp-car-thumbs',
      }),
    ]);
  });

  it('falls back to the baked deployment only when the file is absent, and warns naming the file', async () => {
    const dir = deploymentDir('absent');
    const buckets = localBuckets('absent');
    const lines: string[] = [];
    const handler = createOriginResponseHandler({
      dir,
      fallback: BAKED,
      storage: buckets.storage,
      write: (l) => lines.push(l),
    });

    const result = await handler(missEvent('/a.jpg/_r/w320-q80.jpg'));

    expect(result.status).toBe('404');
    expect(buckets.asked).toEqual([
      { bucket: 'baked-originals', region: 'us-east-1' },
      { bucket: 'origin-thumbs', region: 'eu-west-1' },
    ]);
    const warning = JSON.parse(lines[0] as string);
    expect(warning).toMatchObject({
      level: 'warn',
      message: 'no vetrina-edge.json next to the bundle: using the deployment baked in at build time',
      file: join(dir, 'vetrina-edge.json'),
      exchange: 'us-east-1/baked-originals',
    });
  });

  it.each([
    ['a misspelt field', { ...DEPLOYMENT, renditons: {} }, /vetrina-edge\.json: unknown field "renditons"/],
    [
      'a region that is no region',
      { exchange: { bucket: 'erp-car-photos', region: 'Frankfurt' } },
      /vetrina-edge\.json exchange\.region: expected an AWS region such as eu-central-1, got "Frankfurt"/,
    ],
    ['text that is not JSON', '{ "exchange": ', /vetrina-edge\.json: expected JSON, got invalid JSON/],
  ])('refuses a deployment file with %s at cold start, naming the field', async (label, content, message) => {
    const dir = deploymentDir(`bad-${label.replaceAll(' ', '-')}`, content);
    const handler = createOriginResponseHandler({ dir, fallback: BAKED, write: () => {} });

    await expect(handler(missEvent('/a.jpg/_r/w320-q80.jpg'))).rejects.toThrow(message);
  });

  it('names the file the CDK app writes', () => {
    expect(EDGE_CONFIG_FILE).toBe('vetrina-edge.json');
  });
});

describe('built origin-response bundle', () => {
  let server: S3TestServer;
  let bundle: string;

  beforeAll(async () => {
    const out = join(scratch, 'bundles');
    await run('node', ['scripts/build-bundles.mjs', '--only', 'origin-response', '--out', out], { cwd: root });
    bundle = join(out, 'origin-response');
    server = await startS3Server(['erp-car-photos', 'erp-car-thumbs', 'vetrina-example-originals', 'origin-thumbs']);
  });

  afterAll(async () => {
    await server?.close();
  });

  it('uses the buckets of the vetrina-edge.json staged next to index.mjs, not the baked example', async () => {
    await server.storage('erp-car-photos').put('fahrzeuge/b.jpg', original);
    // The baked example bucket holds other bytes under the same key: a smaller picture.
    await server.storage('vetrina-example-originals').put('fahrzeuge/b.jpg', await jpeg(200, 150, '#2040c0'));
    writeFileSync(join(bundle, 'vetrina-edge.json'), JSON.stringify(DEPLOYMENT));
    const script = `
      const { handler } = await import(${JSON.stringify(join(bundle, 'index.mjs'))});
      const result = await handler(${JSON.stringify(missEvent('/fahrzeuge/b.jpg/_r/w320-cover-4x3-q80.jpg'))});
      process.stdout.write(JSON.stringify({ status: result.status }) + '\\n');`;

    // Async: s3rver runs in this process and must keep answering while the child waits.
    const child = await run('node', ['--input-type=module', '-e', script], {
      cwd: scratch,
      env: {
        PATH: process.env.PATH ?? '',
        // The SDK's endpoint override; an IP endpoint makes it address buckets by path.
        AWS_ENDPOINT_URL_S3: server.endpoint,
        AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    });

    const lines = child.stdout.trim().split('\n');
    expect(JSON.parse(lines.at(-1) as string)).toEqual({ status: '200' });
    expect(JSON.parse(lines[0] as string)).toMatchObject({ message: 'deployment read', source: 'file' });
    const stored = await server.storage('erp-car-thumbs').head('fahrzeuge/b.jpg/_r/w320-cover-4x3-q80.jpg');
    expect(stored?.metadata).toMatchObject({ width: '320', height: '240' });
    expect(stored?.metadata['source-etag']).toBe(
      (await server.storage('erp-car-photos').head('fahrzeuge/b.jpg'))?.etag,
    );
    expect((await server.storage('origin-thumbs').list('')).objects).toEqual([]);
  });
});
