/**
 * The request chain CloudFront runs for an image, step by step: viewer-request function,
 * renditions-bucket origin, origin-response trigger, answer. The emulator runs the real
 * handlers on the real event shapes, so what passes here is what runs at the edge.
 */
import { randomUUID } from 'node:crypto';
import { splitRenditionKey } from '../../../sdk/ts/src/rendition.js';
import type { Logger } from '../log.js';
import type { Storage } from '../storage/types.js';
import {
  type CfFunctionEvent,
  type CfFunctionRequestOut,
  type CfFunctionResponse,
  functionResponseToHttp,
  type HttpAnswer,
  type HttpRequestLike,
  isFunctionResponse,
  type OriginResponseEvent,
  type OriginResponseResult,
  toOriginResponseEvent,
  toViewerRequestEvent,
} from './cloudfront.js';
import { InvalidEdgeResultError, originResultToHttp } from './edge-result.js';
import { fetchFromOrigin, type OriginAnswer, uriToKey } from './origin.js';
import { createSingleFlight } from './single-flight.js';

/** The two edge functions the chain calls, already bound to their dependencies. */
export interface EdgeFunctions {
  viewerRequest(
    event: CfFunctionEvent,
  ): CfFunctionRequestOut | CfFunctionResponse | Promise<CfFunctionRequestOut | CfFunctionResponse>;
  originResponse(event: OriginResponseEvent): Promise<OriginResponseResult>;
}

/** How a request ended. */
export type Outcome = 'hit' | 'generated' | 'redirect' | 'rejected' | 'error';

/** Counters the chain keeps; the server adds the storage counters. */
export interface ChainCounters {
  requests: number;
  /** Requests answered from a stored rendition. */
  hits: number;
  /** Origin-response runs that generated a 200 rendition (once per collapsed group). */
  generated: number;
  redirects: number;
  /** Requests the viewer-request function answered itself (4xx of the contract). */
  rejected: number;
  /** Other 4xx and 5xx answers. */
  errors: number;
  /** Requests that joined an origin round another request had started (CloudFront collapsing). */
  collapsed: number;
}

/** What the chain answered, with what the log line needs. */
export interface ChainResult {
  readonly answer: HttpAnswer;
  readonly outcome: Outcome;
  readonly renditionKey?: string;
  readonly ms: number;
}

/** Answers one HTTP request through the chain; never throws. */
export type RequestChain = (http: HttpRequestLike) => Promise<ChainResult>;

/** A fresh, zeroed {@link ChainCounters}. */
export function emptyCounters(): ChainCounters {
  return { requests: 0, hits: 0, generated: 0, redirects: 0, rejected: 0, errors: 0, collapsed: 0 };
}

const FORMAT_TOKENS: readonly string[] = ['jpeg', 'png', 'webp', 'avif'];

/**
 * Creates the chain. Concurrent requests for the same canonical URI share one origin round, as
 * CloudFront collapses simultaneous misses, so a burst makes one rendition (CASES.md case 31).
 * Logs one JSON line per request: method, status, key, rendition, ms, outcome, error code.
 */
