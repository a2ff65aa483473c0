import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { render, renderMany } from '../../src/engine/index.js';
import { boxed, inside, original } from './helpers.js';

const PORSCHE = 'Porsche 911 – Autowäsche.jpg';

describe('encoder settings', () => {
  it('encodes render and renderMany alike: the same bytes for the 1500×1000 large of the Porsche sample', async () => {
    const photo = original(PORSCHE);

    const single = await render(photo, inside(1600), DEFAULT_CONFIG);
    const [, large] = await renderMany(photo, [boxed('cover', 320, [4, 3]), inside(1600)], DEFAULT_CONFIG);

    expect([single.width, single.height]).toEqual([1500, 1000]);
    expect(large?.data.equals(single.data)).toBe(true);
    expect((await sharp(single.data).metadata()).chromaSubsampling).toBe('4:2:0');
  });

  it.each([PORSCHE, 'udacity-highway-test6.jpg', 'exif-orientation-8-waterfall.jpg'])(
    'makes each smaller JPEG of %s at q80 fewer bytes than the bigger one (1200, 1024, 800, 480, 320 px)',
    async (name) => {
      const photo = original(name);

      const sizes: number[] = [];
      for (const width of [1200, 1024, 800, 480, 320])
        sizes.push((await render(photo, inside(width), DEFAULT_CONFIG)).data.length);

      const descending = [...sizes].sort((a, b) => b - a);
      expect(sizes).toEqual(descending);
      expect(new Set(sizes).size).toBe(sizes.length);
    },
  );

  it('makes the eager card smaller than the eager large, and the thumb smaller than the card', async () => {
    const photo = original('udacity-highway-test6.jpg');

    const [thumb, card, large] = await renderMany(
      photo,
      [boxed('cover', 320, [4, 3]), boxed('cover', 800, [4, 3]), inside(1600)],
      DEFAULT_CONFIG,
    );

    expect(thumb?.data.length).toBeLessThan(card?.data.length ?? 0);
    expect(card?.data.length).toBeLessThan(large?.data.length ?? 0);
  });
});
