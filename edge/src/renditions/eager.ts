/**
 * The eager renditions of an original: which they are, whether they are up to date, and
 * making them. The S3-event handler, the CLI backfill and audit, and the backfill Lambda all
 * go through this module, so "up to date" means the same thing everywhere.
 */
import { FORMAT_MIME } from '../../../sdk/ts/src/config.js';
import { encodeKey } from '../../../sdk/ts/src/key-encoding.js';
import { cacheTag, type RenditionParams, renditionKey } from '../../../sdk/ts/src/rendition.js';
import type { EdgeConfig } from '../config.js';
import { renderMany } from '../engine/index.js';
import type { RenderedImage } from '../engine/types.js';
import type { Storage, StoredObject } from '../storage/types.js';

/** One eager rendition to make: the preset it comes from and its canonical parameters. */
export interface EagerTarget {
  readonly preset: string;
  readonly params: RenditionParams;
}

/** The eager presets at their desktop width, in `config.eagerFormat` and its desktop quality. */
export function eagerTargets(config: EdgeConfig): EagerTarget[] {
  const format = config.eagerFormat;
  const quality = format === 'png' ? 100 : config.quality[format].desktop;
  return Object.entries(config.presets)
    .filter(([, preset]) => preset.eager)
    .map(([name, preset]) => ({
      preset: name,
      params: {
        width: preset.desktopWidth,
        fit: preset.fit,
        quality,
        format,
        ...(preset.aspect ? { aspect: preset.aspect } : {}),
      },
    }));
}

/** Longest `source-key` metadata value written, in bytes (ASCII after encoding). */
export const MAX_SOURCE_KEY_METADATA = 1024;

/**
 * The user metadata stored with every rendition (SPEC.md §9). `source-key` is left out when
 * its encoding is longer than {@link MAX_SOURCE_KEY_METADATA}.
 */
export function renditionMetadata(sourceKey: string, sourceEtag: string, image: RenderedImage): Record<string, string> {
  const encodedKey = encodeKey(sourceKey);
  return {
    'source-etag': sourceEtag,
    'cache-tag': cacheTag(sourceKey),
    // S3 allows 2 KB of user metadata in all; a long non-ASCII key can encode to almost 3 KB.
    // The rendition key itself names the original, so `source-key` is only a convenience.
    ...(encodedKey.length <= MAX_SOURCE_KEY_METADATA ? { 'source-key': encodedKey } : {}),
    width: String(image.width),
    height: String(image.height),
  };
}

/** State of an original's eager renditions, by rendition key. */
export interface EagerStatus {
  readonly fresh: string[];
  readonly missing: string[];
  /** Present but made from other bytes than the current original (source ETag differs). */
  readonly stale: string[];
}

/** Heads each eager rendition of `sourceKey` and compares its source ETag with `sourceEtag`. */
export async function eagerStatus(
  sourceKey: string,
  sourceEtag: string,
  renditions: Storage,
  config: EdgeConfig,
): Promise<EagerStatus> {
  const status: EagerStatus = { fresh: [], missing: [], stale: [] };
  await Promise.all(
    eagerTargets(config).map(async ({ params }) => {
      const key = renditionKey(sourceKey, params);
      const info = await renditions.head(key);
      if (!info) status.missing.push(key);
      else if (info.metadata['source-etag'] !== sourceEtag) status.stale.push(key);
      else status.fresh.push(key);
    }),
  );
  return status;
}

/**
 * Renders every eager rendition of `original` from one decode and stores those that are not
 * already up to date. Returns the keys written and the keys left alone. Throws the engine's
 * `VetrinaError` for a bad original (nothing is written then) and `STORAGE_FAILED` when the
 * store fails.
 *
 * @param known the status the caller just read for these bytes (`eagerStatus` with
 *   `original.etag`), to save its HEAD requests; read here when absent
 */
export async function makeEagerRenditions(
  sourceKey: string,
  original: StoredObject,
  deps: { readonly renditions: Storage; readonly config: EdgeConfig },
  known?: EagerStatus,
): Promise<{ written: string[]; unchanged: string[] }> {
  const targets = eagerTargets(deps.config);
  const status = known ?? (await eagerStatus(sourceKey, original.etag, deps.renditions, deps.config));
  if (status.fresh.length === targets.length) return { written: [], unchanged: status.fresh };

  const images = await renderMany(
    original.body,
    targets.map((target) => target.params),
    deps.config,
  );
  const written: string[] = [];
  for (const [index, target] of targets.entries()) {
    const key = renditionKey(sourceKey, target.params);
    const image = images[index] as RenderedImage;
    if (status.fresh.includes(key)) continue;
    await deps.renditions.put(key, image.data, {
      contentType: FORMAT_MIME[image.format],
      cacheControl: deps.config.cacheControl.rendition,
      metadata: renditionMetadata(sourceKey, original.etag, image),
    });
    written.push(key);
  }
  return { written, unchanged: status.fresh };
}
