import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Folders, makeFolders, type Running, startEmulator } from './harness.js';
import { ACCEPT, DESKTOP_UA, get, IPHONE_UA, magicFormat, pixel, redBlueJpeg, sha256, size } from './helpers.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const KEY = 'fahrzeuge/4711/front.jpg';

let folders: Folders;
let running: Running;

beforeAll(async () => {
  folders = await makeFolders();
  await folders.put(KEY, await redBlueJpeg(960, 720));
  running = await startEmulator(folders);
});

afterAll(async () => {
  await running?.stop();
  await folders?.cleanup();
});

describe('image delivery through the CloudFront chain', () => {
  it('serves /w320/ as a 320 px wide JPEG with the SPEC §10 headers when no Accept is sent', async () => {
    const response = await get(running.url, `/w320/${KEY}`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(magicFormat(response.body)).toBe('image/jpeg');
    expect(await size(response.body)).toEqual({ width: 320, height: 240 });
    expect(response.headers.get('cache-control')).toBe(IMMUTABLE);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('vary')).toBe('Accept');
    expect(Number(response.headers.get('content-length'))).toBe(response.body.length);
  });

  it.each([
    ['A', ACCEPT.A, 'image/avif'],
    ['C', ACCEPT.C, 'image/webp'],
    ['F', ACCEPT.F, 'image/jpeg'],
  ])('negotiates Accept %s to %s, and the Content-Type matches the bytes', async (_name, accept, type) => {
    const response = await get(running.url, `/w160/${KEY}`, { headers: { accept } });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect(magicFormat(response.body)).toBe(type);
    expect(response.headers.get('vary')).toBe('Accept');
  });

  it('labels every rendition with the format of its bytes (CASES.md case 28)', async () => {
    const requests: Array<[string, string | undefined]> = [
      [`/thumb/${KEY}`, undefined],
      [`/card/${KEY}`, undefined],
      [`/large/${KEY}`, undefined],
      [`/w320/${KEY}`, ACCEPT.B],
      [`/w320/${KEY}`, ACCEPT.C],
      [`/w320/${KEY}`, ACCEPT.E],
    ];

    const responses = await Promise.all(
      requests.map(([path, accept]) => get(running.url, path, accept ? { headers: { accept } } : {})),
    );

    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(responses.map((r) => r.headers.get('content-type'))).toEqual([
      'image/jpeg',
      'image/jpeg',
      'image/jpeg',
      'image/avif',
      'image/webp',
      'image/jpeg',
    ]);
    expect(responses.map((r) => magicFormat(r.body))).toEqual(responses.map((r) => r.headers.get('content-type')));
    expect(responses.every((r) => r.headers.get('x-content-type-options') === 'nosniff')).toBe(true);
  });

  it('answers a repeated request from the stored rendition with the same bytes and headers', async () => {
    const first = await get(running.url, `/w480/${KEY}`, { headers: { accept: ACCEPT.C } });
    const hitsBefore = running.emulator.stats.hits;

    const second = await get(running.url, `/w480/${KEY}`, { headers: { accept: ACCEPT.C } });

    expect(running.emulator.stats.hits).toBe(hitsBefore + 1);
    expect(sha256(second.body)).toBe(sha256(first.body));
    expect(second.headers.get('content-type')).toBe('image/webp');
    expect(second.headers.get('cache-control')).toBe(IMMUTABLE);
    expect(second.headers.get('x-content-type-options')).toBe('nosniff');
    expect(second.headers.get('vary')).toBe('Accept');
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(second.headers.get('last-modified')).toMatch(/GMT$/);
    expect(Number(second.headers.get('content-length'))).toBe(first.body.length);
  });

  it('sends no Vary when the spec names the format, on the first and the stored answer', async () => {
    const first = await get(running.url, `/w240,webp/${KEY}`, { headers: { accept: ACCEPT.F } });
    const second = await get(running.url, `/w240,webp/${KEY}`);

    expect([first.status, second.status]).toEqual([200, 200]);
    expect(magicFormat(first.body)).toBe('image/webp');
    expect(first.headers.get('vary')).toBeNull();
    expect(second.headers.get('vary')).toBeNull();
  });

  it('serves the card preset 480 px wide to a phone and 800 px wide to a desktop', async () => {
    const phone = await get(running.url, `/card/${KEY}`, { headers: { 'user-agent': IPHONE_UA } });
    const desktop = await get(running.url, `/card/${KEY}`, { headers: { 'user-agent': DESKTOP_UA } });

    expect(await size(phone.body)).toEqual({ width: 480, height: 360 });
    expect(await size(desktop.body)).toEqual({ width: 800, height: 600 });
  });

  it('snaps w700 up to 800 px and never upscales w1920 of a 960 px original', async () => {
    const snapped = await get(running.url, `/w700/${KEY}`);
    const capped = await get(running.url, `/w1920/${KEY}`);

    expect(await size(snapped.body)).toEqual({ width: 800, height: 600 });
    expect(await size(capped.body)).toEqual({ width: 960, height: 720 });
  });

  it('keeps the picture: left red, right blue', async () => {
    const response = await get(running.url, `/w320,png/${KEY}`);

    const [left, right] = [await pixel(response.body, 10, 120), await pixel(response.body, 310, 120)];

    expect(left[0]).toBeGreaterThanOrEqual(200);
    expect(left[2]).toBeLessThanOrEqual(60);
    expect(right[2]).toBeGreaterThanOrEqual(200);
    expect(right[0]).toBeLessThanOrEqual(60);
  });

  it('answers HEAD with the headers and Content-Length of the GET and no body', async () => {
    const full = await get(running.url, `/w320,jpeg/${KEY}`);

    const head = await get(running.url, `/w320,jpeg/${KEY}`, { method: 'HEAD' });

    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(Number(head.headers.get('content-length'))).toBe(full.body.length);
    expect(head.headers.get('content-type')).toBe('image/jpeg');
  });

  it('logs one JSON line per request with status, key, rendition, ms and outcome', async () => {
    await get(running.url, `/w640,jpeg/${KEY}`);

    const line = running.log.entries.filter((entry) => entry.message === 'request').at(-1);

    expect(line).toMatchObject({
      level: 'info',
      method: 'GET',
      status: 200,
      key: KEY,
      rendition: `${KEY}/_r/w640-q80.jpg`,
      outcome: 'generated',
    });
    expect(typeof line?.ms).toBe('number');
  });

  it('answers /healthz', async () => {
    const response = await get(running.url, '/healthz');

    expect(response.status).toBe(200);
    expect(JSON.parse(response.body.toString('utf8'))).toMatchObject({ status: 'ok' });
  });
});
