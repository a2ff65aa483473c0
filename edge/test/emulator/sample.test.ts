import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUrlBuilder } from '../../../sdk/ts/src/index.js';
import { createLocalStorage } from '../../src/storage/local.js';
import { type Folders, makeFolders, type Running, startEmulator } from './harness.js';
import { ACCEPT, get, magicFormat, size } from './helpers.js';

// One real sample: stored 720×1280 with EXIF orientation 6, so it is shown 1280×720.
const SAMPLE = 'exif-orientation-6 – autostrada ruotata.jpg';
const KEY = `fotos/${SAMPLE}`;

let folders: Folders;
let running: Running;

beforeAll(async () => {
  folders = await makeFolders();
  await folders.put(KEY, await readFile(new URL(`../../../examples/originals/${SAMPLE}`, import.meta.url)));
  running = await startEmulator(folders, { watch: true });
});

afterAll(async () => {
  await running?.stop();
  await folders?.cleanup();
});

describe('a real sample photo through the emulator', () => {
  it('makes the eager renditions upright at start-up', async () => {
    const store = createLocalStorage(folders.renditions);

    const large = await store.get(`${KEY}/_r/w1600-q80.jpg`);
    const thumb = await store.get(`${KEY}/_r/w320-cover-4x3-q80.jpg`);

    expect(large && (await size(large.body))).toEqual({ width: 1280, height: 720 });
    expect(thumb && (await size(thumb.body))).toEqual({ width: 320, height: 240 });
  });

  it('serves an SDK URL of its non-ASCII key upright as WebP', async () => {
    const url = createUrlBuilder({ baseUrl: running.url }).url(KEY, { width: 320 });

    const response = await get('', url, { headers: { accept: ACCEPT.D } });

    expect(url).toBe(`${running.url}/w320/fotos/exif-orientation-6%20%E2%80%93%20autostrada%20ruotata.jpg`);
    expect(response.status).toBe(200);
    expect(magicFormat(response.body)).toBe('image/webp');
    expect(await size(response.body)).toEqual({ width: 320, height: 180 });
  });
});
