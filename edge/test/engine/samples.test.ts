import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { probe, render } from '../../src/engine/index.js';
import { decode, inside, original } from './helpers.js';

describe('the sample originals of examples/originals', () => {
  it('renders the CMYK photo as a 3-channel sRGB JPEG with the colours of its CMYK conversion', async () => {
    const cmyk = original('CMYK – Autobahn mit Fahrzeugen.jpg');

    const image = await render(cmyk, inside(320), DEFAULT_CONFIG);

    const meta = await sharp(image.data).metadata();
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    expect([meta.space, meta.channels, meta.width, meta.height]).toEqual(['srgb', 3, 320, 180]);
    const means = (await sharp(image.data).stats()).channels.map((channel) => channel.mean);
    // The photo is a grey motorway: sRGB means near 84-86 in each channel; an inverted CMYK is near 170.
    expect(means.every((mean) => mean > 70 && mean < 100)).toBe(true);
  });

  it.each([
    ['exif-orientation-6 – autostrada ruotata.jpg', [800, 450]],
    ['exif-orientation-8-waterfall.jpg', [800, 533]],
  ])('turns %s landscape', async (name, size) => {
    const photo = original(name);

    const image = await render(photo, inside(800), DEFAULT_CONFIG);

    const meta = await sharp(image.data).metadata();
    expect((await sharp(photo).metadata()).height).toBeGreaterThan((await sharp(photo).metadata()).width ?? 0);
    expect([meta.width, meta.height]).toEqual(size);
    expect(meta.orientation).toBeUndefined();
  });

  it('keeps the cut-out PNG transparent in WebP and white behind it in JPEG', async () => {
    const png = original('Découpe – voiture blanche vue du dessus.png');

    const webp = await decode((await render(png, inside(160, 'webp'), DEFAULT_CONFIG)).data);
    const jpeg = await decode((await render(png, inside(160), DEFAULT_CONFIG)).data);

    expect((await probe(png, DEFAULT_CONFIG)).hasAlpha).toBe(true);
    expect(webp.at(0, 0)[3]).toBe(0);
    expect(
      jpeg
        .at(0, 0)
        .slice(0, 3)
        .every((channel) => channel >= 245),
    ).toBe(true);
    expect(jpeg.at(0, 0)[3]).toBe(255);
  });

  it('never upscales the 640 px launch photo asked at 1600', async () => {
    const image = await render(original('falcon9-dscovr-launch.jpg'), inside(1600, 'webp'), DEFAULT_CONFIG);

    expect([image.width, image.height]).toEqual([640, 427]);
  });
});
