import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OriginResponseEvent, OriginResponseResult } from '../../src/emulator/cloudfront.js';
import { type Folders, makeFolders, type Running, startEmulator } from './harness.js';
import { get, magicFormat, redBlueJpeg, sha256, size, testConfig } from './helpers.js';

const KEY = 'fahrzeuge/4711/front.jpg';

let folders: Folders;
let running: Running | undefined;

beforeEach(async () => {
  folders = await makeFolders();
  await folders.put(KEY, await redBlueJpeg(960, 720));
});

afterEach(async () => {
  await running?.stop();
  running = undefined;
  await folders.cleanup();
});

/** The width-24 rendition of a portrait photo, as in the recipe of CASES.md case 23. */
async function portraitJpeg(): Promise<Buffer> {
  return sharp(await redBlueJpeg(64, 48))
    .rotate(90)
    .resize({ width: 24 })
    .jpeg()
    .toBuffer();
}

function fixedResult(result: OriginResponseResult): (event: OriginResponseEvent) => Promise<OriginResponseResult> {
  return async (event) => (event.Records[0]?.cf.response.status === '200' ? event.Records[0].cf.response : result);
}

describe('origin-response results become HTTP as CloudFront makes them (CASES.md case 23)', () => {
  it('sends the decoded bytes of a base64 body flagged base64', async () => {
    const jpeg = await portraitJpeg();
    const originResponse = fixedResult({
      status: '200',
      headers: { 'content-type': [{ key: 'Content-Type', value: 'image/jpeg' }] },
      body: jpeg.toString('base64'),
      bodyEncoding: 'base64',
    });
    running = await startEmulator(folders, { functions: { originResponse } });

    const response = await get(running.url, `/w320/${KEY}`);

    expect(response.status).toBe(200);
    expect(sha256(response.body)).toBe(sha256(jpeg));
    expect([...response.body.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect(Number(response.headers.get('content-length'))).toBe(jpeg.length);
    expect(await size(response.body)).toEqual({ width: 24, height: 32 });
  });

  it('answers 502 with a clear log line for a base64 body without bodyEncoding', async () => {
    const jpeg = await portraitJpeg();
    const originResponse = fixedResult({
      status: '200',
      headers: { 'content-type': [{ key: 'Content-Type', value: 'image/jpeg' }] },
      body: jpeg.toString('base64'),
    });
    running = await startEmulator(folders, { functions: { originResponse } });

    const response = await get(running.url, `/w320/${KEY}`);

    expect(response.status).toBe(502);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const line = running.log.entries.find((entry) => entry.message === 'origin-response result rejected');
    expect(line?.level).toBe('error');
    expect(line?.reason).toContain('bodyEncoding is null, expected "base64"');
  });

  it('answers 502 when the origin-response handler throws', async () => {
    const originResponse = async (): Promise<OriginResponseResult> => {
      throw new Error('boom');
    };
    running = await startEmulator(folders, { functions: { originResponse } });

    const response = await get(running.url, `/w320/${KEY}`);

    expect(response.status).toBe(502);
    expect(running.log.entries.some((entry) => entry.reason === 'Error: boom')).toBe(true);
  });

  it('gives the origin-response trigger a 404 event with the canonical URI, v and the public URI header', async () => {
    const seen: OriginResponseEvent[] = [];
    const originResponse = async (event: OriginResponseEvent): Promise<OriginResponseResult> => {
      seen.push(event);
      return { status: '404', headers: { 'content-type': [{ value: 'application/json' }] }, body: '{}' };
    };
    running = await startEmulator(folders, { functions: { originResponse } });

    await get(running.url, `/w700/${KEY}?v=42`, { headers: { accept: 'image/webp' } });

    const cf = seen[0]?.Records[0]?.cf;
    expect(cf?.response.status).toBe('404');
    expect(cf?.request.uri).toBe('/fahrzeuge/4711/front.jpg/_r/w800-q78.webp');
    expect(cf?.request.querystring).toBe('v=42');
    expect(cf?.request.headers['x-vetrina-public-uri']?.[0]?.value).toBe(`/w700/${KEY}?v=42`);
  });
});

describe('large renditions', () => {
  it('redirects to the public URL with no-store, and the second request is served from the store', async () => {
    running = await startEmulator(folders, { config: testConfig({ limits: { generatedResponseBytes: 2000 } }) });

    const first = await get(running.url, `/w800/${KEY}?v=5`);
    const location = first.headers.get('location') ?? '';
    const second = await get(running.url, location);

    expect(first.status).toBe(302);
    expect(location).toBe(`/w800/${KEY}?v=5`);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(second.status).toBe(200);
    expect(magicFormat(second.body)).toBe('image/jpeg');
    expect(await size(second.body)).toEqual({ width: 800, height: 600 });
    expect(running.emulator.stats).toMatchObject({ redirects: 1, hits: 1, renders: 1, puts: 1 });
  });
});
