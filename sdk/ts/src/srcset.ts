/**
 * `srcset` and `sizes` values (SPEC.md §12.1): every width descriptor is the real pixel width
 * of its file, so a browser never mistakes a capped rendition for a wider one.
 */
import type { ResolvedBuilderConfig } from './builder-config.js';
import type { Aspect, OutputFormat } from './config.js';
import { describe, SdkError } from './sdk-error.js';
import { presetOf, rejectUnknown, snapChecked, type UrlOptions } from './url-options.js';
import { snapWidth } from './widths.js';

/** Options of `srcset()`. */
export interface SrcsetOptions {
  /**
   * Requested widths in px, each 1 to the top of the ladder, in any order; snapped up to the
   * ladder. Default with `preset`: the preset's mobile width, desktop width and twice the
   * desktop width (capped at the top of the ladder). Required without `preset`.
   */
  readonly widths?: readonly number[];
  /**
   * The original's width in px (after EXIF orientation), when known. Widths at or above it
   * collapse into one candidate `w{snap(sourceWidth)} {sourceWidth}w`.
   */
  readonly sourceWidth?: number;
  /**
   * Takes fit and aspect (and default widths) from this preset. The candidates are explicit
   * widths, so a `cover` preset's crop becomes a fit option, which is signed.
   */
  readonly preset?: string;
  /** As in `url()`: crop or letterbox every candidate to `aspect`; not with `preset`. */
  readonly fit?: 'cover' | 'contain';
  readonly aspect?: Aspect;
  readonly quality?: number;
  readonly format?: OutputFormat;
  readonly version?: string | number;
}

/** The option names `srcset()` takes. */
export const SRCSET_OPTION_NAMES: readonly string[] = Object.freeze([
  'widths',
  'sourceWidth',
  'preset',
  'fit',
  'aspect',
  'quality',
  'format',
  'version',
]);

/**
 * Builds a `srcset` value; see {@link SrcsetOptions}. Candidates are ascending by real width
 * and unique. Throws {@link SdkError} naming the option at fault.
 */
export function buildSrcset(
  config: ResolvedBuilderConfig,
  url: (key: string, options: UrlOptions) => string,
  key: string,
  options: SrcsetOptions,
): string {
  rejectUnknown(options, SRCSET_OPTION_NAMES, 'srcset');
  const { fit, aspect } = fitOf(config, options);
  const widths = options.widths ?? presetWidths(config, options.preset);
  if (!Array.isArray(widths) || widths.length === 0) {
    throw new SdkError('INVALID_ARGUMENT', 'widths', `widths must be a non-empty array of px, got ${describe(widths)}`);
  }
  const sourceWidth = checkSourceWidth(options.sourceWidth);

  const candidates = new Map<number, number>();
  for (const requested of widths) {
    const slot = snapChecked(config, requested, 'widths');
    if (sourceWidth !== undefined && slot >= sourceWidth) {
      candidates.set(sourceWidth, snapWidth(sourceWidth, config.widthLadder) ?? slot);
    } else {
      candidates.set(slot, slot);
    }
  }

  const base: UrlOptions = {
    ...(fit ? { fit, aspect } : {}),
    ...(options.quality !== undefined ? { quality: options.quality } : {}),
    ...(options.format !== undefined ? { format: options.format } : {}),
    ...(options.version !== undefined ? { version: options.version } : {}),
  };
  return [...candidates.entries()]
    .sort(([a], [b]) => a - b)
    .map(([descriptor, slot]) => `${url(key, { ...base, width: slot })} ${descriptor}w`)
    .join(', ');
}

/**
 * A `sizes` value: each `[mediaCondition, length]` pair, then the fallback length.
 *
 * @example sizes([['(max-width: 640px)', '100vw']], '50vw') // '(max-width: 640px) 100vw, 50vw'
 */
export function sizes(entries: ReadonlyArray<readonly [string, string]>, fallback: string): string {
  if (!Array.isArray(entries)) {
    throw new SdkError(
      'INVALID_ARGUMENT',
      'entries',
      `entries must be an array of [media, length], got ${describe(entries)}`,
    );
  }
  const parts = entries.map((entry, i) => {
    const valid =
      Array.isArray(entry) && entry.length === 2 && entry.every((s) => typeof s === 'string' && s.trim() !== '');
    if (!valid) {
      throw new SdkError(
        'INVALID_ARGUMENT',
        'entries',
        `entries[${i}] must be [media, length] strings, got ${describe(entry)}`,
      );
    }
    return `${entry[0].trim()} ${entry[1].trim()}`;
  });
  if (typeof fallback !== 'string' || fallback.trim() === '') {
    throw new SdkError(
      'INVALID_ARGUMENT',
      'fallback',
      `fallback must be a length such as "100vw", got ${describe(fallback)}`,
    );
  }
  return [...parts, fallback.trim()].join(', ');
}

function fitOf(config: ResolvedBuilderConfig, options: SrcsetOptions): Pick<UrlOptions, 'fit' | 'aspect'> {
  if (options.preset === undefined) return { fit: options.fit, aspect: options.aspect };

  const preset = presetOf(config, options.preset, options);
  return preset.fit === 'inside' ? {} : { fit: preset.fit, aspect: preset.aspect };
}

function presetWidths(config: ResolvedBuilderConfig, name: string | undefined): number[] {
  const preset = name === undefined ? undefined : config.presets[name];
  if (preset === undefined) {
    throw new SdkError('INVALID_ARGUMENT', 'widths', 'widths must be given when there is no preset');
  }
  const top = config.widthLadder[config.widthLadder.length - 1] ?? 0;
  return [preset.mobileWidth, preset.desktopWidth, 2 * preset.desktopWidth].map((w) => Math.min(w, top));
}

function checkSourceWidth(sourceWidth: unknown): number | undefined {
  if (sourceWidth === undefined) return undefined;
  if (!Number.isInteger(sourceWidth) || (sourceWidth as number) < 1) {
    throw new SdkError(
      'INVALID_ARGUMENT',
      'sourceWidth',
      `sourceWidth must be a positive integer of px, got ${describe(sourceWidth)}`,
    );
  }
  return sourceWidth as number;
}
