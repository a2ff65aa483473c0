/**
 * The edge's one configuration object: the contract tables plus limits and policies.
 * Lambda@Edge has no environment variables, so deployments bake a JSON file of overrides
 * into the bundle at build time; locally the same overrides come from a file or flags.
 */
import {
  DEFAULT_PRESETS,
  DEFAULT_QUALITY,
  type DeviceClass,
  type OutputFormat,
  type Preset,
  WIDTH_LADDER,
} from '../../sdk/ts/src/config.js';

/** When a URL needs an HMAC signature (SPEC.md §8). */
export type SignaturePolicy = 'custom' | 'always' | 'never';

/** Everything the parser, the engine and the handlers need to agree on. */
export interface EdgeConfig {
  readonly presets: Readonly<Record<string, Preset>>;
  readonly widthLadder: readonly number[];
  readonly quality: Readonly<Record<Exclude<OutputFormat, 'png'>, Readonly<Record<DeviceClass, number>>>>;
  readonly signing: {
    readonly require: SignaturePolicy;
    /** Key id → secret. One or two entries (rotation). */
    readonly keys: Readonly<Record<string, string>>;
  };
  /** Background for JPEG flattening and `contain` letterboxing, `#rrggbb`. */
  readonly background: string;
  /** Format of the eager renditions the S3-event handler makes. */
  readonly eagerFormat: OutputFormat;
  readonly limits: {
    /** Originals above this many pixels are refused from their header (ORIGINAL_TOO_LARGE). */
    readonly maxInputPixels: number;
    /** Originals above this many bytes are refused before decoding. */
    readonly maxInputBytes: number;
    /** Longest AVIF encode on the request path before falling back to WebP, in ms. */
    readonly avifBudgetMs: number;
    /** Largest generated Lambda@Edge response (base64 body + headers), in bytes. */
    readonly generatedResponseBytes: number;
  };
  readonly cacheControl: {
    /** Renditions: immutable, a year. */
    readonly rendition: string;
    /** ORIGINAL_NOT_FOUND: short, so a burst is absorbed but an upload shows soon. */
    readonly notFound: string;
    /** Every other error and every fallback. */
    readonly error: string;
  };
}

/** The defaults of SPEC.md, frozen. */
export const DEFAULT_CONFIG: EdgeConfig = Object.freeze({
  presets: DEFAULT_PRESETS,
  widthLadder: WIDTH_LADDER,
  quality: DEFAULT_QUALITY,
  signing: Object.freeze({ require: 'custom', keys: Object.freeze({}) }),
  background: '#ffffff',
  eagerFormat: 'jpeg',
  limits: Object.freeze({
    maxInputPixels: 100_000_000,
    maxInputBytes: 60 * 1024 * 1024,
    avifBudgetMs: 4_000,
    generatedResponseBytes: 1_000_000,
  }),
  cacheControl: Object.freeze({
    rendition: 'public, max-age=31536000, immutable',
    notFound: 'public, max-age=10',
    error: 'no-store',
  }),
} satisfies EdgeConfig);

/** Overrides as they appear in a JSON config file; every field optional. */
export type EdgeConfigOverrides = {
  readonly [K in keyof EdgeConfig]?: EdgeConfig[K] extends string | readonly unknown[]
    ? EdgeConfig[K]
    : Partial<EdgeConfig[K]>;
};

/**
 * Merges overrides onto the defaults and validates the result once. Throws an Error naming
 * the field, the expected form and the value received.
 */
export function resolveConfig(overrides: EdgeConfigOverrides = {}): EdgeConfig {
  const config: EdgeConfig = {
    presets: (overrides.presets as EdgeConfig['presets'] | undefined) ?? DEFAULT_CONFIG.presets,
    widthLadder: overrides.widthLadder ?? DEFAULT_CONFIG.widthLadder,
    quality: { ...DEFAULT_CONFIG.quality, ...overrides.quality },
    signing: { ...DEFAULT_CONFIG.signing, ...overrides.signing },
    background: overrides.background ?? DEFAULT_CONFIG.background,
    eagerFormat: overrides.eagerFormat ?? DEFAULT_CONFIG.eagerFormat,
    limits: { ...DEFAULT_CONFIG.limits, ...overrides.limits },
    cacheControl: { ...DEFAULT_CONFIG.cacheControl, ...overrides.cacheControl },
  };

  for (const [name, preset] of Object.entries(config.presets)) {
    if (!/^[a-z][a-z0-9-]{0,15}$/.test(name) || /^w\d/.test(name)) {
      throw new Error(`config presets: name "${name}" must match [a-z][a-z0-9-]{0,15} and not look like a width`);
    }
    if (preset.fit !== 'inside' && !preset.aspect) {
      throw new Error(`config presets.${name}: fit "${preset.fit}" needs an aspect such as [4, 3]`);
    }
  }
  const ladder = config.widthLadder;
  if (
    ladder.length === 0 ||
    ladder.some((w, i) => !Number.isInteger(w) || w < 1 || (i > 0 && w <= (ladder[i - 1] ?? 0)))
  ) {
    throw new Error(`config widthLadder: expected ascending positive integers, got [${ladder.join(', ')}]`);
  }
  if (!/^#[0-9a-f]{6}$/i.test(config.background)) {
    throw new Error(`config background: expected #rrggbb, got "${config.background}"`);
  }
  if (!['custom', 'always', 'never'].includes(config.signing.require)) {
    throw new Error(`config signing.require: expected custom, always or never, got "${config.signing.require}"`);
  }
  for (const keyId of Object.keys(config.signing.keys)) {
    if (!/^[a-z0-9]{1,8}$/.test(keyId))
      throw new Error(`config signing.keys: key id "${keyId}" must match [a-z0-9]{1,8}`);
  }
  return Object.freeze(config);
}
