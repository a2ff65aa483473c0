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

/**
 * JPEG quantisation tables: 3 is ImageMagick's set (mozjpeg's default), tuned for photos.
 *
 * Why not mozjpeg's preset (`mozjpeg: true`): its trellis quantisation and progressive scan
 * search made the JPEG encode 6–10× slower than everything else in an eager render, and at
 * equal bytes they gained nothing the benchmark's PSNR/SSIM can see. Why baseline rather than
 * progressive: progressive costs about 10 % of an eager render's CPU for 2 % fewer bytes.
 * Measured on 12 renditions (1600 wide and 800×600 of six photos), bytes summed, luma
 * PSNR/SSIM against the unencoded pixels, one thread:
 *
 * | encoder                      | q  | bytes    | PSNR dB | SSIM   | encode  |
 * | ---------------------------- | -- | -------- | ------- | ------ | ------- |
 * | mozjpeg preset               | 80 | 1 379 KB | 38.46   | 0.9641 | 1189 ms |
 * | table 3, progressive         | 80 | 1 548 KB | 39.06   | 0.9672 |  209 ms |
 * | table 3, baseline (this one) | 80 | 1 583 KB | 39.06   | 0.9672 |  109 ms |
 * | table 3, baseline            | 76 | 1 364 KB | 38.34   | 0.9626 |   97 ms |
 *
 * So at the same quality number a JPEG is about 15 % larger than mozjpeg's and better by
 * 0.6 dB; at the same bytes (q ≈ 77) it is as good.
 */
export const JPEG_QUANTISATION_TABLE = 3;

/** WebP encoder effort (0–6); sharp's default. */
export const WEBP_EFFORT = 4;

/** zlib level (0–9) for PNG: lossless either way, 8 is within 1 % of 9 at half the time. */
export const PNG_COMPRESSION_LEVEL = 8;

/**
 * Sets the encoder of `image` for `params.format` with `params.quality` (1–100, ignored for
 * PNG, which is lossless).
 *
 * - JPEG: baseline, optimised Huffman tables, 4:2:0 chroma and the quantisation tables of
 *   {@link JPEG_QUANTISATION_TABLE}, without mozjpeg's trellis quantisation and scan search.
 * - WebP: lossy, effort {@link WEBP_EFFORT}, alpha kept losslessly.
 * - AVIF: effort {@link AVIF_EFFORT}, 4:2:0 chroma, 8 bit.
 * - PNG: lossless truecolour, {@link PNG_COMPRESSION_LEVEL}, adaptive filtering.
 *
 * Every path (render, renderMany, on-demand) encodes through this function, so equal pixels
 * give equal bytes. Byte sizes still depend on more than width: a JPEG rendition at the
 * original's own size (no resampling) re-encodes the original's 8×8 blocks on the same grid
 * and stays cheap, while any resampled size must spend bits on the original's compression
 * artefacts. For a low-quality original (the Porsche sample, about IJG q45) the resampled
 * 1280 px JPEG at q80 is larger (149 KB) than the 1500 px one at its own size (94 KB).
 */
export function encode(image: Sharp, params: RenditionParams): Sharp {
  switch (params.format) {
    case 'jpeg':
      return image.jpeg({
        quality: params.quality,
        progressive: false,
        optimiseCoding: true,
        quantisationTable: JPEG_QUANTISATION_TABLE,
        chromaSubsampling: '4:2:0',
      });
    case 'webp':
      return image.webp({ quality: params.quality, effort: WEBP_EFFORT, alphaQuality: 100 });
    case 'avif':
      return image.avif({ quality: params.quality, effort: AVIF_EFFORT, chromaSubsampling: '4:2:0', bitdepth: 8 });
    case 'png':
      return image.png({ compressionLevel: PNG_COMPRESSION_LEVEL, adaptiveFiltering: true, palette: false });
  }
}
