/**
 * Building Lambda@Edge origin-response results: images, redirects and coded errors with the
 * headers of SPEC.md §10, in CloudFront's header shape.
 */
import { STATUS_CODES } from 'node:http';
import type { VetrinaError } from '../../../sdk/ts/src/errors.js';
import type { CloudFrontHeaders, OriginResponseResult } from './aws-events.js';

/**
 * Headers an origin-response function may read but not add, change or remove. A generated
 * response must carry the origin's values over, or CloudFront rejects it with a 502.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/edge-function-restrictions-all.html
 */
const READ_ONLY_HEADERS: readonly string[] = ['transfer-encoding', 'via'];

const SPECIAL_CASING: Readonly<Record<string, string>> = { etag: 'ETag' };

function casing(name: string): string {
  return (
    SPECIAL_CASING[name] ??
    name.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase())
  );
}

/** The first value of a header (name in lower case); `undefined` when absent. */
export function readHeader(headers: CloudFrontHeaders | undefined, name: string): string | undefined {
  return headers?.[name]?.[0]?.value;
}

/**
 * CloudFront headers from lower-case `name → value` pairs, plus the origin's read-only
 * headers taken over unchanged.
 */
export function toCloudFrontHeaders(
  values: Readonly<Record<string, string>>,
  origin?: CloudFrontHeaders,
): CloudFrontHeaders {
  const headers: CloudFrontHeaders = {};
  for (const [name, value] of Object.entries(values)) headers[name] = [{ key: casing(name), value }];
  for (const name of READ_ONLY_HEADERS) {
    const carried = origin?.[name];
    if (carried) headers[name] = carried.map((entry) => ({ ...entry }));
  }
  return headers;
}

function statusLine(status: number): { status: string; statusDescription: string } {
  return { status: String(status), statusDescription: STATUS_CODES[status] ?? '' };
}

/**
 * A coded JSON error (SPEC.md §10): `Content-Type: application/json`, the given
 * Cache-Control, `nosniff`, and `{ "error": { code, status, message } }` as a text body.
 */
export function errorResult(
  error: VetrinaError,
  cacheControl: string,
  origin?: CloudFrontHeaders,
): OriginResponseResult {
  return {
    ...statusLine(error.status),
    headers: toCloudFrontHeaders(
      {
        'content-type': 'application/json',
        'cache-control': cacheControl,
        'x-content-type-options': 'nosniff',
      },
      origin,
    ),
    body: JSON.stringify(error.toJSON()),
    bodyEncoding: 'text',
  };
}

/** A 200 with image bytes as a base64 body and `bodyEncoding: 'base64'`. */
export function imageResult(
  body: Buffer,
  headers: Readonly<Record<string, string>>,
  origin?: CloudFrontHeaders,
): OriginResponseResult {
  return {
    ...statusLine(200),
    headers: toCloudFrontHeaders(headers, origin),
    body: body.toString('base64'),
    bodyEncoding: 'base64',
  };
}

/** A `302` to `location` with `Cache-Control: no-store`, so neither cache keeps the detour. */
export function redirectResult(
  location: string,
  cacheControl: string,
  origin?: CloudFrontHeaders,
): OriginResponseResult {
  return {
    ...statusLine(302),
    headers: toCloudFrontHeaders({ location, 'cache-control': cacheControl }, origin),
  };
}

/**
 * The size CloudFront counts against the generated-response limit, in bytes: the body as
 * sent (base64 text for images) plus every header line.
 */
export function resultBytes(result: OriginResponseResult): number {
  let bytes = result.body === undefined ? 0 : Buffer.byteLength(result.body);
  for (const [name, entries] of Object.entries(result.headers)) {
    for (const entry of entries) bytes += Buffer.byteLength(name) + Buffer.byteLength(entry.value) + 4;
  }
  return bytes;
}
