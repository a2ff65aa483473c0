/**
 * Output geometry: how big a rendition is, given the original's displayed size and the
 * canonical parameters (SPEC.md §3.3, §4). Pure arithmetic, so the SDK's `width`/`height`
 * attributes, the engine and the tests agree on every pixel.
 */
import type { RenditionParams } from '../../../sdk/ts/src/rendition.js';

/** A size in px. */
export interface Size {
  readonly width: number;
  readonly height: number;
}

/**
 * The size of the rendition of a `source` (displayed size, after EXIF orientation).
 *
 * - `inside`: the width slot, capped at the source width; the height keeps the source aspect.
 * - `cover` with aspect a:b: the largest a:b box that fits the width slot and the source in
 *   both directions, so `thumb` of a 200×300 original is 200×150 and of a 2000×100 panorama
 *   133×100: a crop never stretches pixels.
 * - `contain` with aspect a:b: the width slot capped at the source width, and
 *   `round(width × b / a)` for the height (the padding may be taller than the source).
 * - `vector` (SVG) sources are never capped: they are rasterised at the requested width.
 *
 * Heights are at least 1 px.
 *
 * @throws Error when `cover`/`contain` comes without an aspect (a programming error upstream)
 */
export function outputSize(source: Size, params: RenditionParams, vector: boolean): Size {
  const width = vector ? params.width : Math.min(params.width, source.width);
  if (params.fit === 'inside') {
    return { width, height: Math.max(1, Math.round((source.height * width) / source.width)) };
  }
  if (!params.aspect) throw new Error(`render params: fit "${params.fit}" needs an aspect, got none`);

  const [a, b] = params.aspect;
  const boxWidth = params.fit === 'cover' && !vector ? Math.min(width, Math.floor((source.height * a) / b)) : width;
  return { width: Math.max(1, boxWidth), height: Math.max(1, Math.round((Math.max(1, boxWidth) * b) / a)) };
}

/**
 * The scale factor from the source to the rendition (1 = source pixels, below 1 = shrinking).
 * `cover` scales so the box is filled (the larger axis ratio), `contain` so the image fits
 * (the smaller one). `outputSize` keeps a `cover` box inside the source, so the factor is at
 * most 1 for every fit.
 */
export function scaleFactor(source: Size, output: Size, fit: RenditionParams['fit']): number {
  const x = output.width / source.width;
  const y = output.height / source.height;
  if (fit === 'cover') return Math.max(x, y);
  if (fit === 'contain') return Math.min(x, y);
  return x;
}
