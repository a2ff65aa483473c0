/**
 * The deployment facts of the Lambda@Edge function (Lambda@Edge has no environment
 * variables): where the buckets are, and the edge configuration overrides. The CDK app writes
 * them as `vetrina-edge.json` next to the bundle's `index.mjs`, which the entry reads at cold
 * start; the build also bakes an example into the code, used only when that file is absent.
 */
import { readFileSync } from 'node:fs';
import type { EdgeConfigOverrides } from '../config.js';

/** Name of the deployment file next to the origin-response bundle's `index.mjs`. */
export const EDGE_DEPLOYMENT_FILE = 'vetrina-edge.json';

/** One bucket and the region it lives in. */
export interface BucketLocation {
  readonly bucket: string;
  /** e.g. `eu-central-1`; Lambda@Edge runs everywhere, so the region is never implied. */
  readonly region: string;
  /** Key prefix inside the bucket, empty or ending in `/`; default empty. */
  readonly prefix?: string;
}

/** The deployment file (JSON). */
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
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${source}: expected a JSON object, got ${Array.isArray(value) ? 'an array' : String(value)}`);
  }
  // A misspelt field would otherwise be ignored, and the function would use another bucket.
  const unknown = Object.keys(value).filter((field) => !DEPLOYMENT_FIELDS.includes(field));
  if (unknown.length > 0) {
    throw new Error(`${source}: unknown field "${unknown[0]}"; expected only ${DEPLOYMENT_FIELDS.join(', ')}`);
  }

  checkLocation(value.exchange, `${source} exchange`);
  if (value.renditions !== undefined) checkLocation(value.renditions, `${source} renditions`);
  if (
    value.edge !== undefined &&
    (typeof value.edge !== 'object' || value.edge === null || Array.isArray(value.edge))
  ) {
    throw new Error(`${source} edge: expected an object of config overrides, got ${JSON.stringify(value.edge)}`);
  }
  return value as EdgeDeployment;
}

const DEPLOYMENT_FIELDS: readonly string[] = ['exchange', 'renditions', 'edge'];

/**
 * Reads and validates a deployment file; `undefined` when no file is at `path`.
 *
 * @throws Error naming the file when it cannot be read or is not JSON, and naming the field
 *   (see {@link validateDeployment}) when a value is wrong.
 */
export function readDeploymentFile(path: string): EdgeDeployment | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${path}: cannot read the deployment file (${String(error)})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path}: expected JSON, got invalid JSON (${String(error)})`);
  }
  return validateDeployment(raw, path);
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
