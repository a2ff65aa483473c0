/**
 * What a deployment bakes into the Lambda@Edge bundle at build time (Lambda@Edge has no
 * environment variables): where the buckets are, and the edge configuration overrides.
 */
import type { EdgeConfigOverrides } from '../config.js';

/** One bucket and the region it lives in. */
export interface BucketLocation {
  readonly bucket: string;
  /** e.g. `eu-central-1`; Lambda@Edge runs everywhere, so the region is never implied. */
  readonly region: string;
  /** Key prefix inside the bucket, empty or ending in `/`; default empty. */
  readonly prefix?: string;
}

/** The baked deployment file (JSON). */
export interface EdgeDeployment {
  /** The originals. Required. */
  readonly exchange: BucketLocation;
  /** The renditions; when absent, the bucket and region are read from the request's S3 origin. */
  readonly renditions?: BucketLocation;
  /** Overrides of `DEFAULT_CONFIG` (signing keys, presets, limits). */
  readonly edge?: EdgeConfigOverrides;
}

/**
 * Checks a parsed deployment file.
 *
 * @throws Error naming the field, what was expected and what came.
 */
export function validateDeployment(raw: unknown, source = 'edge deployment'): EdgeDeployment {
  const value = raw as Partial<EdgeDeployment> | null;
  if (typeof value !== 'object' || value === null) throw new Error(`${source}: expected a JSON object`);

  checkLocation(value.exchange, `${source} exchange`);
  if (value.renditions !== undefined) checkLocation(value.renditions, `${source} renditions`);
  return value as EdgeDeployment;
}

function checkLocation(location: Partial<BucketLocation> | undefined, field: string): void {
  if (!location || typeof location.bucket !== 'string' || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(location.bucket)) {
    throw new Error(`${field}.bucket: expected an S3 bucket name, got ${JSON.stringify(location?.bucket)}`);
  }
  if (typeof location.region !== 'string' || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(location.region)) {
    throw new Error(
      `${field}.region: expected an AWS region such as eu-central-1, got ${JSON.stringify(location.region)}`,
    );
  }
  if (location.prefix !== undefined && location.prefix !== '' && !location.prefix.endsWith('/')) {
    throw new Error(`${field}.prefix: expected empty or ending in "/", got ${JSON.stringify(location.prefix)}`);
  }
}

/**
 * The bucket and region of an S3 origin domain such as `bucket.s3.eu-central-1.amazonaws.com`
 * (or the legacy global `bucket.s3.amazonaws.com`, us-east-1); `undefined` for anything else.
 */
export function bucketFromOriginDomain(domain: string): BucketLocation | undefined {
  const match = /^(.+)\.s3(?:[.-]([a-z0-9-]+))?\.amazonaws\.com$/.exec(domain);
  if (!match) return undefined;

  const region = match[2] && match[2] !== 'external-1' ? match[2] : 'us-east-1';
  return { bucket: match[1] as string, region };
}
