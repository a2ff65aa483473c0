import { describe, expect, it } from 'vitest';
import { outputSize } from '../../src/engine/index.js';
import { boxed, inside } from './helpers.js';

describe('outputSize', () => {
  it('caps inside at the source width and keeps the aspect', () => {
    expect(outputSize({ width: 360, height: 240 }, inside(800), false)).toEqual({ width: 360, height: 240 });
    expect(outputSize({ width: 3200, height: 2136 }, inside(1600), false)).toEqual({ width: 1600, height: 1068 });
  });

  it('gives cover and contain the aspect at the capped width', () => {
    expect(outputSize({ width: 200, height: 300 }, boxed('cover', 320, [4, 3]), false)).toEqual({
      width: 200,
      height: 150,
    });
    expect(outputSize({ width: 1280, height: 720 }, boxed('contain', 800, [1, 1]), false)).toEqual({
      width: 800,
      height: 800,
    });
  });

  it('lets a vector original reach the requested width', () => {
    expect(outputSize({ width: 4, height: 3 }, inside(400), true)).toEqual({ width: 400, height: 300 });
  });

  it('keeps at least one pixel of height for an extreme panorama', () => {
    expect(outputSize({ width: 9000, height: 2 }, inside(160), false)).toEqual({ width: 160, height: 1 });
  });
});
