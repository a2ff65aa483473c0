/**
 * Checking and resolving the options of a URL (SPEC.md §3–§7): what `url()`, `srcset()`,
 * `img()` and `picture()` share. Kept apart from the builder so the HTML writers can use it
 * without importing the builder that imports them.
 */
import type { ResolvedBuilderConfig } from './builder-config.js';
import { type Aspect, DENSITIES, type Fit, type OutputFormat, type Preset } from './config.js';
import { findKeyProblem } from './key-rules.js';
import { describe, SdkError } from './sdk-error.js';
import type { SpecParts } from './spec.js';
import { snapWidth } from './widths.js';
/** Options of {@link UrlBuilder.url}. Exactly one of `preset` and `width`. */
export interface UrlOptions {
  /** A preset name of the config (`thumb`, `card`, `large`, `auto` by default); device-adaptive. */
  readonly preset?: string;
  /** Width in px, 1 to the top of the ladder (2560); snapped up to the next ladder step. */
  readonly width?: number;
  /** Crop (`cover`) or letterbox (`contain`) to `aspect`; not with a preset. A custom option: signed. */
  readonly fit?: 'cover' | 'contain';
  /** `[a, b]`, integers 1–32; required with `fit`, refused without it. */
  readonly aspect?: Aspect;
  /** 1–100. Default: per format and device (SPEC.md §5.2). A custom option: signed. */
  readonly quality?: number;
  /** Device pixel ratio the edge multiplies the width by (capped at 2560). Default 1 (not written). */
  readonly density?: 1 | 1.5 | 2 | 3;
  /** Output format. Default: negotiated from `Accept` by the edge. */
  readonly format?: OutputFormat;
  /** Marks a phone (presets only), so the edge picks the preset's mobile width. */
  readonly mobile?: boolean;
  /** Cache-busting token, 1–32 of `A-Z a-z 0-9 - _ .`, or a non-negative integer (e.g. Unix seconds). */
  readonly version?: string | number;
}

/** The size and fit a URL names once its options are checked. */
export interface ResolvedUrl {
  /** The canonical spec, its width already snapped. */
  readonly parts: SpecParts;
  /** The effective fit: the preset's, or the `fit` option, or `inside`. */
  readonly fit: Fit;
  /** The effective aspect for `cover` and `contain`. */
  readonly aspect?: Aspect;
  /** The width slot in px: the snapped width, or the preset's desktop (mobile with `mobile`) width. */
  readonly slotWidth: number;
  /** 1, 1.5, 2 or 3. */
  readonly density: number;
  readonly version?: string;
}

/** The option names `url()` takes; html and srcset options pass these through. */
export const URL_OPTION_NAMES: readonly string[] = Object.freeze([
  'preset',
  'width',
  'fit',
  'aspect',
  'quality',
  'density',
  'format',
  'mobile',
  'version',
]);

const FORMATS: readonly string[] = ['jpeg', 'png', 'webp', 'avif'];
const VERSION = /^[A-Za-z0-9._-]{1,32}$/;

/** Throws {@link SdkError} `BAD_KEY`/`KEY_TOO_LONG`/`INVALID_ARGUMENT` (argument `key`) for a key the edge refuses. */
export function checkKey(key: unknown): asserts key is string {
  if (typeof key !== 'string')
    throw new SdkError('INVALID_ARGUMENT', 'key', `key must be a string, got ${describe(key)}`);

  const problem = findKeyProblem(key);
  if (problem)
    throw new SdkError(problem.code, 'key', `key ${describe(key)} cannot have renditions: ${problem.reason}`);
}

/** Throws {@link SdkError} `INVALID_ARGUMENT` naming the first option `call` does not take. */
export function rejectUnknown(options: object, allowed: readonly string[], call: string): void {
  if (typeof options !== 'object' || options === null) {
    throw new SdkError('INVALID_ARGUMENT', 'options', `${call}() options must be an object, got ${describe(options)}`);
  }
  const unknown = Object.keys(options).find((name) => !allowed.includes(name));
  if (unknown !== undefined) {
    throw new SdkError(
      'INVALID_ARGUMENT',
      unknown,
      `${call}() has no option "${unknown}"; it takes ${allowed.join(', ')}`,
    );
  }
}

/**
 * Checks `url()` options against the config and resolves them to a canonical spec. Throws
 * {@link SdkError} naming the option at fault.
 */
