import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { VetrinaError } from '../../../sdk/ts/src/errors.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { render, renderMany } from '../../src/engine/index.js';
import { boxed, decode, fixture, inside, isBlue, isRed, near, original, pixel } from './helpers.js';

/** The three eager presets at their desktop widths, JPEG (SPEC.md §3.1, §10). */
const EAGER = [boxed('cover', 320, [4, 3]), boxed('cover', 800, [4, 3]), inside(1600)];

describe('renderMany', () => {
  it('gives the eager presets the sizes render gives, for a landscape photo', async () => {
    const photo = original('Porsche 911 – Autowäsche.jpg');

    const images = await renderMany(photo, EAGER, DEFAULT_CONFIG);

    expect(images.map((image) => `${image.width}x${image.height}`)).toEqual(['320x240', '800x600', '1500x1000']);
  });

  it('matches render pixel for pixel within JPEG noise (mean difference under 2 levels)', async () => {
    const photo = original('Autoroute – voitures dans le virage à droite.jpg');

    const [thumb, card] = await renderMany(photo, EAGER.slice(0, 2), DEFAULT_CONFIG);
    const single = await render(photo, EAGER[1] ?? inside(1), DEFAULT_CONFIG);

    expect([thumb?.width, thumb?.height]).toEqual([320, 240]);
    expect(await meanAbsoluteDifference(card?.data ?? Buffer.alloc(0), single.data)).toBeLessThan(2);
  });

  it('keeps orientation in every eager rendition of an orientation-6 photo (case 1)', async () => {
    const [thumb, card, large] = await renderMany(fixture('car-o6.jpg'), EAGER, DEFAULT_CONFIG);

    // Cover presets are 4:3 by contract; the displayed 48×64 photo is cropped around its centre.
    expect([thumb?.width, thumb?.height]).toEqual([48, 36]);
    expect([card?.width, card?.height]).toEqual([48, 36]);
    expect([large?.width, large?.height]).toEqual([48, 64]);
    const px = await decode(large?.data ?? Buffer.alloc(0));
    expect(isRed(px.at(0, 0))).toBe(true);
    expect(isBlue(px.at(0, 63))).toBe(true);
    const crop = await decode(thumb?.data ?? Buffer.alloc(0));
    expect(isRed(crop.at(24, 2))).toBe(true);
    expect(isBlue(crop.at(24, 33))).toBe(true);
  });

  it('converts CMYK to sRGB through the single decode', async () => {
    const cmyk = original('CMYK – Autobahn mit Fahrzeugen.jpg');

    const [small, large] = await renderMany(cmyk, [inside(320), inside(800, 'webp')], DEFAULT_CONFIG);
    const reference = await sharp(cmyk).resize(320).toColourspace('srgb').raw().toBuffer();

    expect((await sharp(small?.data).metadata()).channels).toBe(3);
    expect((await sharp(large?.data).metadata()).space).toBe('srgb');
    // q80 JPEG noise on a photo is 3-5 levels; CMYK read as RGB or inverted is over 50.
    expect(await meanAbsoluteDifference(small?.data ?? Buffer.alloc(0), reference, 320)).toBeLessThan(8);
  });

  it('is deterministic: the same call twice gives the same bytes (case 31)', async () => {
    const photo = original('parking-lot-two-cars-frame.jpg');

    const first = await renderMany(photo, EAGER, DEFAULT_CONFIG);
    const second = await renderMany(photo, EAGER, DEFAULT_CONFIG);

    expect(second.map((image, i) => image.data.equals(first[i]?.data ?? Buffer.alloc(0)))).toEqual([true, true, true]);
  });

  it('keeps alpha for WebP and flattens for JPEG in one call', async () => {
    const [jpeg, webp] = await renderMany(fixture('logo-alpha.png'), [inside(32), inside(48, 'webp')], DEFAULT_CONFIG);

    const flat = await decode(jpeg?.data ?? Buffer.alloc(0));
    const clear = await decode(webp?.data ?? Buffer.alloc(0));
    expect(
      flat
        .at(0, 0)
        .slice(0, 3)
        .every((channel) => channel >= 245),
    ).toBe(true);
    expect(clear.at(0, 0)[3]).toBe(0);
    expect(isRed(clear.at(24, 18))).toBe(true);
  });

  it('keeps 16-bit colours through the 8-bit intermediate (case 7)', async () => {
    const [rgb] = await renderMany(fixture('rgb16.png'), [inside(32), inside(16)], DEFAULT_CONFIG);
    const [rgba] = await renderMany(fixture('rgba16.png'), [inside(32), inside(16)], DEFAULT_CONFIG);

    const px = await decode(rgb?.data ?? Buffer.alloc(0));
    expect(isRed(px.at(0, 0)) && (px.at(0, 0)[0] ?? 0) >= 240).toBe(true);
    expect(isBlue(px.at(31, 0))).toBe(true);
    expect(near(await pixel(rgba?.data ?? Buffer.alloc(0), 0, 0), [255, 128, 128])).toBe(true);
  });

  it('rasterises SVG per rendition at each requested width', async () => {
    const [small, big] = await renderMany(fixture('tiny.svg'), [inside(40, 'png'), inside(400, 'png')], DEFAULT_CONFIG);

    expect([small?.width, small?.height]).toEqual([40, 30]);
    expect([big?.width, big?.height]).toEqual([400, 300]);
  });

  it('returns none of the renditions of a truncated JPEG: it throws ORIGINAL_CORRUPT (case 9)', async () => {
    const error = await renderMany(fixture('truncated.jpg'), EAGER, DEFAULT_CONFIG).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(VetrinaError);
    expect((error as VetrinaError).code).toBe('ORIGINAL_CORRUPT');
    expect((error as VetrinaError).message).toContain('truncated/corrupt');
  });
});

/** Mean absolute difference per channel value between two images of one size (RGB). */
async function meanAbsoluteDifference(a: Buffer, b: Buffer, rawWidth?: number): Promise<number> {
  const left = await sharp(a).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const right = rawWidth
    ? { data: b, info: { width: rawWidth, height: left.info.height, channels: 3 } }
    : await sharp(b).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  expect([right.info.width, right.info.height]).toEqual([left.info.width, left.info.height]);
  let sum = 0;
  for (let i = 0; i < left.data.length; i++) sum += Math.abs((left.data[i] ?? 0) - (right.data[i] ?? 0));
  return sum / left.data.length;
}
