import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUrlBuilder } from '../../../sdk/ts/src/index.js';
import { type Folders, makeFolders, type Running, startEmulator } from './harness.js';
import { get, pixel, size, solid } from './helpers.js';

// CASES.md case 17: each key holds its own colour, so a 200 of the wrong object shows.
const KEYS: ReadonlyArray<[string, string, [number, number, number]]> = [
  ['fahrzeuge/E+P-003_D.jpeg', '#ff0000', [255, 0, 0]],
  ['fahrzeuge/some-name (1).png', '#00ff00', [0, 255, 0]],
  ['fahrzeuge/100%_neu.jpg', '#0000ff', [0, 0, 255]],
  ['fahrzeuge/#1 front.jpg', '#ffff00', [255, 255, 0]],
  ['fahrzeuge/Kühler?.jpg', '#ff00ff', [255, 0, 255]],
];

let folders: Folders;
let running: Running;

beforeAll(async () => {
  folders = await makeFolders();
  for (const [key, colour] of KEYS) {
    await folders.put(key, await solid(400, 300, colour, key.endsWith('.png') ? 'png' : 'jpeg'));
  }
  running = await startEmulator(folders);
});

afterAll(async () => {
  await running?.stop();
  await folders?.cleanup();
});

describe('keys with special characters (CASES.md case 17)', () => {
  it.each(KEYS)('serves %s through the SDK URL with that exact object', async (key, _colour, rgb) => {
    const builder = createUrlBuilder({ baseUrl: running.url });
    const url = builder.url(key, { width: 320, format: 'png' });

    const response = await get('', url);

    expect(response.status).toBe(200);
    expect(await size(response.body)).toEqual({ width: 320, height: 240 });
    const [r, g, b] = await pixel(response.body, 160, 120);
    expect(Math.abs(r - rgb[0])).toBeLessThanOrEqual(10);
    expect(Math.abs(g - rgb[1])).toBeLessThanOrEqual(10);
    expect(Math.abs(b - rgb[2])).toBeLessThanOrEqual(10);
  });

  it('encodes the keys the way S3 and the edge agree on', () => {
    const builder = createUrlBuilder({ baseUrl: 'https://img.example.com' });

    const paths = KEYS.map(([key]) => new URL(builder.url(key, { width: 320 })).pathname);

    expect(paths).toEqual([
      '/w320/fahrzeuge/E%2BP-003_D.jpeg',
      '/w320/fahrzeuge/some-name%20%281%29.png',
      '/w320/fahrzeuge/100%25_neu.jpg',
      '/w320/fahrzeuge/%231%20front.jpg',
      '/w320/fahrzeuge/K%C3%BChler%3F.jpg',
    ]);
  });
});
