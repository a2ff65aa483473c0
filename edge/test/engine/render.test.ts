import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { OutputFormat } from '../../../sdk/ts/src/config.js';
import { VetrinaError } from '../../../sdk/ts/src/errors.js';
import { DEFAULT_CONFIG, resolveConfig } from '../../src/config.js';
import { render, sniffFormat } from '../../src/engine/index.js';
import { boxed, decode, fixture, inside, isBlue, isRed, original, pixel } from './helpers.js';

const LOSSY: readonly OutputFormat[] = ['jpeg', 'webp', 'avif'];

async function refusal(promise: Promise<unknown>): Promise<VetrinaError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(VetrinaError);
  return error as VetrinaError;
}

describe('render: orientation', () => {
  it('turns an orientation-6 photo upright: 24×32, red on top, blue below, no orientation tag (case 1)', async () => {
    const image = await render(fixture('car-o6.jpg'), inside(24), DEFAULT_CONFIG);

    const meta = await sharp(image.data).metadata();
    expect([image.width, image.height]).toEqual([24, 32]);
    expect([meta.width, meta.height]).toEqual([24, 32]);
    expect(isRed(await pixel(image.data, 0, 0))).toBe(true);
    expect(isBlue(await pixel(image.data, 0, 31))).toBe(true);
    expect(meta.orientation).toBeUndefined();
    expect(meta.exif).toBeUndefined();
  });

  it.each(LOSSY)('turns an orientation-3 photo in %s: 32×24, blue at (0,0), red at (31,0) (case 3)', async (format) => {
    const image = await render(fixture('car-o3.jpg'), inside(32, format), DEFAULT_CONFIG);

    const px = await decode(image.data);
    expect([px.width, px.height]).toEqual([32, 24]);
    expect(isBlue(px.at(0, 0))).toBe(true);
    expect(isRed(px.at(31, 0))).toBe(true);
    expect(sniffFormat(image.data)).toBe(format);
  });
});

describe('render: JPEG variants and broken files', () => {
  it.each(['prog.jpg', 'arith.jpg', 'arith-prog.jpg'])(
    'renders %s at 32×24 with red at (0,0) (case 8)',
    async (name) => {
      const image = await render(fixture(name), inside(32), DEFAULT_CONFIG);

      expect([image.width, image.height]).toEqual([32, 24]);
      expect(isRed(await pixel(image.data, 0, 0))).toBe(true);
      expect(isBlue(await pixel(image.data, 31, 0))).toBe(true);
    },
  );

  it('refuses a JPEG cut in half as ORIGINAL_CORRUPT "truncated/corrupt" (case 9, failOn policy)', async () => {
    const error = await refusal(render(fixture('truncated.jpg'), inside(320), DEFAULT_CONFIG));

    expect(error.code).toBe('ORIGINAL_CORRUPT');
    expect(error.status).toBe(422);
    expect(error.message).toContain('truncated/corrupt');
  });

  it('renders a JPEG with a stray marker in its scan: a decoder warning passes the failOn policy (case 9)', async () => {
    const photo = original('falcon9-dscovr-launch.jpg');
    const at = Math.floor(photo.length * 0.6);
    const damaged = Buffer.concat([photo.subarray(0, at), Buffer.from([0xff, 0xd3, 0x11, 0x22]), photo.subarray(at)]);
    // The same bytes fail under sharp's default failOn ('warning'), which would refuse such camera files.
    const strict = await sharp(damaged, { failOn: 'warning' })
      .toBuffer()
      .then(
        () => 'decoded',
        () => 'refused',
      );

    const image = await render(damaged, inside(320), DEFAULT_CONFIG);

    expect(strict).toBe('refused');
    expect([image.width, image.height]).toEqual([320, 214]);
  });

  it('refuses a PNG cut in half as ORIGINAL_CORRUPT (case 9)', async () => {
    const png = await sharp(fixture('truncated.jpg'), { failOn: 'none' }).png().toBuffer();

    const error = await refusal(render(png.subarray(0, png.length >> 1), inside(320, 'webp'), DEFAULT_CONFIG));

    expect(error.code).toBe('ORIGINAL_CORRUPT');
  });

  it('refuses HEIC in render as ORIGINAL_UNSUPPORTED "unsupported: HEIC/HEVC" (case 12)', async () => {
    const error = await refusal(render(fixture('car.heic'), inside(32), DEFAULT_CONFIG));

    expect(error.code).toBe('ORIGINAL_UNSUPPORTED');
    expect(error.message).toContain('unsupported: HEIC/HEVC');
  });

  it('refuses an empty original with ORIGINAL_EMPTY (case 10)', async () => {
    const error = await refusal(render(Buffer.alloc(0), inside(320), DEFAULT_CONFIG));

    expect(error.code).toBe('ORIGINAL_EMPTY');
  });
});

