/**
 * Settings and stores shared by the regional bulk Lambdas (backfill and audit): both work on the
 * exchange and renditions buckets named in their environment.
 */
import type { EdgeConfigOverrides } from '../config.js';
import { createS3Storage } from '../storage/s3.js';
import type { Storage } from '../storage/types.js';
import { jsonEnv, optionalEnv, requireEnv } from './env.js';

/** What the bulk Lambdas read from their environment. */
export interface BulkSettings {
  readonly exchangeBucket: string;
  readonly renditionsBucket: string;
  /** Region of both buckets (the function's own). */
  readonly region: string;
  /** Overrides of the edge config (presets, eager format), as the other handlers get them. */
  readonly edge: EdgeConfigOverrides;
}

/**
 * Reads `EXCHANGE_BUCKET`, `RENDITIONS_BUCKET` (required), `VETRINA_CONFIG` (JSON object,
 * default `{}`) and `AWS_REGION` (default `us-east-1`).
 *
 * @throws Error naming the variable that is missing or malformed.
 */
export function bulkSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): BulkSettings {
  return {
    exchangeBucket: requireEnv('EXCHANGE_BUCKET', env),
    renditionsBucket: requireEnv('RENDITIONS_BUCKET', env),
    region: optionalEnv('AWS_REGION', 'us-east-1', env),
    edge: jsonEnv('VETRINA_CONFIG', env) as EdgeConfigOverrides,
  };
}

/**
 * The two stores, made with `storage` when given (tests), else S3 in the settings' region with
 * five attempts per call (bulk work can wait for a throttled bucket).
 */
export function bulkStores(
  settings: BulkSettings,
  storage?: (bucket: string) => Storage,
): { readonly exchange: Storage; readonly renditions: Storage } {
  const make = storage ?? ((bucket: string) => createS3Storage({ bucket, region: settings.region, maxAttempts: 5 }));
  return { exchange: make(settings.exchangeBucket), renditions: make(settings.renditionsBucket) };
}
