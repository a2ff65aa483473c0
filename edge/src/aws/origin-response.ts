/**
 * The Lambda@Edge origin-response entry (us-east-1, x86_64, Node.js 22). Configuration is
 * baked in at build time from `edge-deployment.json` (the build swaps in the deployment's own
 * file); nothing is read from `process.env`, which Lambda@Edge does not offer.
 *
 * Thin adapter: per invocation it makes a request-scoped JSON logger and EMF metrics, and calls
 * the pure `handleOriginResponse` with S3 stores for the exchange and renditions buckets.
 */

import { resolveConfig } from '../config.js';
import { configureSharp } from '../engine/index.js';
import { handleOriginResponse } from '../handlers/origin-response.js';
import { jsonLogger } from '../log.js';
import { createS3Storage } from '../storage/s3.js';
import type { Storage } from '../storage/types.js';
import { type BucketLocation, bucketFromOriginDomain, type EdgeDeployment, validateDeployment } from './deployment.js';
import baked from './edge-deployment.json' with { type: 'json' };
import { emfMetrics, type Metrics, measuredLogger, measuredStorage } from './metrics.js';

/** The Lambda@Edge origin-response event, as the pure handler takes it. */
export type OriginResponseEvent = Parameters<typeof handleOriginResponse>[0];
/** What the entry returns to CloudFront. */
export type OriginResponseResult = Awaited<ReturnType<typeof handleOriginResponse>>;

/** Seams for tests: where stores point, where logs and metrics go. */
export interface OriginResponseEntryOptions {
  /** Makes the store for a bucket; S3 in that bucket's region by default. */
  readonly storage?: (location: BucketLocation) => Storage;
  /** Receives log and EMF lines; stdout by default. */
  readonly write?: (line: string) => void;
}

/**
 * Builds the entry for one deployment.
 *
 * @throws Error when the deployment is invalid (at build or cold start, never per request).
 */
export function createOriginResponseEntry(
  deployment: EdgeDeployment,
  options: OriginResponseEntryOptions = {},
): (event: OriginResponseEvent) => Promise<OriginResponseResult> {
  const checked = validateDeployment(deployment);
  const config = resolveConfig(checked.edge ?? {});
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  const makeStore =
    options.storage ??
    ((location: BucketLocation) =>
      createS3Storage({
        bucket: location.bucket,
        region: location.region,
        ...(location.prefix ? { prefix: location.prefix } : {}),
        // A generated response must be ready within the 30 s origin-response limit.
        maxAttempts: 3,
        requestTimeoutMs: 8_000,
      }));
  const stores = new Map<string, Storage>();
  const store = (location: BucketLocation) => {
    const id = `${location.region}/${location.bucket}/${location.prefix ?? ''}`;
    let found = stores.get(id);
    if (!found) {
      found = makeStore(location);
      stores.set(id, found);
    }
    return found;
  };

  return async (event) => {
    const cf = event.Records[0]?.cf;
    const metrics: Metrics = emfMetrics('origin-response', undefined, write);
    const log = measuredLogger(
      jsonLogger(
        { function: 'origin-response', ...(cf?.config.requestId ? { requestId: cf.config.requestId } : {}) },
        write,
      ),
      metrics,
    );
    const renditionsAt = checked.renditions ?? originBucket(cf?.request.origin) ?? undefined;
    if (!renditionsAt) {
      throw new Error('origin-response: no renditions bucket in the deployment and the request origin is not S3');
    }

    try {
      return await handleOriginResponse(event, {
        exchange: measuredStorage(store(checked.exchange), 'source', metrics),
        renditions: measuredStorage(store(renditionsAt), 'renditions', metrics),
        config,
        log,
      });
    } finally {
      metrics.flush();
    }
  };
}

function originBucket(origin: unknown): BucketLocation | undefined {
  const domain = (origin as { s3?: { domainName?: string } } | undefined)?.s3?.domainName;
  return domain === undefined ? undefined : bucketFromOriginDomain(domain);
}

let entry: ReturnType<typeof createOriginResponseEntry> | undefined;

/** The Lambda handler (`index.handler`): the baked deployment, S3 stores, stdout. */
export async function handler(event: OriginResponseEvent): Promise<OriginResponseResult> {
  if (!entry) {
    configureSharp();
    entry = createOriginResponseEntry(baked as EdgeDeployment);
  }
  return entry(event);
}
