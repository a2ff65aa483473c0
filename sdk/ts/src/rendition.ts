/**
 * Canonical renditions: descriptors, rendition keys and cache tags (SPEC.md §9).
 */
import { createHash } from 'node:crypto';
import { type Aspect, FORMAT_EXTENSION, type OutputFormat, RENDITION_SEGMENT } from './config.js';

/** Everything that decides a rendition's bytes, once presets and headers are resolved. */
export interface RenditionParams {
  /** Width slot in px (a ladder width); the output is narrower when the original is. */
  readonly width: number;
  readonly fit: 'inside' | 'cover' | 'contain';
  /** Required for `cover` and `contain`. */
  readonly aspect?: Aspect;
  /** 1–100; ignored (and absent from the descriptor) for PNG. */
  readonly quality: number;
  readonly format: Exclude<OutputFormat, never>;
}

/**
 * The descriptor, e.g. `w320-cover-4x3-q78.webp` or `w640-q80.jpg`.
 */
export function formatDescriptor(params: RenditionParams): string {
  let out = `w${params.width}`;
  if (params.fit !== 'inside') {
    const [a, b] = params.aspect ?? [1, 1];
    out += `-${params.fit}-${a}x${b}`;
  }
  if (params.format !== 'png') out += `-q${params.quality}`;
  return `${out}.${FORMAT_EXTENSION[params.format]}`;
}

const DESCRIPTOR =
  /^w([1-9]\d{0,3})(?:-(cover|contain)-([1-9]\d?)x([1-9]\d?))?(?:-q([1-9]\d{0,2}))?\.(jpg|png|webp|avif)$/;
const EXTENSION_FORMAT: Readonly<Record<string, OutputFormat>> = {
  jpg: 'jpeg',
  png: 'png',
  webp: 'webp',
  avif: 'avif',
};

/** Parses a descriptor written by {@link formatDescriptor}; `undefined` for anything else. */
export function parseDescriptor(descriptor: string): RenditionParams | undefined {
  const match = DESCRIPTOR.exec(descriptor);
  if (!match) return undefined;

  const [, width, fit, a, b, quality, ext] = match;
  const format = EXTENSION_FORMAT[ext as string] as OutputFormat;
  if ((format === 'png') !== (quality === undefined)) return undefined;

  const params: RenditionParams = {
    width: Number(width),
    fit: (fit as 'cover' | 'contain' | undefined) ?? 'inside',
    quality: quality === undefined ? 100 : Number(quality),
    format,
    ...(fit ? { aspect: [Number(a), Number(b)] as const } : {}),
  };
  return formatDescriptor(params) === descriptor ? params : undefined;
}

/** The prefix under which every rendition of `sourceKey` is stored: `{key}/_r/`. */
export function renditionPrefix(sourceKey: string): string {
  return `${sourceKey}/${RENDITION_SEGMENT}/`;
}

/** The storage key of one rendition: `{source key}/_r/{descriptor}`. */
export function renditionKey(sourceKey: string, params: RenditionParams): string {
  return renditionPrefix(sourceKey) + formatDescriptor(params);
}

/**
 * Splits a rendition key into its source key and parameters; `undefined` when the key is
 * not a rendition key.
 */
export function splitRenditionKey(key: string): { sourceKey: string; params: RenditionParams } | undefined {
  const marker = `/${RENDITION_SEGMENT}/`;
  const at = key.lastIndexOf(marker);
  if (at < 1) return undefined;

  const params = parseDescriptor(key.slice(at + marker.length));
  return params && { sourceKey: key.slice(0, at), params };
}

/** The cache tag of an original: the first 32 hex digits of SHA-256 of its UTF-8 key. */
export function cacheTag(sourceKey: string): string {
  return createHash('sha256').update(sourceKey, 'utf8').digest('hex').slice(0, 32);
}
