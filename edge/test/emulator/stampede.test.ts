import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalStorage } from '../../src/storage/local.js';
import { type Folders, makeFolders, type Running, startEmulator } from './harness.js';
import { ACCEPT, type Fetched, get, magicFormat, redBlueJpeg, sha256 } from './helpers.js';

const KEY = 'fahrzeuge/4711/front.jpg';

let folders: Folders;
let running: Running;

beforeEach(async () => {
  folders = await makeFolders();
  await folders.put(KEY, await redBlueJpeg(960, 720));
  running = await startEmulator(folders);
});

afterEach(async () => {
  await running?.stop();
  await folders?.cleanup();
});

/** Accept strings built from real media ranges, with q-values, in a seeded random order. */
function randomAccepts(count: number, seed: number): string[] {
  const ranges = ['image/avif', 'image/webp', 'image/apng', 'image/png', 'image/*', '*/*', 'text/html', 'x/y'];
  const qualities = ['', ';q=0', ';q=0.5', ';q=0.8', ';q=1'];
  let state = seed;
  const next = (n: number) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
  return Array.from({ length: count }, () => {
    const parts = Array.from({ length: 1 + next(4) }, () => `${ranges[next(ranges.length)]}${qualities[next(5)]}`);
    return parts.join(',');
  });
}

describe('one rendition per cache key under load', () => {
  it('makes one render and one put for 20 concurrent requests of a missing rendition (CASES.md case 31)', async () => {
    const path = `/w640/${KEY}`;

    const responses = await Promise.all(Array.from({ length: 20 }, () => get(running.url, path)));

    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(new Set(responses.map((r) => sha256(r.body))).size).toBe(1);
    expect(running.emulator.stats.renders).toBe(1);
    expect(running.emulator.stats.puts).toBe(1);
    expect(running.emulator.stats.putKeys).toEqual([`${KEY}/_r/w640-q80.jpg`]);
  });

  it('makes one render for concurrent requests of one rendition with different version tokens', async () => {
    const paths = Array.from({ length: 10 }, (_, v) => `/w480,jpeg/${KEY}?v=${v}`);

    const responses = await Promise.all(paths.map((path) => get(running.url, path)));

    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(running.emulator.stats.renders).toBe(1);
    expect(running.emulator.stats.puts).toBe(1);
  });

  it('makes at most three generations for 200 requests with random Accept strings (CASES.md case 26)', async () => {
    const accepts = [ACCEPT.A, ACCEPT.C, ACCEPT.F, ...randomAccepts(197, 42)];
    const responses: Fetched[] = [];

    for (let start = 0; start < accepts.length; start += 20) {
      const batch = accepts.slice(start, start + 20);
      responses.push(
        ...(await Promise.all(batch.map((accept) => get(running.url, `/w320/${KEY}`, { headers: { accept } })))),
      );
    }

    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(responses.every((r) => magicFormat(r.body) === r.headers.get('content-type'))).toBe(true);
    expect(running.emulator.stats.generated).toBe(3);
    expect(running.emulator.stats.renders).toBe(3);
    const stored = await createLocalStorage(folders.renditions).list(`${KEY}/_r/`);
    expect(stored.objects.map((o) => o.key.slice(KEY.length + 4)).sort()).toEqual([
      'w320-q55.avif',
      'w320-q78.webp',
      'w320-q80.jpg',
    ]);
  });
});
