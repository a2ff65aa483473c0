/**
 * `<img>` and `<picture>` markup (SPEC.md §12.2–§12.3): fixed attribute order, escaped values,
 * `width`/`height` whenever they are known so the page does not shift.
 */
import type { ResolvedBuilderConfig } from './builder-config.js';
import { type Aspect, FORMAT_MIME, type OutputFormat } from './config.js';
import { describe, SdkError } from './sdk-error.js';
import { buildSrcset, type SrcsetOptions } from './srcset.js';
import {
  type ResolvedUrl,
  rejectUnknown,
  resolveUrlOptions,
  URL_OPTION_NAMES,
  type UrlOptions,
} from './url-options.js';

/** Options of `img()`: the `url()` options for `src`, plus the markup's own. */
export interface HtmlOptions extends UrlOptions {
  /** Adds a `srcset` of these widths (px) with the same fit, quality, format and version as `src`. */
  readonly widths?: readonly number[];
  /** The `sizes` attribute, written as given (build it with `sizes()`). */
  readonly sizes?: string;
  /** The original's width in px: caps `srcset` descriptors and the `width` attribute. */
  readonly sourceWidth?: number;
  /** The original's height in px: with `sourceWidth`, gives `height` for `inside` renditions. */
  readonly sourceHeight?: number;
  /** Alternative text; always written, empty by default. */
  readonly alt?: string;
  /** The `class` attribute. */
  readonly className?: string;
  /** The LCP image: `loading="eager"`, `decoding="sync"`, `fetchpriority="high"`. Default: lazy and async. */
  readonly priority?: boolean;
}

/** One art-directed source of `picture()`: another size (and crop) for a media condition. */
export interface ArtSource {
  /** The `media` attribute, e.g. `(max-width: 640px)`. */
  readonly media: string;
  readonly preset?: string;
  readonly width?: number;
  readonly widths?: readonly number[];
  readonly fit?: 'cover' | 'contain';
  readonly aspect?: Aspect;
  readonly quality?: number;
  /** The `sizes` attribute of this source's `<source>` elements. */
  readonly sizes?: string;
}

/** Options of `picture()`: those of `img()` (its `format` is the fallback's, default `jpeg`), plus: */
export interface PictureOptions extends HtmlOptions {
  /** Formats of the `<source>` elements, in order. Default `['avif', 'webp']`. */
  readonly formats?: readonly OutputFormat[];
  /** Art-directed sources, written before the default ones; each inherits `version` and `sourceWidth`. */
  readonly art?: readonly ArtSource[];
}

type UrlFn = (key: string, options: UrlOptions) => string;

const IMG_OPTIONS = [
  ...URL_OPTION_NAMES,
  'widths',
  'sizes',
  'sourceWidth',
  'sourceHeight',
  'alt',
  'className',
  'priority',
];
const PICTURE_OPTIONS = [...IMG_OPTIONS, 'formats', 'art'];
const ART_OPTIONS = ['media', 'preset', 'width', 'widths', 'fit', 'aspect', 'quality', 'sizes'];
const SOURCE_FORMATS: readonly string[] = ['avif', 'webp', 'png', 'jpeg'];

/**
 * An `<img>` tag with attributes in the order of SPEC.md §12.2. Throws {@link SdkError}
 * naming the option at fault.
 *
 * @example vetrina.img('fahrzeuge/4711/front.jpg', { preset: 'thumb', alt: 'Front' })
 * // '<img src="https://img.example.com/thumb/fahrzeuge/4711/front.jpg" width="320" height="240" alt="Front" loading="lazy" decoding="async">'
 */
export function renderImg(config: ResolvedBuilderConfig, url: UrlFn, key: string, options: HtmlOptions): string {
  rejectUnknown(options, IMG_OPTIONS, 'img');
  const urlOptions = pick(options, URL_OPTION_NAMES) as UrlOptions;
  const src = url(key, urlOptions);
  const resolved = resolveUrlOptions(config, urlOptions);
  const srcset = options.widths === undefined ? undefined : buildSrcset(config, url, key, srcsetOptions(options));
  const size = renderedSize(resolved, options.sourceWidth, options.sourceHeight);
  const alt = options.alt ?? '';
  if (typeof alt !== 'string')
    throw new SdkError('INVALID_ARGUMENT', 'alt', `alt must be a string, got ${describe(alt)}`);
  const priority = options.priority ?? false;
  if (typeof priority !== 'boolean') {
    throw new SdkError('INVALID_ARGUMENT', 'priority', `priority must be a boolean, got ${describe(priority)}`);
  }

  return tag('img', [
    ['src', src],
    ['srcset', srcset],
    ['sizes', checkText(options.sizes, 'sizes')],
    ['width', size?.width],
    ['height', size?.height],
    ['alt', alt],
    ['class', checkText(options.className, 'className')],
    ['loading', priority ? 'eager' : 'lazy'],
    ['decoding', priority ? 'sync' : 'async'],
    ['fetchpriority', priority ? 'high' : undefined],
  ]);
}

/**
 * A `<picture>` with explicit-format sources (art sources first), then the fallback `<img>`
 * (SPEC.md §12.3). Throws {@link SdkError} naming the option at fault.
 */
