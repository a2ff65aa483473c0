/**
 * The Lambda@Edge origin-response trigger: when the renditions bucket has no object for a
 * canonical URI, make the rendition from the original, store it and answer with it.
 *
 * The request reaching the origin always carries the canonical URI `/` + encodeKey(rendition
 * key) (the viewer-request step rewrote it), so this handler needs no URL contract beyond
 * splitting that key. S3 answers 403 instead of 404 for a missing key when the caller may not
 * list the bucket (Origin Access Control without `s3:ListBucket`), so both mean "not made yet".
 */
import { FORMAT_MIME } from '../../../sdk/ts/src/config.js';
import { VetrinaError } from '../../../sdk/ts/src/errors.js';
import { cacheTag, formatDescriptor, type RenditionParams, splitRenditionKey } from '../../../sdk/ts/src/rendition.js';
import type { EdgeConfig } from '../config.js';
import { renderOnDemand, sniffFormat } from '../engine/index.js';
import type { Logger } from '../log.js';
import { renditionMetadata } from '../renditions/eager.js';
import type { Storage, StoredObjectInfo } from '../storage/types.js';
import { checkKey } from '../url/key-decoding.js';
import type { CloudFrontHeaders, OriginResponseEvent, OriginResponseResult } from './aws-events.js';
import { errorResult, imageResult, readHeader, redirectResult, resultBytes } from './responses.js';

/** What {@link handleOriginResponse} works with. */
export interface OriginResponseDeps {
  /** The originals (S3 "exchange" bucket). Only read. */
  readonly exchange: Storage;
  /** Where renditions are stored under their rendition key. */
  readonly renditions: Storage;
  readonly config: EdgeConfig;
  readonly log: Logger;
  /** The engine call used; the real engine by default. The emulator wraps it to count renders. */
  readonly engine?: { readonly renderOnDemand: typeof renderOnDemand };
}

/** The request header in which the viewer-request step passes the public path and query. */
export const PUBLIC_URI_HEADER = 'x-vetrina-public-uri';

const FORMAT_TOKENS: readonly string[] = ['jpeg', 'png', 'webp', 'avif'];

type Outcome = 'generated' | 'fallback' | 'redirect' | 'error';

interface Target {
  readonly renditionKey: string;
  readonly sourceKey: string;
  readonly params: RenditionParams;
}

/**
 * Reads the canonical URI back into a rendition key and checks it as the parser would, so a
 * request that bypassed the viewer-request step cannot make an off-ladder rendition.
 *
 * @throws VetrinaError `BAD_PATH`, or `BAD_KEY`/`KEY_TOO_LONG` for the source key.
 */
function readTarget(uri: string, config: EdgeConfig): Target {
  const shown = uri.length > 200 ? `${uri.slice(0, 200)}…` : uri;
  let key: string;
  try {
    key = decodeURIComponent(uri.slice(1));
  } catch {
    throw new VetrinaError('BAD_PATH', `uri: expected a percent-encoded rendition key, got "${shown}"`);
  }
  const split = uri.startsWith('/') ? splitRenditionKey(key) : undefined;
  if (!split) {
    throw new VetrinaError('BAD_PATH', `uri: expected "/{source key}/_r/{descriptor}", got "${shown}"`);
  }

  const { width, aspect, quality } = split.params;
  const aspectOk = !aspect || aspect.every((side) => side >= 1 && side <= 32);
  if (!config.widthLadder.includes(width) || !aspectOk || quality < 1 || quality > 100) {
    throw new VetrinaError(
      'BAD_PATH',
      `uri: "${formatDescriptor(split.params)}" is not a rendition this deployment makes`,
    );
  }
  checkKey(split.sourceKey);
  return { renditionKey: key, sourceKey: split.sourceKey, params: split.params };
}

/** False only when the public spec names a format, so the answer does not depend on `Accept`. */
function negotiated(publicUri: string | undefined): boolean {
  const spec = publicUri?.split('?')[0]?.split('/')[1];
  return spec === undefined || !spec.split(',').some((token) => FORMAT_TOKENS.includes(token));
}

/** A same-site path to redirect to; refuses `//host` and `/\host`, which browsers read as hosts. */
function safeLocation(publicUri: string | undefined): string | undefined {
  return publicUri && /^\/(?![/\\])[\x21-\x7e]*$/.test(publicUri) && !publicUri.includes('\\') ? publicUri : undefined;
}

