import { describe, expect, it } from 'vitest';
import { mediaRangeQualities, negotiateFormat } from '../../src/url/negotiate.js';

describe('negotiateFormat', () => {
  it.each([
    ['A', 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8', 'avif'],
    ['B', 'image/avif,image/webp,*/*', 'avif'],
    ['C', 'image/webp,*/*', 'webp'],
    ['D', 'image/webp,image/apng,image/*,*/*;q=0.8', 'webp'],
    ['E', 'image/png,image/svg+xml,image/*;q=0.8,video/*;q=0.8,*/*;q=0.5', 'jpeg'],
    ['F', '*/*', 'jpeg'],
    ['G', 'image/webp;q=0,*/*', 'jpeg'],
    ['H', 'x/y,image/webp,a/b;q=0.3', 'webp'],
  ])('maps Accept %s of case 26 to the expected format', (_letter, accept, format) => {
    const chosen = negotiateFormat(accept);

    expect(chosen).toBe(format);
  });

  it.each([
    [undefined, 'jpeg'],
    ['', 'jpeg'],
    ['image/*', 'jpeg'],
    ['image/avif;q=0, image/webp;q=0.001', 'webp'],
    ['image/avif;q=0.000', 'jpeg'],
    ['image/avif ; q=1.0', 'avif'],
    ['Image/AVIF', 'avif'],
    ['image/avif;codecs=av01;q=0.5', 'avif'],
    ['image/avif;q=abc,image/webp', 'webp'],
    ['image/avif;q=1.5,image/webp;q=0.5', 'webp'],
    ['image/avif, image/avif;q=0', 'jpeg'],
    ['image/avifx,image/webpx', 'jpeg'],
  ])('negotiates %j to %s', (accept, format) => {
    const chosen = negotiateFormat(accept);

    expect(chosen).toBe(format);
  });
});

describe('mediaRangeQualities', () => {
  it('reads every range with its q-value and defaults q to 1', () => {
    const qualities = mediaRangeQualities('image/webp, image/png;q=0.5 ,*/*;q=0.1');

    expect([...qualities]).toEqual([
      ['image/webp', 1],
      ['image/png', 0.5],
      ['*/*', 0.1],
    ]);
  });
});
