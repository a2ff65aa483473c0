/**
 * The Lambda@Edge origin-response entry (us-east-1, x86_64, Node.js 22). Lambda@Edge offers no
 * environment variables, so the deployment (bucket names, regions, config overrides) comes from
 * `vetrina-edge.json` next to the bundle's `index.mjs`, which the CDK app writes into the
 * asset; it is read once, at cold start. Only when that file is absent does the entry fall back
 * to the deployment baked in at build time (`edge-deployment.json`, the example unless the build
 * got `--edge-config`), and it logs a warning saying so.
 *
 * Thin adapter: per invocation it makes a request-scoped JSON logger and EMF metrics, and calls
 * the pure `handleOriginResponse` with S3 stores for the exchange and renditions buckets.
 */

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveConfig } from '../config.js';
import { configureSharp } from '../engine/index.js';
import { handleOriginResponse } from '../handlers/origin-response.js';
import { jsonLogger } from '../log.js';
import { createS3Storage } from '../storage/s3.js';
import type { Storage } from '../storage/types.js';
import {
  type BucketLocation,
  bucketFromOriginDomain,
  EDGE_DEPLOYMENT_FILE,
  type EdgeDeployment,
  readDeploymentFile,
  validateDeployment,
} from './deployment.js';
import baked from './edge-deployment.json' with { type: 'json' };
import { invocationTelemetry, measuredStorage } from './metrics.js';

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
    const { metrics, log } = invocationTelemetry('origin-response', cf?.config.requestId, write);
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

/**
 * The deployment in `dir`'s `vetrina-edge.json`, or `fallback` when there is no such file (then
 * a warning names the file looked for and the buckets used instead). Logs which one it took.
 *
 * @throws Error naming the file or field when the file is unreadable, not JSON or invalid, or
 *   when `fallback` is invalid.
 */
export function loadDeployment(dir: string, fallback: EdgeDeployment, write: (line: string) => void): EdgeDeployment {
  const log = jsonLogger({ function: 'origin-response' }, write);
  const file = join(dir, EDGE_DEPLOYMENT_FILE);
  const found = readDeploymentFile(file);
  const deployment = found ?? validateDeployment(fallback, 'baked edge-deployment.json');
  const fields = {
    file,
    exchange: `${deployment.exchange.region}/${deployment.exchange.bucket}`,
    renditions: deployment.renditions
      ? `${deployment.renditions.region}/${deployment.renditions.bucket}`
      : 'from the request origin',
  };
  if (found) log.info('deployment read', { ...fields, source: 'file' });
  else log.warn(`no ${EDGE_DEPLOYMENT_FILE} next to the bundle: using the deployment baked in at build time`, fields);
  return deployment;
}

/** Where the handler looks for its deployment, and the seams of {@link createOriginResponseEntry}. */
export interface OriginResponseHandlerOptions extends OriginResponseEntryOptions {
  /** Folder holding `vetrina-edge.json`; the folder of this module (the bundle's `index.mjs`) by default. */
  readonly dir?: string;
  /** Used when the folder has no deployment file; the one baked in at build time by default. */
  readonly fallback?: EdgeDeployment;
}

/**
 * A Lambda handler that loads its deployment on the first call (cold start) and reuses the
 * entry afterwards.
 *
 * @throws Error on the first call when the deployment is invalid (see {@link loadDeployment});
 *   the next call tries again.
 */
export function createOriginResponseHandler(
  options: OriginResponseHandlerOptions = {},
): (event: OriginResponseEvent) => Promise<OriginResponseResult> {
  const { dir = dirname(fileURLToPath(import.meta.url)), fallback = baked as EdgeDeployment, ...seams } = options;
  const write = seams.write ?? ((line: string) => process.stdout.write(line));
  let entry: ReturnType<typeof createOriginResponseEntry> | undefined;
  return async (event) => {
    if (!entry) {
      configureSharp();
      entry = createOriginResponseEntry(loadDeployment(dir, fallback, write), seams);
    }
    return entry(event);
  };
}

/** The Lambda handler (`index.handler`): the deployment next to the bundle, S3 stores, stdout. */
export const handler = createOriginResponseHandler();
