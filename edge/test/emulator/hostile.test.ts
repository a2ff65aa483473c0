import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Folders, makeFolders, type Running, startEmulator } from './harness.js';
import { get, magicFormat, redBlueJpeg } from './helpers.js';

const KEY = 'fahrzeuge/4711/front.jpg';

let folders: Folders;
let running: Running;

beforeAll(async () => {
  folders = await makeFolders();
  await folders.put(KEY, await redBlueJpeg(640, 480));
  await folders.put('_r/stray.jpg', await redBlueJpeg(64, 48));
  await folders.put('LICENSES.md', Buffer.from('# Licences of the sample photos\n'));
  running = await startEmulator(folders);
});

afterAll(async () => {
  await running?.stop();
  await folders?.cleanup();
});

describe('emulator: hostile requests', () => {
  it('rejects query names from Object.prototype as UNKNOWN_QUERY and stays healthy afterwards', async () => {
    for (const name of ['__proto__', 'toString', 'constructor', 'hasOwnProperty']) {
      const rejected = await get(running.url, `/w320/${KEY}?${name}=1`);

      expect(rejected.status).toBe(400);
      expect(JSON.parse(rejected.body.toString()).error.code).toBe('UNKNOWN_QUERY');
    }
    const versioned = await get(running.url, `/w320/${KEY}?v=17`, { headers: { accept: 'image/avif,*/*' } });

    expect(versioned.status).toBe(200);
    expect(magicFormat(versioned.body)).toBe('image/avif');
    expect(({} as Record<string, unknown>).multiValue).toBeUndefined();
  });

  it('judges the query as received, like CloudFront: an empty parameter is UNKNOWN_QUERY', async () => {
    const trailing = await get(running.url, `/w320/${KEY}?v=1&`);
    const leading = await get(running.url, `/w320/${KEY}?&v=1`);

    expect([trailing.status, leading.status]).toEqual([400, 400]);
  });

  it('lists an original the contract refuses in the gallery instead of failing the page', async () => {
    const gallery = await get(running.url, '/');

    expect(gallery.status).toBe(200);
    expect(gallery.body.toString()).toContain('No renditions:');
    expect(gallery.body.toString()).toContain('LICENSES.md</h2><p>32 bytes · not an image, so no renditions');
  });
});