describe('render: sizes', () => {
  it('never upscales: w800 (the w760 slot) of a 360×240 original is 360×240 (case 30)', async () => {
    const image = await render(fixture('small.jpg'), inside(800), DEFAULT_CONFIG);

    const meta = await sharp(image.data).metadata();
    expect([image.width, image.height]).toEqual([360, 240]);
    expect([meta.width, meta.height]).toEqual([360, 240]);
  });

  it('keeps the cover aspect at the smaller size: thumb of a 200×300 original is 200×150', async () => {
    const tall = await sharp({ create: { width: 200, height: 300, channels: 3, background: '#808080' } })
      .jpeg()
      .toBuffer();

    const image = await render(tall, boxed('cover', 320, [4, 3]), DEFAULT_CONFIG);

    expect([image.width, image.height]).toEqual([200, 150]);
  });

  it('crops cover around the centre: a 1:1 crop of the red|blue photo keeps red left, blue right', async () => {
    const image = await render(fixture('base.png'), boxed('cover', 32, [1, 1], 'png'), DEFAULT_CONFIG);

    const px = await decode(image.data);
    expect([px.width, px.height]).toEqual([32, 32]);
    expect(px.at(0, 0)).toEqual([255, 0, 0, 255]);
    expect(px.at(31, 31)).toEqual([0, 0, 255, 255]);
  });

  it('letterboxes contain on the configured background', async () => {
    const config = resolveConfig({ background: '#00ff00' });

    const image = await render(fixture('base.png'), boxed('contain', 32, [1, 1], 'png'), config);

    const px = await decode(image.data);
    expect([px.width, px.height]).toEqual([32, 32]);
    expect(px.at(0, 0)).toEqual([0, 255, 0, 255]);
    expect(px.at(0, 16)).toEqual([255, 0, 0, 255]);
    expect(px.at(31, 31)).toEqual([0, 255, 0, 255]);
  });

  it('renders only the first frame of an animated GIF, as a still image', async () => {
    const image = await render(fixture('animated.gif'), inside(32, 'webp'), DEFAULT_CONFIG);

    const meta = await sharp(image.data, { pages: -1 }).metadata();
    expect([image.width, image.height]).toEqual([32, 24]);
    expect(meta.pages ?? 1).toBe(1);
    expect(meta.height).toBe(24);
    expect(isRed(await pixel(image.data, 16, 12))).toBe(true);
  });
});

