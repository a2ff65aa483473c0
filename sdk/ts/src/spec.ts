/**
 * The `{spec}` path segment: size token and options (SPEC.md §3–§4), written and read by
 * the same grammar so builders and the edge agree.
 */
import { type Aspect, DENSITIES, type OutputFormat, type Preset } from './config.js';
import { VetrinaError } from './errors.js';

/** The parts of a spec segment, as a URL says them (before snapping or device choice). */
export interface SpecParts {
  /** A preset name or an explicit width in px. */
  readonly size: { readonly preset: string } | { readonly width: number };
  /** A crop (`cover`) or letterbox (`contain`) to an aspect; absent = `inside`. */
  readonly fit?: { readonly mode: 'cover' | 'contain'; readonly aspect: Aspect };
  /** 1–100; absent = the format's default. */
  readonly quality?: number;
  /** 1.5, 2 or 3; absent = 1. */
  readonly density?: number;
  /** Absent = negotiated from `Accept`. */
  readonly format?: OutputFormat;
  /** The template says this is a phone (presets only). */
  readonly mobile?: boolean;
}

/** Writes the canonical spec segment, e.g. `w640,cover-1x1,q60`. */
export function formatSpec(parts: SpecParts): string {
  const tokens = ['preset' in parts.size ? parts.size.preset : `w${parts.size.width}`];
  if (parts.fit) tokens.push(`${parts.fit.mode}-${parts.fit.aspect[0]}x${parts.fit.aspect[1]}`);
  if (parts.quality !== undefined) tokens.push(`q${parts.quality}`);
  if (parts.density !== undefined && parts.density !== 1) tokens.push(`x${parts.density}`);
  if (parts.format) tokens.push(parts.format);
  if (parts.mobile) tokens.push('m');
  return tokens.join(',');
}

const WIDTH = /^w(\d+)$/;
const FIT = /^(cover|contain)-(\d+)x(\d+)$/;
const QUALITY = /^q(\d+)$/;
const DENSITY = /^x(\d+(?:\.\d+)?)$/;
const FORMATS: readonly string[] = ['jpeg', 'png', 'webp', 'avif'];
const OPTION_ORDER = ['fit', 'quality', 'density', 'format', 'mobile'] as const;
type OptionName = (typeof OPTION_ORDER)[number];

/**
 * Reads a spec segment against a preset table. Throws {@link VetrinaError} with the
 * catalogue code of the first problem; the message names the canonical form where one
 * exists.
 */
export function parseSpec(segment: string, presets: Readonly<Record<string, Preset>>, maxWidth: number): SpecParts {
  const [sizeToken = '', ...optionTokens] = segment.split(',');
  const size = parseSize(sizeToken, presets, maxWidth);
  const parts: { -readonly [K in keyof SpecParts]: SpecParts[K] } = { size };
  const seen: OptionName[] = [];
  let canonical = true;

  for (const token of optionTokens) {
    const name = readOption(token, parts);
    if (seen.includes(name) || (seen.length > 0 && rank(name) < rank(seen[seen.length - 1] as OptionName))) {
      canonical = false;
    }
    seen.push(name);
  }

  if ('preset' in size && parts.fit) {
    throw new VetrinaError('OPTION_NOT_ALLOWED', `spec "${segment}": presets fix their own fit`);
  }
  if ('width' in size && parts.mobile) {
    throw new VetrinaError('OPTION_NOT_ALLOWED', `spec "${segment}": "m" applies to presets only`);
  }
  const written = formatSpec(parts);
  if (!canonical || written !== segment) {
    throw new VetrinaError('NON_CANONICAL', `spec "${segment}" is not canonical; write "${written}"`);
  }
  return parts;
}

function rank(name: OptionName): number {
  return OPTION_ORDER.indexOf(name);
}

function parseSize(token: string, presets: Readonly<Record<string, Preset>>, maxWidth: number): SpecParts['size'] {
  if (Object.hasOwn(presets, token)) return { preset: token };

  const match = WIDTH.exec(token);
  if (!match) {
    const names = Object.keys(presets).join(', ');
    throw new VetrinaError('UNKNOWN_SIZE', `size "${token}": expected ${names} or w{N}`);
  }
  const digits = match[1] as string;
  const width = Number(digits);
  if (digits.startsWith('0') || width < 1 || width > maxWidth) {
    throw new VetrinaError('WIDTH_OUT_OF_RANGE', `width "${token}": expected w1 to w${maxWidth}`);
  }
  return { width };
}

function readOption(token: string, parts: { -readonly [K in keyof SpecParts]: SpecParts[K] }): OptionName {
  let match = FIT.exec(token);
  if (match) {
    const a = Number(match[2]);
    const b = Number(match[3]);
    if (!inRange(match[2], 32) || !inRange(match[3], 32)) {
      throw new VetrinaError('BAD_OPTION_VALUE', `fit "${token}": expected sides 1 to 32`);
    }
    parts.fit = { mode: match[1] as 'cover' | 'contain', aspect: [a, b] };
    return 'fit';
  }
  match = QUALITY.exec(token);
  if (match) {
    if (!inRange(match[1], 100)) {
      throw new VetrinaError('BAD_OPTION_VALUE', `quality "${token}": expected q1 to q100`);
    }
    parts.quality = Number(match[1]);
    return 'quality';
  }
  match = DENSITY.exec(token);
  if (match) {
    const density = Number(match[1]);
    if (density === 1) {
      parts.density = 1;
      return 'density';
    }
    if (!DENSITIES.includes(density) || String(density) !== match[1]) {
      throw new VetrinaError('BAD_OPTION_VALUE', `density "${token}": expected x1.5, x2 or x3`);
    }
    parts.density = density;
    return 'density';
  }
  if (FORMATS.includes(token)) {
    parts.format = token as OutputFormat;
    return 'format';
  }
  if (token === 'm') {
    parts.mobile = true;
    return 'mobile';
  }
  if (token === 'inside') return 'fit';
  throw new VetrinaError('UNKNOWN_OPTION', `option "${token}": unknown (SPEC.md §4)`);
}

function inRange(digits: string | undefined, max: number): boolean {
  if (digits === undefined || digits.startsWith('0')) return false;
  const value = Number(digits);
  return value >= 1 && value <= max;
}
