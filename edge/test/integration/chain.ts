/**
 * The AWS request path, played in-process with the real handlers: the viewer-request function,
 * the renditions bucket as CloudFront's S3 origin (a real S3 API), and the origin-response
 * entry on a 403/404. Events are shaped like CloudFront's and S3's.
 */

import type { OriginResponseEvent, OriginResponseResult } from '../../src/aws/origin-response.js';
import { resolveConfig } from '../../src/config.js';
import { createViewerRequestHandler } from '../../src/handlers/viewer-request.js';
import type { Storage } from '../../src/storage/types.js';
import type { S3EventRecord } from '../support/s3-server.js';

/** What a viewer gets back. */
export interface ViewerAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  /** `hit` from the renditions bucket, `origin-response` when the Lambda answered, `function` when rejected. */
  readonly via: 'hit' | 'origin-response' | 'function';
}

export const RENDITIONS_ORIGIN = 'erp-car-thumbs.s3.eu-central-1.amazonaws.com';

/** Builds `cdnGet(path, query, headers)` over the given renditions store and origin-response entry. */
export function createCdn(
  renditions: Storage,
  originResponse: (event: OriginResponseEvent) => Promise<OriginResponseResult>,
  edge: Parameters<typeof resolveConfig>[0] = {},
) {
  const viewer = createViewerRequestHandler(resolveConfig(edge));
  let requests = 0;

  return async function cdnGet(path: string, query = '', headers: Record<string, string> = {}): Promise<ViewerAnswer> {
    requests += 1;
    const wrap = (entries: Record<string, string>) =>
      Object.fromEntries(Object.entries(entries).map(([name, value]) => [name, { value }]));
    const querystring = Object.fromEntries(
      query
        .split('&')
        .filter(Boolean)
        .map((pair) => pair.split('=') as [string, string])
        .map(([name, value]) => [name, { value }]),
    );
    const out = viewer({
      version: '1.0',
      context: { eventType: 'viewer-request', requestId: `v${requests}` },
      request: { method: 'GET', uri: path, querystring, headers: wrap(headers), cookies: {} },
    });
    if ('statusCode' in out) {
      const flat = Object.fromEntries(Object.entries(out.headers).map(([name, { value }]) => [name, value]));
      return { status: out.statusCode, headers: flat, body: Buffer.from(out.body), via: 'function' };
    }

    // CloudFront asks the S3 origin for the canonical URI: the key is the decoded path.
    const key = decodeURIComponent(out.uri.slice(1));
    const stored = await renditions.get(key);
    if (stored) {
      return {
        status: 200,
        headers: {
          'content-type': stored.contentType ?? '',
          'cache-control': stored.cacheControl ?? '',
          etag: `"${stored.etag}"`,
          'x-amz-meta-cache-tag': stored.metadata['cache-tag'] ?? '',
        },
        body: stored.body,
        via: 'hit',
      };
    }

    const originHeaders = Object.fromEntries(
      Object.entries(out.headers).map(([name, { value }]) => [name, [{ key: name, value }]]),
    );
    const result = await originResponse({
      Records: [
        {
          cf: {
            config: { distributionId: 'E2TEST', eventType: 'origin-response', requestId: `o${requests}` },
            request: {
              clientIp: '127.0.0.1',
              method: 'GET',
              uri: out.uri,
              querystring: out.querystring.v ? `v=${out.querystring.v.value}` : '',
              headers: originHeaders,
              origin: { s3: { domainName: RENDITIONS_ORIGIN, path: '', authMethod: 'origin-access-identity' } },
            },
            // S3 answers 403 for a missing key when the reader may not list the bucket.
            response: { status: '403', statusDescription: 'Forbidden', headers: {} },
          },
        },
      ],
    });
    const flat = Object.fromEntries(Object.entries(result.headers).map(([name, list]) => [name, list[0]?.value ?? '']));
    const body =
      result.body === undefined
        ? Buffer.alloc(0)
        : Buffer.from(result.body, result.bodyEncoding === 'base64' ? 'base64' : 'utf8');
    return { status: Number(result.status), headers: flat, body, via: 'origin-response' };
  };
}

/** Wraps S3 records into an SQS batch as Lambda delivers it (one notification per message). */
export function sqsBatch(records: readonly S3EventRecord[]) {
  return {
    Records: records.map((record, i) => ({
      messageId: `m-${i}-${record.s3.object.sequencer}`,
      eventSource: 'aws:sqs' as const,
      body: JSON.stringify({ Records: [record] }),
    })),
  };
}
