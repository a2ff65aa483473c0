/**
 * The contract's tables: presets, the width ladder and default qualities (SPEC.md §3–§5).
 * Builders and parsers read the same frozen objects, so they cannot drift apart.
 */

/** How a rendition fills its box: keep the aspect, crop to an aspect, or letterbox. */
export type Fit = 'inside' | 'cover' | 'contain';

/** Output formats a URL may name. `auto` means negotiated from `Accept`. */
export type OutputFormat = 'jpeg' | 'png' | 'webp' | 'avif';

/** Device classes a preset adapts to (SPEC.md §6). */
export type DeviceClass = 'desktop' | 'mobile';

/** An aspect ratio `a:b`, each side 1–32. */
export type Aspect = readonly [number, number];

/** A named, device-adaptive size (SPEC.md §3.1). */
export interface Preset {
  /** Width in px for desktop viewers. */
  readonly desktopWidth: number;
  /** Width in px for mobile viewers. */
  readonly mobileWidth: number;
  /** `inside` keeps the original's aspect; `cover` and `contain` need `aspect`. */
  readonly fit: Fit;
  /** The aspect `cover`/`contain` produce; absent for `inside`. */
  readonly aspect?: Aspect;
  /** Rendered by the S3-event handler as soon as an original arrives. */
  readonly eager: boolean;
}

/** Allowed output widths in px, ascending; other widths snap up to the next step. */
export const WIDTH_LADDER: readonly number[] = Object.freeze([
  160, 240, 320, 480, 640, 800, 960, 1280, 1600, 1920, 2560,
]);

/** The default preset table. `thumb`, `card` and `large` are the eager three. */
export const DEFAULT_PRESETS: Readonly<Record<string, Preset>> = Object.freeze({
  thumb: Object.freeze({ desktopWidth: 320, mobileWidth: 320, fit: 'cover', aspect: [4, 3] as const, eager: true }),
  card: Object.freeze({ desktopWidth: 800, mobileWidth: 480, fit: 'cover', aspect: [4, 3] as const, eager: true }),
  large: Object.freeze({ desktopWidth: 1600, mobileWidth: 800, fit: 'inside', eager: true }),
  auto: Object.freeze({ desktopWidth: 1280, mobileWidth: 640, fit: 'inside', eager: false }),
});

/** Default quality (1–100) per lossy format and device class (SPEC.md §5.2). */
export const DEFAULT_QUALITY: Readonly<Record<Exclude<OutputFormat, 'png'>, Readonly<Record<DeviceClass, number>>>> =
  Object.freeze({
    jpeg: Object.freeze({ desktop: 80, mobile: 70 }),
    webp: Object.freeze({ desktop: 78, mobile: 68 }),
    avif: Object.freeze({ desktop: 55, mobile: 45 }),
  });

/** Densities a URL may ask for with `x{d}`. */
export const DENSITIES: readonly number[] = Object.freeze([1.5, 2, 3]);

/** Longest source key, in UTF-8 bytes, that can still have renditions (S3 keys stop at 1024). */
export const MAX_KEY_BYTES = 960;

/** The reserved path segment between a source key and its rendition descriptors. */
export const RENDITION_SEGMENT = '_r';

/** File extension of each output format in rendition keys. */
export const FORMAT_EXTENSION: Readonly<Record<OutputFormat, string>> = Object.freeze({
  jpeg: 'jpg',
  png: 'png',
  webp: 'webp',
  avif: 'avif',
});

/** MIME type of each output format. */
export const FORMAT_MIME: Readonly<Record<OutputFormat, string>> = Object.freeze({
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
});