function asVetrinaError(error: unknown, fallback: 'RENDER_FAILED' | 'STORAGE_FAILED'): VetrinaError {
  if (error instanceof VetrinaError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new VetrinaError(fallback, `${fallback === 'RENDER_FAILED' ? 'render' : 'storage'}: ${reason}`, {
    cause: error,
  });
}

/**
 * Handles one origin-response event. A response other than 403/404 is returned untouched.
 * Otherwise: the original is read from `exchange`, the rendition made with `renderOnDemand`,
 * stored in `renditions` with the metadata of SPEC.md §9 and returned as a base64 200 with the
 * headers of §10. An AVIF that missed its budget is answered as WebP with `no-store` and not
 * stored. A rendition too big for a generated response (`config.limits.generatedResponseBytes`)
 * is stored and answered with a 302 to the public URI; if that store failed, 502
 * `STORAGE_FAILED`. A small rendition whose store failed is still served (and logged).
 * Errors become coded JSON answers with `no-store` (`ORIGINAL_NOT_FOUND`:
 * `config.cacheControl.notFound`) and nothing stored. Logs one JSON line per generated
 * answer; never throws.
 */
export async function handleOriginResponse(
  event: OriginResponseEvent,
  deps: OriginResponseDeps,
): Promise<OriginResponseResult> {
  const started = performance.now();
  const cf = event?.Records?.[0]?.cf;
  if (cf?.response && cf.response.status !== '403' && cf.response.status !== '404') return cf.response;

  const { config, log } = deps;
  const origin = cf?.response?.headers;
  const fields = { requestId: cf?.config?.requestId, rendition: cf?.request?.uri };
  const finish = (result: OriginResponseResult, outcome: Outcome, extra: Record<string, string | number> = {}) => {
    const entry = {
      ...fields,
      ...extra,
      outcome,
      status: Number(result.status),
      ms: Math.round(performance.now() - started),
    };
    if (outcome === 'error' && Number(result.status) >= 500) log.error('origin-response', entry);
    else log.info('origin-response', entry);
    return result;
  };
  const fail = (error: VetrinaError, key?: string) => {
    const cacheControl = error.code === 'ORIGINAL_NOT_FOUND' ? config.cacheControl.notFound : config.cacheControl.error;
    return finish(errorResult(error, cacheControl, origin), 'error', {
      code: error.code,
      reason: error.message,
      ...(key ? { key } : {}),
    });
  };

  try {
    if (!cf?.request) throw new VetrinaError('BAD_PATH', 'event: expected Records[0].cf.request');
    const target = readTarget(cf.request.uri, config);
    const publicUri = readHeader(cf.request.headers, PUBLIC_URI_HEADER);
    return await generate(target, publicUri, origin, deps, finish, fail);
  } catch (error) {
    return fail(asVetrinaError(error, 'RENDER_FAILED'));
  }
}

async function generate(
  target: Target,
  publicUri: string | undefined,
  origin: CloudFrontHeaders | undefined,
  deps: OriginResponseDeps,
  finish: (
    result: OriginResponseResult,
    outcome: Outcome,
    extra?: Record<string, string | number>,
  ) => OriginResponseResult,
  fail: (error: VetrinaError, key?: string) => OriginResponseResult,
): Promise<OriginResponseResult> {
  const { config, log } = deps;
  const { sourceKey, renditionKey, params } = target;

  let original: Awaited<ReturnType<Storage['get']>>;
  try {
    original = await deps.exchange.get(sourceKey);
  } catch (error) {
    return fail(asVetrinaError(error, 'STORAGE_FAILED'), sourceKey);
  }
  if (!original) {
    return fail(
      new VetrinaError('ORIGINAL_NOT_FOUND', `key: no original "${sourceKey}" in the exchange bucket`),
      sourceKey,
    );
  }

  let made: Awaited<ReturnType<typeof renderOnDemand>>;
  try {
    made = await (deps.engine?.renderOnDemand ?? renderOnDemand)(original.body, params, config);
  } catch (error) {
    return fail(asVetrinaError(error, 'RENDER_FAILED'), sourceKey);
  }
  const { image, fallback } = made;
  const sniffed = sniffFormat(image.data);
  if (sniffed !== image.format) {
    const error = new VetrinaError(
      'RENDER_FAILED',
      `render: expected ${image.format} bytes, got ${sniffed ?? 'unknown'}`,
    );
    return fail(error, sourceKey);
  }

  const headers: Record<string, string> = {
    'content-type': FORMAT_MIME[image.format],
    'cache-control': fallback ? config.cacheControl.error : config.cacheControl.rendition,
    'x-content-type-options': 'nosniff',
    ...(negotiated(publicUri) ? { vary: 'Accept' } : {}),
    'x-amz-meta-cache-tag': cacheTag(sourceKey),
  };
  const logged = { key: sourceKey, bytes: image.data.length, width: image.width, height: image.height };
  if (fallback) {
    return finish(imageResult(image.data, headers, origin), 'fallback', logged);
  }

  let stored: StoredObjectInfo | undefined;
  let storeError: VetrinaError | undefined;
  try {
    stored = await deps.renditions.put(renditionKey, image.data, {
      contentType: FORMAT_MIME[image.format],
      cacheControl: config.cacheControl.rendition,
      metadata: renditionMetadata(sourceKey, original.etag, image),
    });
  } catch (error) {
    storeError = asVetrinaError(error, 'STORAGE_FAILED');
  }
  if (stored) {
    headers.etag = `"${stored.etag}"`;
    headers['last-modified'] = stored.lastModified.toUTCString();
  }

  const result = imageResult(image.data, headers, origin);
  if (resultBytes(result) <= config.limits.generatedResponseBytes) {
    if (storeError) {
      log.warn('origin-response: rendition served but not stored', {
        key: sourceKey,
        code: storeError.code,
        reason: storeError.message,
      });
    }
    return finish(result, 'generated', logged);
  }

  // Too big for a generated response: the browser's second request must find the stored
  // object, so without a stored object the redirect would loop.
  if (storeError) return fail(storeError, sourceKey);
  const location = safeLocation(publicUri);
  if (!location) {
    const error = new VetrinaError(
      'RENDER_FAILED',
      `${PUBLIC_URI_HEADER}: expected the public path to redirect a ${image.data.length}-byte rendition to, got ${JSON.stringify(publicUri ?? null)}`,
    );
    return fail(error, sourceKey);
  }
  return finish(redirectResult(location, config.cacheControl.error, origin), 'redirect', logged);
}