export function renderPicture(config: ResolvedBuilderConfig, url: UrlFn, key: string, options: PictureOptions): string {
  rejectUnknown(options, PICTURE_OPTIONS, 'picture');
  const formats = options.formats ?? ['avif', 'webp'];
  if (!Array.isArray(formats) || !formats.every((f) => SOURCE_FORMATS.includes(f))) {
    throw new SdkError(
      'BAD_OPTION_VALUE',
      'formats',
      `formats must list avif, webp, png or jpeg, got ${describe(formats)}`,
    );
  }
  const art = options.art ?? [];
  if (!Array.isArray(art)) throw new SdkError('INVALID_ARGUMENT', 'art', `art must be an array, got ${describe(art)}`);

  const sources: string[] = [];
  for (const [i, entry] of art.entries()) {
    const media = checkArt(entry, i);
    const artOptions = {
      ...pick(entry, ['preset', 'width', 'widths', 'fit', 'aspect', 'quality']),
      ...inherited(options),
    };
    for (const format of formats) {
      sources.push(source(media, format, sourceSrcset(config, url, key, { ...artOptions, format }), entry.sizes));
    }
  }
  const { formats: _formats, art: _art, ...imgOptions } = options;
  for (const format of formats) {
    sources.push(source(undefined, format, sourceSrcset(config, url, key, { ...imgOptions, format }), options.sizes));
  }
  const img = renderImg(config, url, key, { ...imgOptions, format: options.format ?? 'jpeg' });
  return `<picture>${sources.join('')}${img}</picture>`;
}

/** The size `src` is shown at, in CSS px (see SPEC.md §12.2); `undefined` when unknown. */
function renderedSize(
  resolved: ResolvedUrl,
  sourceWidth: number | undefined,
  sourceHeight: number | undefined,
): { width: number; height: number } | undefined {
  for (const [name, value] of [
    ['sourceWidth', sourceWidth],
    ['sourceHeight', sourceHeight],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new SdkError('INVALID_ARGUMENT', name, `${name} must be a positive integer of px, got ${describe(value)}`);
    }
  }
  // Never upscaled: a density-d file of a narrow original is shown at sourceWidth / d CSS px.
  const width =
    sourceWidth === undefined
      ? resolved.slotWidth
      : Math.min(resolved.slotWidth, Math.round(sourceWidth / resolved.density));
  if (resolved.aspect && resolved.fit !== 'inside') {
    const [a, b] = resolved.aspect;
    // A cover crop never outgrows the original's height either (SPEC.md §3.3).
    const cropWidth =
      resolved.fit === 'cover' && sourceHeight !== undefined
        ? Math.min(width, Math.max(1, Math.round(Math.floor((sourceHeight * a) / b) / resolved.density)))
        : width;
    return { width: cropWidth, height: Math.round((cropWidth * b) / a) };
  }
  if (sourceWidth === undefined || sourceHeight === undefined) return undefined;
  return { width, height: Math.round((width * sourceHeight) / sourceWidth) };
}

function sourceSrcset(config: ResolvedBuilderConfig, url: UrlFn, key: string, options: HtmlOptions): string {
  if (options.widths !== undefined) return buildSrcset(config, url, key, srcsetOptions(options));
  return url(key, pick(options, URL_OPTION_NAMES) as UrlOptions);
}

function srcsetOptions(options: HtmlOptions): SrcsetOptions {
  return pick(options, ['widths', 'sourceWidth', 'preset', 'fit', 'aspect', 'quality', 'format', 'version']);
}

function inherited(options: PictureOptions): Partial<HtmlOptions> {
  return pick(options, ['version', 'sourceWidth']);
}

function checkArt(entry: ArtSource, i: number): string {
  rejectUnknown(entry, ART_OPTIONS, `picture art[${i}]`);
  if (typeof entry.media !== 'string' || entry.media.trim() === '') {
    throw new SdkError(
      'INVALID_ARGUMENT',
      'media',
      `art[${i}].media must be a media condition, got ${describe(entry.media)}`,
    );
  }
  return entry.media;
}

function source(media: string | undefined, format: OutputFormat, srcset: string, sizes: string | undefined): string {
  return tag('source', [
    ['media', media],
    ['type', FORMAT_MIME[format]],
    ['srcset', srcset],
    ['sizes', checkText(sizes, 'sizes')],
  ]);
}

function checkText(value: unknown, argument: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') {
    throw new SdkError('INVALID_ARGUMENT', argument, `${argument} must be a string, got ${describe(value)}`);
  }
  return value;
}

function tag(name: string, attributes: ReadonlyArray<readonly [string, string | number | undefined]>): string {
  const written = attributes
    .filter(([, value]) => value !== undefined)
    .map(([attribute, value]) => ` ${attribute}="${escapeAttribute(String(value))}"`);
  return `<${name}${written.join('')}>`;
}

/**
 * Escapes a value for a double-quoted HTML attribute: `&`, `"`, `<`, `>` and `'`.
 *
 * @example escapeAttribute('a&b') // 'a&amp;b'
 */
export function escapeAttribute(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('"', '&quot;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll("'", '&#39;');
}

function pick<T extends object>(options: T, names: readonly string[]): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const value = (options as Record<string, unknown>)[name];
    if (value !== undefined) out[name] = value;
  }
  return out as Partial<T>;
}
