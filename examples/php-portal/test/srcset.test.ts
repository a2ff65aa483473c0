/**
 * The oracle the browser tests grade Chromium's `currentSrc` with: srcset and sizes parsing
 * and the density rule, on markup shaped like the portal's.
 */
import { describe, expect, it } from 'vitest';
import { parseSrcset, resolveSizes, selectCandidate, sizesConditions } from './support/srcset.js';

const PHONE = { width: 390, height: 844 };
const CARD_SIZES = '(max-width: 600px) 100vw, (max-width: 1000px) 50vw, 380px';

describe('parseSrcset', () => {
  it('keeps commas inside a URL and splits on the comma after the descriptor', () => {
    const srcset = 'http://cdn/w320,cover-4x3/a%20b.jpg?s=k1.x 320w, http://cdn/w480,cover-4x3/a%20b.jpg?s=k1.y 480w';

    const candidates = parseSrcset(srcset);

    expect(candidates).toEqual([
      { url: 'http://cdn/w320,cover-4x3/a%20b.jpg?s=k1.x', width: 320 },
      { url: 'http://cdn/w480,cover-4x3/a%20b.jpg?s=k1.y', width: 480 },
    ]);
  });

  it('rejects a density descriptor, naming the candidate', () => {
    expect(() => parseSrcset('a.jpg 2x')).toThrow(
      'srcset: expected "{url} {N}w" with N ≥ 1 for every candidate, got "a.jpg 2x"',
    );
  });
});

describe('resolveSizes', () => {
  it('takes the length of the first matching condition, in CSS px', () => {
    const matches = (condition: string) => condition === '(max-width: 1000px)';

    const slot = resolveSizes(CARD_SIZES, { width: 800, height: 600 }, matches);

    expect(slot).toBe(400);
  });

  it('falls back to the final length when no condition matches', () => {
    expect(resolveSizes(CARD_SIZES, { width: 1366, height: 900 }, () => false)).toBe(380);
  });

  it('lists the media conditions for the browser to evaluate', () => {
    expect(sizesConditions(CARD_SIZES)).toEqual(['(max-width: 600px)', '(max-width: 1000px)']);
  });

  it('rejects calc(), which the oracle cannot resolve', () => {
    expect(() => resolveSizes('calc(100vw - 2rem)', PHONE, () => false)).toThrow(
      'sizes: expected a length in px, vw, vh, em or rem, got "calc(100vw - 2rem)"',
    );
  });
});

describe('selectCandidate', () => {
  const hero = [640, 960, 1280, 1920, 2560].map((width) => ({ url: `w${width}`, width }));

  it('picks the lowest density at or above the DPR: 1280w for a 390 px slot at DPR 3', () => {
    expect(selectCandidate(hero, 390, 3).width).toBe(1280);
  });

  it('picks 1920w for a 1366 px slot at DPR 1', () => {
    expect(selectCandidate(hero, 1366, 1).width).toBe(1920);
  });

  it('picks the widest candidate when none reaches the DPR', () => {
    expect(selectCandidate(hero.slice(0, 2), 390, 3).width).toBe(960);
  });
});
