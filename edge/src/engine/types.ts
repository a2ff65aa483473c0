/**
 * The rendition engine's public shapes. One engine serves the S3-event handler, the
 * on-demand handler, the backfill and the emulator, so the same input makes the same bytes.
 */
import type { OutputFormat } from '../../../sdk/ts/src/config.js';

/** What the engine learns about an original from its header, before any decoding. */
export interface SourceInfo {
  /** Sniffed from magic bytes, never from the key's extension. */
  readonly format: 'jpeg' | 'png' | 'webp' | 'avif' | 'gif' | 'tiff' | 'svg' | 'heif';
  /** Displayed size in px, after EXIF orientation. */
  readonly width: number;
  readonly height: number;
  readonly hasAlpha: boolean;
  /** Frames of an animated image; 1 otherwise. */
  readonly pages: number;
  readonly bytes: number;
}

/** One rendered image. `contentType` always matches the bytes. */
export interface RenderedImage {
  readonly data: Buffer;
  readonly format: OutputFormat;
  readonly contentType: string;
  /** Actual size in px (never wider than the original, except for SVG). */
  readonly width: number;
  readonly height: number;
}

/** Per-call options of `render`. */
export interface RenderOptions {
  /**
   * Longest the whole pipeline (decode, resize, encode) may take, in ms. Unset: no limit.
   * When it runs out, `render` throws `RENDER_FAILED` ("timed out").
   */
  readonly timeoutMs?: number;
}

/** What `renderOnDemand` returns: the image, and whether it is the WebP stand-in for an AVIF. */
export interface OnDemandResult {
  readonly image: RenderedImage;
  /** `true` when AVIF missed its budget and `image` is WebP: serve it `no-store`, store nothing. */
  readonly fallback: boolean;
}
