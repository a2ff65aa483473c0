/**
 * Opening a store from one string, so the emulator and the CLI take `--store s3://bucket/prefix`
 * or a folder path alike.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { createLocalStorage } from './local.js';
import { createS3Storage } from './s3.js';
import type { Storage } from './types.js';

/** The parts of an `s3://bucket[/prefix]` URL. */
export interface StoreUrl {
  readonly bucket: string;
  /** Empty, or ending in `/`. */
  readonly prefix: string;
}

/**
 * Reads `s3://bucket[/prefix]`; `undefined` for anything that is not an `s3://` URL.
 * A prefix gets a trailing `/` so `s3://b/renditions` and `s3://b/renditions/` are the same.
 *
 * @throws Error when the bucket name is not a valid S3 bucket name (3–63 of `a-z 0-9 . -`).
 * @example parseStoreUrl('s3://erp-car-thumbs/site-a') // { bucket: 'erp-car-thumbs', prefix: 'site-a/' }
 */
export function parseStoreUrl(url: string): StoreUrl | undefined {
  const match = /^s3:\/\/([^/]*)(?:\/(.*))?$/.exec(url);
  if (!match) return undefined;

  const bucket = match[1] ?? '';
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new Error(`store "${url}": expected s3://bucket[/prefix] with a bucket of 3-63 a-z 0-9 . -, got "${bucket}"`);
  }
  const rest = match[2] ?? '';
  return { bucket, prefix: rest === '' || rest.endsWith('/') ? rest : `${rest}/` };
}

/** How to reach S3 when the location is an `s3://` URL. */
export interface OpenStoreOptions {
  /** An S3-compatible endpoint such as `http://127.0.0.1:4568` (path-style); AWS when absent. */
  readonly endpoint?: string;
  /** Default `us-east-1`. */
  readonly region?: string;
}

/**
 * Opens `location`: an `s3://bucket[/prefix]` URL (credentials from the SDK's default chain)
 * or a folder path, resolved against the working directory.
 *
 * @throws Error for a malformed `s3://` URL.
 */
export function openStore(location: string, options: OpenStoreOptions = {}): Storage {
  const url = parseStoreUrl(location);
  if (!url) return createLocalStorage(resolve(location));

  return createS3Storage({
    bucket: url.bucket,
    prefix: url.prefix,
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
    ...(options.region ? { region: options.region } : {}),
  });
}

/**
 * True when one store location is the other or lies inside it: `s3://b` and `s3://b/r/`, or a
 * folder and its subfolder. Two such stores would list each other's objects (originals as stray
 * renditions and the reverse), so the emulator and the CLI refuse them.
 */
export function locationsOverlap(a: string, b: string): boolean {
  const inside = (child: string, parent: string) => {
    if (parseStoreUrl(child) || parseStoreUrl(parent)) {
      const slash = (location: string) => (location.endsWith('/') ? location : `${location}/`);
      return slash(child).startsWith(slash(parent));
    }
    const path = relative(resolve(parent), resolve(child));
    return path === '' || (path.split(sep)[0] !== '..' && !isAbsolute(path));
  };
  return inside(a, b) || inside(b, a);
}