export function resolveUrlOptions(config: ResolvedBuilderConfig, options: UrlOptions): ResolvedUrl {
  const { preset, width } = options;
  if ((preset === undefined) === (width === undefined)) {
    throw new SdkError(
      'INVALID_ARGUMENT',
      'preset',
      `give exactly one of preset or width, got preset ${describe(preset)} and width ${describe(width)}`,
    );
  }
  const parts: { -readonly [K in keyof SpecParts]: SpecParts[K] } = { size: { preset: '' } };
  let fit: Fit = 'inside';
  let aspect: Aspect | undefined;
  let slotWidth: number;

  if (preset !== undefined) {
    const table = presetOf(config, preset, options);
    parts.size = { preset: preset as string };
    fit = table.fit;
    aspect = table.aspect;
    slotWidth = options.mobile === true ? table.mobileWidth : table.desktopWidth;
  } else {
    slotWidth = snapChecked(config, width);
    parts.size = { width: slotWidth };
    if (options.fit !== undefined) {
      if (options.fit !== 'cover' && options.fit !== 'contain') {
        throw new SdkError('BAD_OPTION_VALUE', 'fit', `fit must be "cover" or "contain", got ${describe(options.fit)}`);
      }
      aspect = checkAspect(options.aspect);
      fit = options.fit;
      parts.fit = { mode: fit, aspect };
    } else if (options.aspect !== undefined) {
      throw new SdkError('OPTION_NOT_ALLOWED', 'aspect', 'aspect only applies with fit "cover" or "contain"');
    }
  }

  if (options.quality !== undefined) {
    const q = options.quality;
    if (!Number.isInteger(q) || q < 1 || q > 100) {
      throw new SdkError('BAD_OPTION_VALUE', 'quality', `quality must be an integer 1-100, got ${describe(q)}`);
    }
    parts.quality = q;
  }
  const density = options.density ?? 1;
  if (density !== 1 && !DENSITIES.includes(density)) {
    throw new SdkError('BAD_OPTION_VALUE', 'density', `density must be 1, 1.5, 2 or 3, got ${describe(density)}`);
  }
  if (density !== 1) parts.density = density;
  if (options.format !== undefined) {
    if (!FORMATS.includes(options.format)) {
      throw new SdkError(
        'BAD_OPTION_VALUE',
        'format',
        `format must be jpeg, png, webp or avif, got ${describe(options.format)}`,
      );
    }
    parts.format = options.format;
  }
  if (options.mobile !== undefined) {
    if (typeof options.mobile !== 'boolean') {
      throw new SdkError('INVALID_ARGUMENT', 'mobile', `mobile must be a boolean, got ${describe(options.mobile)}`);
    }
    if (options.mobile && preset === undefined) {
      throw new SdkError('OPTION_NOT_ALLOWED', 'mobile', 'mobile only applies to presets; an explicit width is exact');
    }
    if (options.mobile) parts.mobile = true;
  }
  const version = checkVersion(options.version);

  return {
    parts,
    fit,
    slotWidth,
    density,
    ...(aspect ? { aspect } : {}),
    ...(version !== undefined ? { version } : {}),
  };
}

/**
 * The preset named by `preset`, refusing an unknown name (`UNKNOWN_SIZE`) and a fit or aspect
 * beside it (`OPTION_NOT_ALLOWED`: a preset fixes its own fit).
 */
export function presetOf(
  config: ResolvedBuilderConfig,
  preset: unknown,
  options: Pick<UrlOptions, 'fit' | 'aspect'>,
): Preset {
  const table =
    typeof preset === 'string' && Object.hasOwn(config.presets, preset) ? config.presets[preset] : undefined;
  if (table === undefined) {
    const names = Object.keys(config.presets).join(', ');
    throw new SdkError('UNKNOWN_SIZE', 'preset', `preset must be one of ${names}, got ${describe(preset)}`);
  }
  if (options.fit !== undefined || options.aspect !== undefined) {
    const name = options.fit !== undefined ? 'fit' : 'aspect';
    throw new SdkError('OPTION_NOT_ALLOWED', name, `${name} cannot follow preset "${preset}", which fixes its own fit`);
  }
  return table;
}

/** Snaps a width option up to the ladder; throws `WIDTH_OUT_OF_RANGE` naming `argument`. */
export function snapChecked(config: ResolvedBuilderConfig, width: unknown, argument = 'width'): number {
  const top = config.widthLadder[config.widthLadder.length - 1] ?? 0;
  if (typeof width !== 'number' || Number.isNaN(width)) {
    throw new SdkError('INVALID_ARGUMENT', argument, `${argument} must be a number of px, got ${describe(width)}`);
  }
  const snapped = width >= 1 ? snapWidth(width, config.widthLadder) : undefined;
  if (snapped === undefined) {
    throw new SdkError('WIDTH_OUT_OF_RANGE', argument, `${argument} must be 1 to ${top} px, got ${describe(width)}`);
  }
  return snapped;
}

function checkAspect(aspect: unknown): Aspect {
  if (!Array.isArray(aspect) || aspect.length !== 2 || !aspect.every((s) => Number.isInteger(s) && s >= 1 && s <= 32)) {
    throw new SdkError(
      'BAD_OPTION_VALUE',
      'aspect',
      `aspect must be [a, b] with integers 1-32, got ${describe(aspect)}`,
    );
  }
  return [aspect[0], aspect[1]];
}

function checkVersion(version: unknown): string | undefined {
  if (version === undefined) return undefined;

  const token = Number.isSafeInteger(version) && (version as number) >= 0 ? String(version) : version;
  if (typeof token !== 'string' || !VERSION.test(token)) {
    throw new SdkError(
      'BAD_VERSION',
      'version',
      `version must be 1-32 of A-Z a-z 0-9 - _ . or a non-negative integer, got ${describe(version)}`,
    );
  }
  return token;
}
