/**
 * The emulator's renditions bucket as an HTTP origin: what S3 answers CloudFront for a
 * canonical URI, headers included, so the origin-response handler sees what it sees on AWS.
 */
import { VetrinaError } from '../../../sdk/ts/src/errors.js';
import type { Storage } from '../storage/types.js';

/** An origin answer before any edge function has touched it. */
export interface OriginAnswer {
  status: number;
  statusDescription: string;
  /** Lower-case header names, as S3 would send them. */
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Decodes a canonical URI (`/` + the SPEC §2 encoding of a rendition key) into the storage key.
 * Throws `VetrinaError('BAD_ENCODING')` when the URI is not valid percent-encoded UTF-8.
 */
export function uriToKey(uri: string): string {
  if (!uri.startsWith('/')) {
    throw new VetrinaError('BAD_PATH', `canonical uri: expected a path starting with "/", got "${uri.slice(0, 80)}"`);
  }
  try {
    return decodeURIComponent(uri.slice(1));
  } catch (error) {
    throw new VetrinaError('BAD_ENCODING', `canonical uri: "${uri.slice(0, 80)}" is not valid percent-encoding`, {
      cause: error,
    });
  }
}

/**
 * Reads `key` from the renditions store and answers as S3 does: 200 with the stored bytes,
 * Content-Type, Cache-Control, ETag, Last-Modified and `x-amz-meta-*`, or 404 `NoSuchKey`.
 * Store failures propagate (`STORAGE_FAILED`).
 */
export async function fetchFromOrigin(renditions: Storage, key: string): Promise<OriginAnswer> {
  const object = await renditions.get(key);
  if (!object) {
    const body = Buffer.from(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>',
      'utf8',
    );
    return {
      status: 404,
      statusDescription: 'Not Found',
      headers: { 'content-type': 'application/xml' },
      body,
    };
  }

  const headers: Record<string, string> = {
    'content-type': object.contentType ?? 'binary/octet-stream',
    'content-length': String(object.body.length),
    etag: `"${object.etag}"`,
    'last-modified': object.lastModified.toUTCString(),
  };
  if (object.cacheControl !== undefined) headers['cache-control'] = object.cacheControl;
  for (const [name, value] of Object.entries(object.metadata)) headers[`x-amz-meta-${name}`] = value;
  return { status: 200, statusDescription: 'OK', headers, body: object.body };
}