export function createRequestChain(deps: {
  readonly functions: EdgeFunctions;
  readonly renditions: Storage;
  readonly log: Logger;
  readonly counters: ChainCounters;
}): RequestChain {
  const { functions, renditions, log, counters } = deps;
  const flight = createSingleFlight<{ answer: HttpAnswer; outcome: Outcome }>();

  const originRound = async (request: CfFunctionRequestOut, key: string, requestId: string, clientIp: string) => {
    const origin = await fetchOrigin(renditions, key, log, requestId);
    const event = toOriginResponseEvent(request, origin, requestId, clientIp);

    let result: OriginResponseResult;
    try {
      result = await functions.originResponse(event);
    } catch (error) {
      log.error('origin-response handler threw', { requestId, rendition: key, reason: describe(error) });
      return {
        answer: cloudFrontError(502, 'The Lambda function associated with the CloudFront distribution failed.'),
        outcome: 'error' as const,
      };
    }

    let answer: HttpAnswer;
    try {
      answer = originResultToHttp(result, origin.body);
    } catch (error) {
      if (!(error instanceof InvalidEdgeResultError)) throw error;
      log.error('origin-response result rejected', { requestId, rendition: key, reason: error.message });
      return {
        answer: cloudFrontError(502, 'The Lambda function returned an invalid response.'),
        outcome: 'error' as const,
      };
    }

    const outcome: Outcome =
      origin.status === 200 && answer.status === 200
        ? 'hit'
        : answer.status === 200
          ? 'generated'
          : answer.status >= 300 && answer.status < 400
            ? 'redirect'
            : 'error';
    if (outcome === 'generated') counters.generated++;
    return { answer, outcome };
  };

  return async (http) => {
    const started = performance.now();
    const requestId = randomUUID();
    counters.requests++;

    let result: { answer: HttpAnswer; outcome: Outcome; renditionKey?: string };
    try {
      result = await viewerThenOrigin(http, requestId);
    } catch (error) {
      log.error('emulator chain failed', { requestId, reason: describe(error) });
      result = { answer: cloudFrontError(502, 'The emulator failed to answer this request.'), outcome: 'error' };
    }
    const { answer, outcome, renditionKey } = result;
    const ms = Math.round(performance.now() - started);
    count(counters, outcome);

    const code = errorCode(answer);
    const fields = {
      requestId,
      method: http.method,
      status: answer.status,
      ms,
      outcome,
      ...(code === undefined ? {} : { code }),
      ...(renditionKey === undefined
        ? {}
        : { key: splitRenditionKey(renditionKey)?.sourceKey, rendition: renditionKey }),
    };
    if (answer.status >= 500) log.error('request', fields);
    else log.info('request', fields);
    return { answer, outcome, ms, ...(renditionKey === undefined ? {} : { renditionKey }) };
  };

  async function viewerThenOrigin(
    http: HttpRequestLike,
    requestId: string,
  ): Promise<{ answer: HttpAnswer; outcome: Outcome; renditionKey?: string }> {
    let viewerResult: CfFunctionRequestOut | CfFunctionResponse;
    try {
      viewerResult = await functions.viewerRequest(toViewerRequestEvent(http, requestId));
    } catch (error) {
      log.error('viewer-request function threw', { requestId, reason: describe(error) });
      return {
        answer: cloudFrontError(503, 'The CloudFront function associated with the distribution failed.'),
        outcome: 'error',
      };
    }
    if (isFunctionResponse(viewerResult)) {
      return { answer: functionResponseToHttp(viewerResult), outcome: 'rejected' };
    }

    const request = viewerResult;
    let key: string;
    try {
      key = uriToKey(request.uri);
    } catch (error) {
      log.error('viewer-request function returned an undecodable uri', { requestId, reason: describe(error) });
      return { answer: cloudFrontError(502, 'The CloudFront function returned an invalid request.'), outcome: 'error' };
    }

    // Keyed by the canonical URI alone, stricter than CloudFront (whose cache key adds `v`):
    // the stored object is the same for every version token, so it is made once.
    const { value, shared } = await flight.run(request.uri, () => originRound(request, key, requestId, http.ip));
    if (shared) counters.collapsed++;

    const answer = value.outcome === 'hit' ? withDeliveryHeaders(value.answer, http.url) : value.answer;
    return { answer, outcome: value.outcome, renditionKey: key };
  }
}

/**
 * SPEC §10 headers S3 cannot store: `X-Content-Type-Options` and `Vary: Accept` when the format
 * was negotiated. On AWS they come from the distribution's response headers policy.
 */
function withDeliveryHeaders(answer: HttpAnswer, publicUrl: string): HttpAnswer {
  const headers = { ...answer.headers };
  headers['x-content-type-options'] ??= 'nosniff';

  const spec = publicUrl.split('?', 1)[0]?.split('/')[1] ?? '';
  const negotiated = !spec.split(',').some((token) => FORMAT_TOKENS.includes(token));
  if (negotiated && headers.vary === undefined) headers.vary = 'Accept';
  return { ...answer, headers };
}

/** The renditions bucket's answer; a store failure becomes S3's 503, as the trigger would see it. */
async function fetchOrigin(renditions: Storage, key: string, log: Logger, requestId: string): Promise<OriginAnswer> {
  try {
    return await fetchFromOrigin(renditions, key);
  } catch (error) {
    log.error('renditions store failed', { requestId, rendition: key, reason: describe(error) });
    return {
      status: 503,
      statusDescription: 'Service Unavailable',
      headers: { 'content-type': 'application/xml' },
      body: Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>ServiceUnavailable</Code></Error>'),
    };
  }
}

/** CloudFront's own error page: plain text, never cached. */
function cloudFrontError(status: 502 | 503, message: string): HttpAnswer {
  return {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
    body: Buffer.from(`${status} ERROR\n${message}\n`, 'utf8'),
  };
}

function count(counters: ChainCounters, outcome: Outcome): void {
  if (outcome === 'hit') counters.hits++;
  else if (outcome === 'redirect') counters.redirects++;
  else if (outcome === 'rejected') counters.rejected++;
  else if (outcome === 'error') counters.errors++;
}

/** The catalogue code of a JSON error answer (SPEC §10), for the log line. */
function errorCode(answer: HttpAnswer): string | undefined {
  if (answer.status < 400 || !answer.headers['content-type']?.startsWith('application/json')) return undefined;
  try {
    const code = (JSON.parse(answer.body.toString('utf8')) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
