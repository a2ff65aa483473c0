import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signingMessage, signMessage } from '../../../sdk/ts/src/signing.js';
import { createLocalStorage } from '../../src/storage/local.js';
import { type Folders, makeFolders, type Running, startEmulator } from './harness.js';
import { get, pixel, redBlueJpeg, size, solid } from './helpers.js';

const EAGER = ['w1600-q80.jpg', 'w320-cover-4x3-q80.jpg', 'w800-cover-4x3-q80.jpg'];

let folders: Folders;
let running: Running | undefined;

beforeEach(async () => {
  folders = await makeFolders();
});

afterEach(async () => {
  await running?.stop();
  running = undefined;
  await folders.cleanup();
});

async function storedDescriptors(key: string): Promise<string[]> {
  const listing = await createLocalStorage(folders.renditions).list(`${key}/_r/`);
  return listing.objects.map((object) => object.key.slice(key.length + 4)).sort();
}

async function storedBody(key: string): Promise<Buffer> {
  const object = await createLocalStorage(folders.renditions).get(key);
  if (!object) throw new Error(`no stored object ${key}`);
  return object.body;
}

describe('the originals watcher turns file changes into S3 events', () => {
  it('makes the missing eager renditions of existing originals at start-up', async () => {
    await folders.put('fahrzeuge/1/a.jpg', await redBlueJpeg(960, 720));

    running = await startEmulator(folders, { watch: true });

    expect(await storedDescriptors('fahrzeuge/1/a.jpg')).toEqual(EAGER);
    expect(await size(await storedBody('fahrzeuge/1/a.jpg/_r/w320-cover-4x3-q80.jpg'))).toEqual({
      width: 320,
      height: 240,
    });
    expect(await size(await storedBody('fahrzeuge/1/a.jpg/_r/w1600-q80.jpg'))).toEqual({ width: 960, height: 720 });
    expect(running.emulator.stats.eagerRenders).toBe(1);
  });

  it('renders nothing at a restart when the eager renditions are current', async () => {
    await folders.put('a.jpg', await redBlueJpeg(400, 300));
    const first = await startEmulator(folders, { watch: true });
    await first.stop();

    running = await startEmulator(folders, { watch: true });

    expect(running.emulator.stats.eagerRenders).toBe(0);
    expect(running.emulator.watcher.counters.deliveries).toBe(0);
  });

  it('makes eager renditions for a file added while running', async () => {
    running = await startEmulator(folders, { watch: true });

    await folders.put('neu/b c.jpg', await redBlueJpeg(960, 720));
    await running.emulator.watcher.settled();

    expect(await storedDescriptors('neu/b c.jpg')).toEqual(EAGER);
  });

  it('shows the new pixels after a file is replaced, also for on-demand renditions', async () => {
    await folders.put('car.jpg', await solid(640, 480, '#ff0000'));
    running = await startEmulator(folders, { watch: true });
    const before = await get(running.url, '/w320,jpeg/car.jpg');

    await folders.put('car.jpg', await solid(640, 480, '#00ff00'));
    await running.emulator.watcher.settled();
    const after = await get(running.url, '/w320,jpeg/car.jpg');

    const [r0, g0] = await pixel(before.body, 10, 10);
    const [r1, g1] = await pixel(after.body, 10, 10);
    expect([r0 >= 200, g0 <= 60]).toEqual([true, true]);
    expect([r1 <= 60, g1 >= 200]).toEqual([true, true]);
    const [tr, tg] = await pixel(await storedBody('car.jpg/_r/w320-cover-4x3-q80.jpg'), 10, 10);
    expect([tr <= 60, tg >= 200]).toEqual([true, true]);
  });

  it('removes every rendition after the file is deleted', async () => {
    await folders.put('gone.jpg', await redBlueJpeg(640, 480));
    running = await startEmulator(folders, { watch: true });
    await get(running.url, '/w480/gone.jpg');
    expect(await storedDescriptors('gone.jpg')).toEqual(['w1600-q80.jpg', ...EAGER.slice(1), 'w480-q80.jpg'].sort());

    await rm(join(folders.originals, 'gone.jpg'));
    await running.emulator.watcher.settled();

    expect(await storedDescriptors('gone.jpg')).toEqual([]);
    expect((await get(running.url, '/w480/gone.jpg')).status).toBe(404);
  });

  it('removes renditions of an original deleted while the emulator was stopped', async () => {
    await folders.put('old.jpg', await redBlueJpeg(400, 300));
    const first = await startEmulator(folders, { watch: true });
    await first.stop();
    await rm(join(folders.originals, 'old.jpg'));

    running = await startEmulator(folders, { watch: true });

    expect(await storedDescriptors('old.jpg')).toEqual([]);
  });
});

describe('the gallery', () => {
  it('lists each original with its eager renditions, escaping names', async () => {
    await folders.put('<b>&"x\'.jpg', await redBlueJpeg(960, 720));
    running = await startEmulator(folders, { watch: true });

    const page = await get(running.url, '/');
    const html = page.body.toString('utf8');

    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html).not.toContain('<b>&');
    expect(html).toContain('<h2>&#60;b&#62;&#38;&#34;x&#39;.jpg</h2>');
    expect(html).toContain('<img src="/thumb,jpeg/%3Cb%3E%26%22x%27.jpg"');
    expect(html).toContain('thumb · 320×240 px');
    expect(html).toContain('card · 800×600 px');
    expect(html).toContain('large · 960×720 px');
  });

  it('links on-demand renditions with custom options through signed URLs that answer 200', async () => {
    await folders.put('p.jpg', await redBlueJpeg(960, 720));
    running = await startEmulator(folders, { watch: true });
    const spec = 'w480,cover-1x1,q50,jpeg';
    const signed = `/${spec}/p.jpg?s=${signMessage(signingMessage(spec, 'p.jpg'), 'dev', 'vetrina-dev-secret')}`;
    expect((await get(running.url, signed)).status).toBe(200);

    const html = (await get(running.url, '/')).body.toString('utf8');
    const links = [...html.matchAll(/<a href="([^"]+)">w480-cover-1x1-q50\.jpg<\/a>/g)].map((m) => m[1] ?? '');

    expect(links).toEqual([signed]);
    const response = await get(running.url, links[0] ?? '');
    expect(response.status).toBe(200);
    expect(await size(response.body)).toEqual({ width: 480, height: 480 });
  });
});
