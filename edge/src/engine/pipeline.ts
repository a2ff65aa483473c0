/**
 * One rendition's sharp pipeline: load (first frame, bounded pixels, EXIF-oriented), size,
 * flatten for JPEG, encode. Metadata is stripped and colour converted to sRGB by sharp's
 * defaults (no `keepMetadata`/`withIccProfile`): CMYK and wide-gamut originals are converted
 * through their embedded profile (CMYK without one through sharp's built-in CMYK profile), and
 * the output carries no EXIF, no GPS, no orientation tag and no ICC profile, which browsers
 * read as sRGB.
 */
import sharp, { type Sharp, type SharpOptions } from 'sharp';
import type { RenditionParams } from '../../../sdk/ts/src/rendition.js';
import type { EdgeConfig } from '../config.js';
import { encode } from './encode.js';
import { type Size, scaleFactor } from './geometry.js';
import type { SourceInfo } from './types.js';

/** Highest rasterisation density sharp accepts for SVG, in dpi. */
const MAX_SVG_DENSITY = 100_000;

/**
 * Load options for an original. `failOn: 'error'` is the truncation policy (CASES 9): a file
 * cut short or with damaged data is refused (`ORIGINAL_CORRUPT`) rather than rendered with a
 * grey or smeared bottom, while mere decoder warnings (odd markers some cameras write) pass.
 * Only the first frame of animated or multi-page files is read (`pages: 1`).
 */
export function loadOptions(source: SourceInfo, config: EdgeConfig, svgScale?: number): SharpOptions {
  const options: SharpOptions = {
    failOn: 'error',
    limitInputPixels: config.limits.maxInputPixels,
    pages: 1,
    page: 0,
  };
  if (source.format === 'svg' && svgScale !== undefined) {
    // SVG's nominal size is at 72 dpi; rasterise at the density that gives the output size,
    // so a 4×3 icon becomes a sharp 400×300 image instead of an enlarged blur.
    return { ...options, density: Math.min(MAX_SVG_DENSITY, Math.max(1, 72 * svgScale)) };
  }
  return options;
}

/**
 * Opens an original for rendering `size` with `fit`: bounded, first frame, EXIF orientation
 * applied; an SVG is rasterised at the scale that size needs.
 */
export function openOriginal(
  input: Buffer,
  source: SourceInfo,
  size: Size,
  fit: RenditionParams['fit'],
  config: EdgeConfig,
): Sharp {
  const svgScale = source.format === 'svg' ? scaleFactor(source, size, fit) : undefined;
  return sharp(input, loadOptions(source, config, svgScale)).autoOrient();
}

/**
 * Adds sizing, JPEG flattening and the encoder to `image`, whose pixels are the displayed
 * original (or an sRGB intermediate of it). `size` comes from `outputSize`.
 *
 * - `inside`: resized to exactly `size` (same aspect as the source).
 * - `cover`: scaled to fill `size` and cropped around the centre. Centre rather than
 *   sharp's `attention` strategy: equally deterministic, much cheaper, and every size and
 *   format of one original shows the same crop.
 * - `contain`: scaled to fit and letterboxed on `config.background`, opaque in every format.
 * - JPEG only: alpha is flattened onto `config.background` (JPEG has no alpha; unflattened,
 *   transparent areas turn black, CASES 6). WebP, AVIF and PNG keep alpha.
 */
export function shapeAndEncode(image: Sharp, size: Size, params: RenditionParams, config: EdgeConfig): Sharp {
  const background = config.background;
  if (params.fit === 'cover') {
    image.resize(size.width, size.height, { fit: 'cover', position: 'centre' });
  } else if (params.fit === 'contain') {
    image.resize(size.width, size.height, { fit: 'contain', background });
  } else {
    image.resize(size.width, size.height, { fit: 'fill' });
  }
  if (params.format === 'jpeg') image.flatten({ background });
  return encode(image, params);
}
