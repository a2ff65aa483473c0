/**
 * The regional S3-event Lambda entry (Node.js 22). Deployed behind SQS: the exchange bucket
 * notifies a queue, the queue feeds this function in batches, and the function answers with
 * partial batch responses, so one bad message is retried (and ends in the DLQ) without redoing
 * the others. A direct S3 invocation works too: then any failed record throws, so Lambda's
 * asynchronous retries and on-failure destination apply.
 *
 * Environment: `EXCHANGE_BUCKET`, `RENDITIONS_BUCKET` (required), `DISTRIBUTION_ID` (optional:
 * no CDN invalidation without it), `INVALIDATE_BY` (`tag` | `path`, default `tag`),
 * `VETRINA_CONFIG` (JSON overrides of the edge config), `AWS_REGION` (set by Lambda).
 */
import { type EdgeConfigOverrides, resolveConfig } from '../config.js';
import { configureSharp } from '../engine/index.js';
import { handleS3Event } from '../handlers/s3-event.js';
import type { jsonLogger } from '../log.js';
import { createS3Storage } from '../storage/s3.js';
import type { Storage } from '../storage/types.js';
import { jsonEnv, optionalEnv, requireEnv } from './env.js';
import { createInvalidator, type Invalidate } from './invalidate.js';
import { invocationTelemetry, measuredStorage } from './metrics.js';

/** An S3 event notification, as the pure handler takes it. */
export type S3Event = Parameters<typeof handleS3Event>[0];

/** One SQS message as Lambda delivers it (the fields read here). */
export interface SqsRecord {
  readonly messageId: string;
  readonly eventSource: 'aws:sqs';
  /** The S3 notification as JSON, or S3's `s3:TestEvent` when the notification was set up. */
  readonly body: string;
}

/** What the entry takes: an SQS batch or a direct S3 event. */
export type S3EventEntryInput = { readonly Records: readonly SqsRecord[] } | S3Event;

/** Partial batch response: the SQS messages to retry. */
export interface BatchResponse {
  batchItemFailures: Array<{ itemIdentifier: string }>;
}

/** Everything the entry needs, as read from the environment. */
export interface S3EventSettings {
  readonly exchangeBucket: string;
  readonly renditionsBucket: string;
  readonly region: string;
  readonly distributionId?: string;
  readonly invalidateBy: 'tag' | 'path';
  readonly edge: EdgeConfigOverrides;
}

/**
 * Reads the settings from environment variables.
 *
 * @throws Error naming the variable that is missing or malformed.
 */
export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): S3EventSettings {
  const invalidateBy = optionalEnv('INVALIDATE_BY', 'tag', env);
  if (invalidateBy !== 'tag' && invalidateBy !== 'path') {
    throw new Error(`environment variable INVALIDATE_BY: expected tag or path, got "${invalidateBy}"`);
  }
  const distributionId = optionalEnv('DISTRIBUTION_ID', '', env);
  return {
    exchangeBucket: requireEnv('EXCHANGE_BUCKET', env),
    renditionsBucket: requireEnv('RENDITIONS_BUCKET', env),
    region: optionalEnv('AWS_REGION', 'us-east-1', env),
    ...(distributionId ? { distributionId } : {}),
    invalidateBy,
    edge: jsonEnv('VETRINA_CONFIG', env) as EdgeConfigOverrides,
  };
}

/** Seams for tests: stores, the invalidation call, where lines go. */
export interface S3EventEntryOptions {
  readonly storage?: (bucket: string) => Storage;
  /** Replaces the CloudFront invalidator built from `distributionId`. */
  readonly invalidate?: Invalidate;
  readonly write?: (line: string) => void;
}

/** Builds the entry for one set of settings. */
export function createS3EventEntry(
  settings: S3EventSettings,
  options: S3EventEntryOptions = {},
): (input: S3EventEntryInput, context?: { awsRequestId?: string }) => Promise<BatchResponse> {
  const config = resolveConfig(settings.edge);
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  const makeStore =
    options.storage ?? ((bucket: string) => createS3Storage({ bucket, region: settings.region, maxAttempts: 5 }));
  const exchange = makeStore(settings.exchangeBucket);
  const renditions = makeStore(settings.renditionsBucket);
  const invalidator =
    options.invalidate ??
    (settings.distributionId
      ? createInvalidator({ distributionId: settings.distributionId, by: settings.invalidateBy })
      : undefined);

  return async (input, context) => {
    const { metrics, log } = invocationTelemetry('s3-event', context?.awsRequestId, write);
    const invalidate: Invalidate | undefined = invalidator
      ? async (tag, key) => {
          await invalidator(tag, key);
          metrics.add('Invalidations', 'Count', 1);
        }
      : undefined;
    const deps = {
      exchange: measuredStorage(exchange, 'source', metrics),
      renditions: measuredStorage(renditions, 'renditions', metrics),
      config,
      log,
      exchangeBucket: settings.exchangeBucket,
      ...(invalidate ? { invalidate } : {}),
    };

    try {
      if (!isSqsBatch(input)) {
        const result = await handleS3Event(input, deps);
        if (result.batchItemFailures.length > 0) {
          throw new Error(`s3-event: ${result.batchItemFailures.length} record(s) failed; the event will be retried`);
        }
        return { batchItemFailures: [] };
      }

      const failures: BatchResponse['batchItemFailures'] = [];
      for (const message of input.Records) {
        if (!(await handleMessage(message, deps, log))) failures.push({ itemIdentifier: message.messageId });
      }
      return { batchItemFailures: failures };
    } finally {
      metrics.flush();
    }
  };
}

function isSqsBatch(input: S3EventEntryInput): input is { readonly Records: readonly SqsRecord[] } {
  const first = input.Records[0] as { eventSource?: string } | undefined;
  return first?.eventSource === 'aws:sqs';
}

/** True when the message is done (handled, or nothing to do); false to have SQS redeliver it. */
async function handleMessage(
  message: SqsRecord,
  deps: Parameters<typeof handleS3Event>[1],
  log: ReturnType<typeof jsonLogger>,
): Promise<boolean> {
  let event: { Records?: unknown; Event?: string };
  try {
    event = JSON.parse(message.body) as typeof event;
  } catch {
    // Never valid later either; failing it sends it to the DLQ, where the alarm sees it.
    log.error('message body is not JSON', { messageId: message.messageId, outcome: 'failed' });
    return false;
  }
  if (event.Event === 's3:TestEvent') return true;
  if (!Array.isArray(event.Records)) {
    log.error('message holds no S3 records', { messageId: message.messageId, outcome: 'failed' });
    return false;
  }

  try {
    const result = await handleS3Event(event as S3Event, deps);
    return result.batchItemFailures.length === 0;
  } catch (error) {
    log.error('S3 event failed', { messageId: message.messageId, outcome: 'failed', reason: String(error) });
    return false;
  }
}

let entry: ReturnType<typeof createS3EventEntry> | undefined;

/** The Lambda handler (`index.handler`): settings from the environment, read on first use. */
export async function handler(input: S3EventEntryInput, context?: { awsRequestId?: string }): Promise<BatchResponse> {
  if (!entry) {
    configureSharp();
    entry = createS3EventEntry(settingsFromEnv());
  }
  return entry(input, context);
}