describe('render: SVG (case 15)', () => {
  it('rasterises an SVG with a script to a 32×24 PNG, red at (0,0), without "<script" in the bytes', async () => {
    const image = await render(fixture('badge.svg'), inside(32, 'png'), DEFAULT_CONFIG);

    expect(image.contentType).toBe('image/png');
    expect(sniffFormat(image.data)).toBe('png');
    expect([image.width, image.height]).toEqual([32, 24]);
    expect(await pixel(image.data, 0, 0)).toEqual([255, 0, 0, 255]);
    expect(image.data.includes('<script')).toBe(false);
  });

  it('rasterises a 4×3 SVG at the requested 400 px: 400×300, blue', async () => {
    const image = await render(fixture('tiny.svg'), inside(400, 'png'), DEFAULT_CONFIG);

    const meta = await sharp(image.data).metadata();
    expect([meta.width, meta.height]).toEqual([400, 300]);
    expect(await pixel(image.data, 399, 299)).toEqual([0, 0, 255, 255]);
  });

  it('refuses an SVG whose raster at the requested width passes the pixel limit with ORIGINAL_TOO_LARGE', async () => {
    const needle = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="100000"><rect width="1" height="100000"/></svg>',
    );

    const error = await refusal(render(needle, inside(2560, 'png'), DEFAULT_CONFIG));

    expect(error.code).toBe('ORIGINAL_TOO_LARGE');
    expect(error.message).toBe('rendition: 2560×256000000 px is over the pixel limit of 100000000 pixels');
  });

  it('crops a panorama to cover-1x32 inside the original: 3×100, never stretched', async () => {
    const panorama = await sharp({ create: { width: 2560, height: 100, channels: 3, background: '#808080' } })
      .jpeg()
      .toBuffer();

    const image = await render(panorama, boxed('cover', 2560, [1, 32]), DEFAULT_CONFIG);

    expect([image.width, image.height]).toEqual([3, 96]);
  });

  it('crops a 2000×100 panorama to thumb as 133×100, not 320×240', async () => {
    const panorama = await sharp({ create: { width: 2000, height: 100, channels: 3, background: '#808080' } })
      .jpeg()
      .toBuffer();

    const image = await render(panorama, boxed('cover', 320, [4, 3]), DEFAULT_CONFIG);

    expect([image.width, image.height]).toEqual([133, 100]);
  });

  it('loads no file an SVG references: the rendition shows only the green of the SVG itself', async () => {
    const local = new URL('../fixtures/base.png', import.meta.url);
    const svg = Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="48"><rect width="64" height="48" fill="#00ff00"/><image width="64" height="48" href="${local.href}"/><image width="64" height="48" href="base.png"/></svg>`,
    );

    const image = await render(svg, inside(32, 'png'), DEFAULT_CONFIG);

    expect(await pixel(image.data, 0, 0)).toEqual([0, 255, 0, 255]);
  });
});

describe('render: output', () => {
  it.each(['jpeg', 'webp', 'avif', 'png'] as const)(
    'gives byte-identical %s for identical input and params (case 31)',
    async (format) => {
      const input = fixture('car-o6.jpg');

      const first = await render(input, boxed('cover', 32, [4, 3], format), DEFAULT_CONFIG);
      const second = await render(input, boxed('cover', 32, [4, 3], format), DEFAULT_CONFIG);

      expect(second.data.equals(first.data)).toBe(true);
    },
  );

  it.each(['jpeg', 'webp', 'avif', 'png'] as const)(
    'labels %s bytes with the matching content type',
    async (format) => {
      const image = await render(fixture('base.jpg'), inside(32, format), DEFAULT_CONFIG);

      expect(sniffFormat(image.data)).toBe(format);
      expect(image.contentType).toBe(`image/${format}`);
      expect(image.format).toBe(format);
    },
  );

  it('strips EXIF, ICC and XMP from a tagged original', async () => {
    const tagged = await sharp(fixture('base.jpg'))
      .withExif({ IFD0: { Copyright: 'Autohaus Test', Artist: 'ERP' } })
      .withIccProfile('p3')
      .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"></x:xmpmeta>')
      .jpeg()
      .toBuffer();

    const image = await render(tagged, inside(32, 'webp'), DEFAULT_CONFIG);

    const meta = await sharp(image.data).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(image.data.includes('Autohaus')).toBe(false);
  });

  it('uses the quality it is given: q30 JPEG is smaller than q90 of the same photo', async () => {
    const photo = original('falcon9-dscovr-launch.jpg');

    const low = await render(photo, inside(320, 'jpeg', 30), DEFAULT_CONFIG);
    const high = await render(photo, inside(320, 'jpeg', 90), DEFAULT_CONFIG);

    expect(low.data.length * 2).toBeLessThan(high.data.length);
  });

  it('throws RENDER_FAILED "timed out" when timeoutMs runs out', async () => {
    const noisy = await sharp({
      create: {
        width: 800,
        height: 600,
        channels: 3,
        background: '#808080',
        noise: { type: 'gaussian', mean: 128, sigma: 50 },
      },
    })
      .jpeg()
      .toBuffer();

    const error = await refusal(render(noisy, inside(800, 'avif'), DEFAULT_CONFIG, { timeoutMs: 1 }));

    expect(error.code).toBe('RENDER_FAILED');
    expect(error.message).toContain('timed out');
  });

  it('rejects malformed params naming the parameter', async () => {
    const bad = { ...inside(32), quality: 0 };

    await expect(render(fixture('base.jpg'), bad, DEFAULT_CONFIG)).rejects.toThrow(
      'render params.quality: expected an integer 1-100, got 0',
    );
  });
});
