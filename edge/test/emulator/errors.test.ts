import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signingMessage, signMessage } from '../../../sdk/ts/src/signing.js';
import { createLocalStorage } from '../../src/storage/local.js';
import { type Folders, makeFolders, type Running, startEmulator } from './harness.js';
import { get, maxAge, noisyJpeg, redBlueJpeg, size } from './helpers.js';

const KEY = 'fahrzeuge/4711/front.jpg';

let folders: Folders;
let running: Running;

beforeAll(async () => {
  folders = await makeFolders();
  await folders.put(KEY, await redBlueJpeg(960, 720));
  const whole = await noisyJpeg(320, 240);
  await folders.put('fahrzeuge/4711/truncated.jpg', whole.subarray(0, Math.floor(whole.length / 2)));
  await folders.put('fahrzeuge/4711/empty.jpg', Buffer.alloc(0));
  running = await startEmulator(folders);
});

afterAll(async () => {
  await running?.stop();
  await folders?.cleanup();
});

/** Sends `path` byte for byte (fetch would normalise `%2E%2E` and friends first). */
function rawGet(base: string, path: string): Promise<{ status: number; body: string; contentType?: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: hostname, port, path, method: 'GET' }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () =>
        resolve({
          status: incoming.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          ...(incoming.headers['content-type'] ? { contentType: incoming.headers['content-type'] } : {}),
        }),
      );
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

async function renditionsOf(key: string): Promise<number> {
  const listing = await createLocalStorage(folders.renditions).list(`${key}/_r/`);
  return listing.objects.length;
}

describe('coded JSON errors for requests the contract refuses', () => {
  it.each([
    [`/w2561/${KEY}`, 400, 'WIDTH_OUT_OF_RANGE'],
    [`/w0/${KEY}`, 400, 'WIDTH_OUT_OF_RANGE'],
    [`/huge/${KEY}`, 400, 'UNKNOWN_SIZE'],
    ['/w320', 400, 'BAD_PATH'],
    ['/w320/fahrzeuge/a%zz.jpg', 400, 'BAD_ENCODING'],
    ['/w320/fahrzeuge/a%C3%28.jpg', 400, 'BAD_ENCODING'],
    ['/w320/fahrzeuge/%2E%2E/front.jpg', 400, 'BAD_KEY'],
    ['/w320/fahrzeuge/_r/front.jpg', 400, 'BAD_KEY'],
    [`/w320,x1/${KEY}`, 400, 'NON_CANONICAL'],
    [`/w320,sepia/${KEY}`, 400, 'UNKNOWN_OPTION'],
    [`/w320,q0/${KEY}`, 400, 'BAD_OPTION_VALUE'],
    [`/w320,m/${KEY}`, 400, 'OPTION_NOT_ALLOWED'],
    [`/w320/${KEY}?width=2`, 400, 'UNKNOWN_QUERY'],
    [`/w320/${KEY}?v=a%20b`, 400, 'BAD_VERSION'],
    [`/w640,q50/${KEY}`, 403, 'SIGNATURE_REQUIRED'],
    [`/w640,q50/${KEY}?s=dev.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`, 403, 'BAD_SIGNATURE'],
    [`/w640,q50/${KEY}?s=zz.AAAA`, 403, 'BAD_SIGNATURE'],
  ])('answers %s with %i %s, JSON and no-store', async (path, status, code) => {
    const response = await rawGet(running.url, path);

    expect(response.status).toBe(status);
    expect(response.contentType).toBe('application/json');
    expect(JSON.parse(response.body).error).toMatchObject({ code, status });
  });

  it('sends Cache-Control no-store with a contract error and logs its code', async () => {
    const response = await get(running.url, `/w640,q50/${KEY}`);

    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(running.log.entries.filter((entry) => entry.message === 'request').at(-1)).toMatchObject({
      status: 403,
      outcome: 'rejected',
      code: 'SIGNATURE_REQUIRED',
    });
  });

  it('serves w640,q50 once it is signed with the development key', async () => {
    const spec = 'w640,q50';
    const signature = signMessage(signingMessage(spec, KEY), 'dev', 'vetrina-dev-secret');

    const response = await get(running.url, `/${spec}/${KEY}?s=${signature}`);

    expect(response.status).toBe(200);
    expect(await size(response.body)).toEqual({ width: 640, height: 480 });
  });

  it('answers POST with 405 METHOD_NOT_ALLOWED and Allow: GET, HEAD', async () => {
    const response = await get(running.url, `/w320/${KEY}`, { method: 'POST', body: 'x' });

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expect(JSON.parse(response.body.toString('utf8')).error.code).toBe('METHOD_NOT_ALLOWED');
  });
});

describe('errors are never cached as images (CASES.md case 29)', () => {
  it('answers a missing original with 404 ORIGINAL_NOT_FOUND cached at most 10 s, and stores nothing', async () => {
    const response = await get(running.url, '/w320/fahrzeuge/4711/missing.jpg');

    expect(response.status).toBe(404);
    expect(JSON.parse(response.body.toString('utf8')).error.code).toBe('ORIGINAL_NOT_FOUND');
    expect(maxAge(response.headers.get('cache-control'))).toBeLessThanOrEqual(10);
    expect(await renditionsOf('fahrzeuge/4711/missing.jpg')).toBe(0);
  });

  it('answers a truncated original with 4xx, no-store, and stores nothing', async () => {
    const putsBefore = running.emulator.stats.puts;

    const response = await get(running.url, '/w320/fahrzeuge/4711/truncated.jpg');

    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await renditionsOf('fahrzeuge/4711/truncated.jpg')).toBe(0);
    expect(running.emulator.stats.puts).toBe(putsBefore);
  });

  it('answers an empty original with 415 ORIGINAL_EMPTY and no-store within a second (case 10)', async () => {
    const started = Date.now();

    const response = await get(running.url, '/w320/fahrzeuge/4711/empty.jpg');

    expect(Date.now() - started).toBeLessThan(1000);
    expect(response.status).toBe(415);
    expect(JSON.parse(response.body.toString('utf8')).error.code).toBe('ORIGINAL_EMPTY');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('gives a valid rendition the long policy, in the answer and in the stored object', async () => {
    const response = await get(running.url, `/w320,jpeg/${KEY}`);

    const stored = await createLocalStorage(folders.renditions).head(`${KEY}/_r/w320-q80.jpg`);

    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(stored?.cacheControl).toBe('public, max-age=31536000, immutable');
    expect(stored?.contentType).toBe('image/jpeg');
  });
});
