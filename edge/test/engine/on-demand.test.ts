import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, resolveConfig } from '../../src/config.js';
import { renderOnDemand, sniffFormat } from '../../src/engine/index.js';
import { fixture, inside } from './helpers.js';

/** A noisy 800×600 photo stand-in: AVIF takes tens of ms on it, never 2 ms. */
let noisy: Buffer;
beforeAll(async () => {
  noisy = await sharp({
    create: {
      width: 800,
      height: 600,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 50 },
    },
  })
    .jpeg({ quality: 90 })
    .toBuffer();
});

describe('renderOnDemand (case 33)', () => {
  it('returns AVIF within the default 4 s budget, not a fallback', async () => {
    const result = await renderOnDemand(noisy, inside(640, 'avif', 55), DEFAULT_CONFIG);

    expect(result.fallback).toBe(false);
    expect(result.image.contentType).toBe('image/avif');
    expect(sniffFormat(result.image.data)).toBe('avif');
    expect([result.image.width, result.image.height]).toEqual([640, 480]);
  });

  it('falls back to WebP at the WebP default quality when AVIF misses a 2 ms budget', async () => {
    const config = resolveConfig({ limits: { avifBudgetMs: 2 } });
    const started = performance.now();

    const result = await renderOnDemand(noisy, inside(640, 'avif', 55), config);

    expect(result.fallback).toBe(true);
    expect(result.image.format).toBe('webp');
    expect(result.image.contentType).toBe('image/webp');
    expect(result.image.data.toString('latin1', 8, 12)).toBe('WEBP');
    expect([result.image.width, result.image.height]).toEqual([640, 480]);
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('keeps an explicit quality for the WebP fallback and the mobile default maps to mobile WebP', async () => {
    const config = resolveConfig({ limits: { avifBudgetMs: 2 } });

    const custom = await renderOnDemand(noisy, inside(640, 'avif', 20), config);
    const mobile = await renderOnDemand(noisy, inside(640, 'avif', 45), config);
    const expected = await renderOnDemand(noisy, inside(640, 'webp', 68), config);

    expect(custom.fallback).toBe(true);
    expect(mobile.image.data.equals(expected.image.data)).toBe(true);
    expect(custom.image.data.length).toBeLessThan(mobile.image.data.length);
  });

  it('renders JPEG, WebP and PNG as render does, never as a fallback', async () => {
    const config = resolveConfig({ limits: { avifBudgetMs: 1 } });

    const results = await Promise.all(
      (['jpeg', 'webp', 'png'] as const).map((format) =>
        renderOnDemand(fixture('base.jpg'), inside(32, format), config),
      ),
    );

    expect(results.map((result) => [result.fallback, sniffFormat(result.image.data)])).toEqual([
      [false, 'jpeg'],
      [false, 'webp'],
      [false, 'png'],
    ]);
  });

  it('passes refusals through: a truncated original is ORIGINAL_CORRUPT, not a fallback', async () => {
    await expect(renderOnDemand(fixture('truncated.jpg'), inside(320, 'avif'), DEFAULT_CONFIG)).rejects.toMatchObject({
      code: 'ORIGINAL_CORRUPT',
    });
  });
});
