/**
 * The builder's configuration: one typed object, validated once when the builder is made.
 */
import { DEFAULT_PRESETS, type Preset, WIDTH_LADDER } from './config.js';
import { describe, SdkError } from './sdk-error.js';
import { KEY_ID_PATTERN } from './signing.js';

/** When a URL carries an HMAC signature; mirrors the edge's `signing.require` (SPEC.md §8). */
export type SignaturePolicy = 'custom' | 'always' | 'never';

/** What `createUrlBuilder` takes. */
export interface UrlBuilderConfig {
  /** The CDN origin, `https://host[:port]`, with no path, query or fragment; a trailing `/` is dropped. */
  readonly baseUrl: string;
  /** Replaces the preset table of SPEC.md §3.1 (it must match the edge's). Default: the spec's four. */
  readonly presets?: Readonly<Record<string, Preset>>;
  /** Replaces the width ladder, ascending px (it must match the edge's). Default: SPEC.md §3.2. */
  readonly widthLadder?: readonly number[];
  /** The HMAC key the builder signs with: `keyId` matches `[a-z0-9]{1,8}`, `secret` is non-empty. */
  readonly signing?: { readonly keyId: string; readonly secret: string };
  /**
   * `custom` (default): sign URLs with fit or quality, and throw for them when `signing` is absent.
   * `always`: sign every URL (`signing` required). `never`: sign nothing.
   */
  readonly requireSignature?: SignaturePolicy;
}

/** The validated configuration, every default filled in. */
export interface ResolvedBuilderConfig {
  /** Without a trailing slash. */
  readonly baseUrl: string;
  readonly presets: Readonly<Record<string, Preset>>;
  readonly widthLadder: readonly number[];
  readonly signing?: { readonly keyId: string; readonly secret: string };
  readonly requireSignature: SignaturePolicy;
}

const PRESET_NAME = /^[a-z][a-z0-9-]{0,15}$/;
const POLICIES: readonly string[] = ['custom', 'always', 'never'];

/**
 * Validates a builder config and fills in defaults. Throws {@link SdkError} `INVALID_ARGUMENT`
 * naming the field (`baseUrl`, `presets.card`, `widthLadder`, `signing.keyId` …).
 */
export function resolveBuilderConfig(config: UrlBuilderConfig): ResolvedBuilderConfig {
  if (typeof config !== 'object' || config === null) {
    throw invalid('config', `config must be an object with baseUrl, got ${describe(config)}`);
  }
  const baseUrl = checkBaseUrl(config.baseUrl);
  const presets = config.presets ?? DEFAULT_PRESETS;
  for (const [name, preset] of Object.entries(presets)) checkPreset(name, preset);
  const widthLadder = config.widthLadder ?? WIDTH_LADDER;
  checkLadder(widthLadder);

  const requireSignature = config.requireSignature ?? 'custom';
  if (!POLICIES.includes(requireSignature)) {
    throw invalid(
      'requireSignature',
      `requireSignature must be custom, always or never, got ${describe(requireSignature)}`,
    );
  }
  const signing = config.signing;
  if (signing !== undefined) checkSigning(signing);
  if (requireSignature === 'always' && signing === undefined) {
    throw invalid('signing', 'requireSignature "always" needs signing: { keyId, secret }, got no signing key');
  }

  return Object.freeze({
    baseUrl,
    presets,
    widthLadder,
    requireSignature,
    ...(signing ? { signing: Object.freeze({ keyId: signing.keyId, secret: signing.secret }) } : {}),
  });
}

function checkBaseUrl(baseUrl: unknown): string {
  const expected = 'baseUrl must be an absolute http(s) URL with no path, query or fragment';
  if (typeof baseUrl !== 'string') throw invalid('baseUrl', `${expected}, got ${describe(baseUrl)}`);

  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw invalid('baseUrl', `${expected}, got ${describe(baseUrl)}`);
  }
  const trimmed = baseUrl.endsWith('/') ? baseUrl.slice(0, -1) : baseUrl;
  const plain =
    (parsed.protocol === 'https:' || parsed.protocol === 'http:') &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.pathname === '/' &&
    !baseUrl.includes('?') &&
    !baseUrl.includes('#') &&
    /^https?:\/\/[^/]+$/i.test(trimmed);
  if (!plain) throw invalid('baseUrl', `${expected}, got ${describe(baseUrl)}`);
  return trimmed;
}

function checkPreset(name: string, preset: Preset): void {
  const field = `presets.${name}`;
  if (!PRESET_NAME.test(name) || /^w\d/.test(name)) {
    throw invalid(
      field,
      `${field}: the name must match [a-z][a-z0-9-]{0,15} and not look like a width, got ${describe(name)}`,
    );
  }
  for (const side of ['desktopWidth', 'mobileWidth'] as const) {
    if (!Number.isInteger(preset[side]) || preset[side] < 1) {
      throw invalid(`${field}.${side}`, `${field}.${side} must be a positive integer, got ${describe(preset[side])}`);
    }
  }
  if (preset.fit !== 'inside' && !isAspect(preset.aspect)) {
    throw invalid(`${field}.aspect`, `${field}: fit "${preset.fit}" needs an aspect [a, b] of integers 1-32`);
  }
}

function checkLadder(ladder: readonly number[]): void {
  const ascending =
    Array.isArray(ladder) &&
    ladder.length > 0 &&
    ladder.every((w, i) => Number.isInteger(w) && w >= 1 && (i === 0 || w > (ladder[i - 1] ?? 0)));
  if (!ascending) {
    throw invalid('widthLadder', `widthLadder must be ascending positive integers, got ${describe(ladder)}`);
  }
}

function checkSigning(signing: { keyId: string; secret: string }): void {
  if (typeof signing !== 'object' || signing === null) {
    throw invalid('signing', `signing must be { keyId, secret }, got ${describe(signing)}`);
  }
  if (typeof signing.keyId !== 'string' || !KEY_ID_PATTERN.test(signing.keyId)) {
    throw invalid('signing.keyId', `signing.keyId must match [a-z0-9]{1,8}, got ${describe(signing.keyId)}`);
  }
  if (typeof signing.secret !== 'string' || signing.secret.length === 0) {
    // The secret itself never appears in a message.
    throw invalid('signing.secret', 'signing.secret must be a non-empty string');
  }
}

/** True for `[a, b]` with integer sides 1–32 (SPEC.md §4). */
export function isAspect(value: unknown): value is readonly [number, number] {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    value.every((side) => Number.isInteger(side) && side >= 1 && side <= 32)
  );
}

function invalid(argument: string, message: string): SdkError {
  return new SdkError('INVALID_ARGUMENT', argument, message);
}
