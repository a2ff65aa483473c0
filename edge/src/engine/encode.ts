/**
 * Encoder settings per output format. One table for every caller, so the same parameters make
 * the same bytes in every handler.
 */
import type { Sharp } from 'sharp';
import type { RenditionParams } from '../../../sdk/ts/src/rendition.js';

/**
 * AVIF encoder effort (0–9). Measured on this repository's 2-core machine for an 800 px
 * rendition of a 1500×1000 photo, one libvips thread: WebP effort 4 ≈ 50 ms, AVIF effort 0 ≈
 * 40 ms, 2 ≈ 150 ms, 3 ≈ 280 ms, 4 (sharp's default) ≈ 1 300 ms, with files within 10 % of
 * each other. Effort 2 keeps a 1600 px AVIF well inside the 4 s request budget.
 */
export const AVIF_EFFORT = 2;

/** WebP encoder effort (0–6); sharp's default, ≈ as fast as mozjpeg. */
export const WEBP_EFFORT = 4;

/** zlib level (0–9) for PNG: lossless either way, 8 is within 1 % of 9 at half the time. */
export const PNG_COMPRESSION_LEVEL = 8;

/**
 * Sets the encoder of `image` for `params.format` with `params.quality` (1–100, ignored for
 * PNG, which is lossless).
 *
 * - JPEG: mozjpeg defaults (progressive, trellis quantisation, optimised Huffman tables),
 *   4:2:0 chroma; about 15 % smaller than baseline libjpeg-turbo at the same quality.
 * - WebP: lossy, effort {@link WEBP_EFFORT}, alpha kept losslessly.
 * - AVIF: effort {@link AVIF_EFFORT}, 4:2:0 chroma, 8 bit.
 * - PNG: lossless truecolour, {@link PNG_COMPRESSION_LEVEL}, adaptive filtering.
 *
 * Every path (render, renderMany, on-demand) encodes through this function, so equal pixels
 * give equal bytes. Byte sizes still depend on more than width: a JPEG rendition at the
 * original's own size (no resampling) re-encodes the original's 8×8 blocks on the same grid
 * and stays cheap, while any resampled size must spend bits on the original's compression
 * artefacts. For a low-quality original (the Porsche sample, about IJG q45) the resampled
 * 1280 px JPEG at q80 is larger (132 KB) than the 1500 px one at its own size (92 KB).
 */
export function encode(image: Sharp, params: RenditionParams): Sharp {
  switch (params.format) {
    case 'jpeg':
      return image.jpeg({ quality: params.quality, mozjpeg: true, chromaSubsampling: '4:2:0' });
    case 'webp':
      return image.webp({ quality: params.quality, effort: WEBP_EFFORT, alphaQuality: 100 });
    case 'avif':
      return image.avif({ quality: params.quality, effort: AVIF_EFFORT, chromaSubsampling: '4:2:0', bitdepth: 8 });
    case 'png':
      return image.png({ compressionLevel: PNG_COMPRESSION_LEVEL, adaptiveFiltering: true, palette: false });
  }
}
