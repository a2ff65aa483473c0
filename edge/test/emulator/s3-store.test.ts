import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config.js';
import { createEmulator, type Emulator } from '../../src/emulator/server.js';
import { memoryLogger } from '../../src/log.js';
import type { Storage } from '../../src/storage/types.js';
import { S3RVER_CREDENTIALS, type S3TestServer, startS3Server } from '../support/s3-server.js';
import { get, magicFormat, redBlueJpeg } from './helpers.js';

let server: S3TestServer;
let emulator: Emulator;
let base: string;
let exchange: Storage;
let renditions: Storage;

beforeAll(async () => {
  server = await startS3Server(['emu-exchange', 'emu-renditions']);
  // The emulator opens s3:// stores with the SDK's default credential chain, as a user would.
  process.env.AWS_ACCESS_KEY_ID = S3RVER_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = S3RVER_CREDENTIALS.secretAccessKey;
  exchange = server.storage('emu-exchange');
  renditions = server.storage('emu-renditions');
  await exchange.put('fahrzeuge/4711/front.jpg', await redBlueJpeg(640, 480), { contentType: 'image/jpeg' });
  emulator = createEmulator({
    originals: 's3://emu-exchange',
    renditions: 's3://emu-renditions',
    endpoint: server.endpoint,
    config: resolveConfig({ signing: { keys: { dev: 'vetrina-dev-secret' } } }),
    port: 0,
    pollMs: 200,
    debounceMs: 50,
    log: memoryLogger(),
  });
  base = await emulator.start();
});

afterAll(async () => {
  await emulator?.stop();
  await server?.close();
});

describe('emulator on S3 stores', () => {
  it('makes the eager renditions of an original already in the bucket at start-up', async () => {
    const thumb = await renditions.head('fahrzeuge/4711/front.jpg/_r/w320-cover-4x3-q80.jpg');

    expect(thumb?.contentType).toBe('image/jpeg');
    expect(thumb?.metadata.width).toBe('320');
  });

  it('serves an on-demand rendition from the exchange bucket and stores it in the renditions bucket', async () => {
    const response = await get(base, '/w480/fahrzeuge/4711/front.jpg', { headers: { accept: 'image/webp,*/*' } });

    expect(response.status).toBe(200);
    expect(magicFormat(response.body)).toBe('image/webp');
    expect((await sharp(response.body).metadata()).width).toBe(480);
    expect((await renditions.head('fahrzeuge/4711/front.jpg/_r/w480-q78.webp'))?.size).toBe(response.body.length);
  });

  it('notices a new original by listing the bucket and makes its eager renditions', async () => {
    await exchange.put('fahrzeuge/4712/side.jpg', await redBlueJpeg(400, 300), { contentType: 'image/jpeg' });

    let card: Awaited<ReturnType<Storage['head']>>;
    for (let attempt = 0; attempt < 50 && !card; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      card = await renditions.head('fahrzeuge/4712/side.jpg/_r/w800-cover-4x3-q80.jpg');
    }

    expect(card?.metadata.width).toBe('400');
    expect(card?.metadata.height).toBe('300');
  });

  it('shows pixel sizes and formats in the gallery although S3 listings carry no metadata', async () => {
    const gallery = await get(base, '/');

    expect(gallery.status).toBe(200);
    expect(gallery.body.toString()).toMatch(/thumb · 320×240 px · \d+ bytes · jpeg/);
  });
});
