/**
 * The backfill Lambda entry (regional, Node.js 22): the worker of the Step Functions
 * distributed map in infra/lib/backfill.ts. The map lists the exchange bucket and hands this
 * function batches of its objects; for each original the eager renditions that are missing or
 * stale (their `source-etag` is not the original's ETag) are made, exactly as `vetrina backfill`
 * does (`backfillOne`), so a restarted run skips what is done.
 *
 * Failure policy, so that the map's tolerated-failure share counts real trouble:
 * - a bad original (empty, not an image, corrupt, too large) is counted and listed, never thrown:
 *   a retry would refuse it again;
 * - a store call that still fails after the SDK's retries, or a batch that runs out of time,
 *   throws after the rest of the batch is done, so Step Functions retries the batch (finished
 *   originals then cost one HEAD per eager preset) and counts it failed if it keeps failing;
 * - any other failure (an engine bug) is counted, listed and logged, not thrown.
 *
 * Environment: `EXCHANGE_BUCKET`, `RENDITIONS_BUCKET` (required), `VETRINA_CONFIG` (JSON
 * overrides of the edge config), `AWS_REGION` (set by Lambda).
 */
import { VetrinaError } from '../../../sdk/ts/src/errors.js';
import { splitRenditionKey } from '../../../sdk/ts/src/rendition.js';
import { type BackfillTally, backfillOne, isOriginalKey } from '../cli/backfill.js';
import { isFatalStoreError, oneLine } from '../cli/failures.js';
import { createLimiter, runPool } from '../cli/pool.js';
import { resolveConfig } from '../config.js';
import { configureSharp } from '../engine/index.js';
import type { Logger } from '../log.js';
import { WriteConflictError } from '../storage/s3-errors.js';
import type { Storage, StoredObjectInfo } from '../storage/types.js';
import { type BulkSettings, bulkSettingsFromEnv, bulkStores } from './bulk.js';
import { invocationTelemetry, measuredStorage } from './metrics.js';

/** Originals between two EMF lines, so no metric collects more than the 100 values EMF allows. */
const FLUSH_EVERY = 25;

/** One object of the map's S3 listing (S3ObjectsItemReader), as ListObjectsV2 names its fields. */
export interface BackfillItem {
  readonly Key: string;
  /** The ETag with its quotes, as S3 lists it; when absent the original is headed for it. */
  readonly Etag?: string;
  readonly Size?: number;
  /** ISO 8601. */
  readonly LastModified?: string;
  readonly StorageClass?: string;
}

/** One batch of the map (ItemBatcher): the items and the batch input set in the CDK. */
export interface BackfillEvent {
  readonly Items: readonly BackfillItem[];
  readonly BatchInput?: Readonly<Record<string, unknown>>;
}

/** What one batch did; the map's result writer keeps it in the run's report. */
export interface BackfillSummary {
  /** Items in the batch. */
  readonly items: number;
  /** Rendition keys and folder markers passed over (never originals). */
  readonly skipped: number;
  /** Originals whose eager renditions were (re)made. */
  readonly rendered: number;
  /** Rendition objects written. */
  readonly renditionsWritten: number;
  /** Originals whose eager renditions were all current. */
  readonly upToDate: number;
  /** Originals deleted since the listing. */
  readonly gone: number;
  /** Originals the engine refused, with the error code. */
  readonly rejected: ReadonlyArray<{ key: string; code: string; reason: string }>;
  /** Originals that failed otherwise (store failures after retries, engine bugs). */
  readonly failed: ReadonlyArray<{ key: string; reason: string }>;
  /** Originals not started because the invocation ran out of time. */
  readonly notStarted: number;
}

/** Seams for tests and tuning. */
export interface BackfillEntryOptions {
  /** Makes the store for a bucket; S3 in the settings' region by default. */
  readonly storage?: (bucket: string) => Storage;
  /** Receives log and EMF lines; stdout by default. */
  readonly write?: (line: string) => void;
  /** Originals checked at once (HEADs, reads, writes), ≥ 1; default 4. */
  readonly concurrency?: number;
  /** Originals decoded at once, ≥ 1; default 1 (a 2 GB function has about one vCPU). */
  readonly renders?: number;
  /** No original is started with less time left than this, in ms; default 30 000. */
  readonly reserveMs?: number;
}

/** The part of the Lambda context the entry reads. */
export interface BackfillContext {
  readonly awsRequestId?: string;
  getRemainingTimeInMillis?(): number;
}

/**
 * Builds the entry for one set of settings.
 *
 * @throws Error (from the returned function) naming the field when the event is malformed, and
 *   when the batch should be retried (see the module comment); never for a bad original.
 */
export function createBackfillEntry(
  settings: BulkSettings,
  options: BackfillEntryOptions = {},
): (event: BackfillEvent, context?: BackfillContext) => Promise<BackfillSummary> {
  const config = resolveConfig(settings.edge);
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  const { exchange, renditions } = bulkStores(settings, options.storage);
  const reserveMs = options.reserveMs ?? 30_000;

  return async (event, context) => {
    const items = readItems(event);
    const { metrics, log } = invocationTelemetry('backfill', context?.awsRequestId, write);
    const storeFailures = new Map<string, string>();
    const deps = {
      exchange: watched(measuredStorage(exchange, 'source', metrics), storeFailures),
      renditions: watched(measuredStorage(renditions, 'renditions', metrics), storeFailures),
      config,
      limit: createLimiter(options.renders ?? 1),
    };
    const tally: BackfillTally = { rendered: 0, renditionsWritten: 0, upToDate: 0, rejected: [], failed: [] };
    const originals = items.filter((item) => isOriginalKey(item.Key));
    let gone = 0;
    let started = 0;
    const outOfTime = () => (context?.getRemainingTimeInMillis?.() ?? Number.POSITIVE_INFINITY) < reserveMs;
    const work = async (item: BackfillItem) => {
      if (outOfTime()) return;
      started += 1;
      const begun = performance.now();
      let info: StoredObjectInfo | undefined;
      try {
        info = await infoOf(item, deps.exchange);
      } catch (error) {
        if (isFatalStoreError(error)) throw error;
        tally.failed.push({ key: item.Key, reason: oneLine(error) });
        return;
      }
      const outcome = info ? await backfillOne(info, deps, tally) : 'gone';
      if (outcome === 'gone') gone += 1;
      if (outcome === 'rendered') {
        log.info('rendered', { key: item.Key, outcome, ms: Math.round(performance.now() - begun) });
      }
      // EMF takes at most 100 values per metric in one line: three renditions per original.
      if (started % FLUSH_EVERY === 0) metrics.flush();
    };

    let summary: BackfillSummary | undefined;
    try {
      await runPool(originals, options.concurrency ?? 4, work);
    } catch (error) {
      // backfillOne rethrows only what dooms every original (access denied, no such bucket).
      log.error('backfill batch stopped', { outcome: 'failed', code: codeOf(error), reason: oneLine(error) });
      throw error;
    } finally {
      summary = summarise(items.length, originals.length, started, gone, tally);
      report(summary, storeFailures, log);
      metrics.flush();
    }

    if (storeFailures.size > 0) {
      const [first] = storeFailures.values();
      throw new Error(
        `backfill: store calls for ${storeFailures.size} original(s) failed after retries (first: ${first}); ` +
          'the batch will be retried',
      );
    }
    if (summary.notStarted > 0) {
      throw new Error(
        `backfill: out of time with ${summary.notStarted} of ${originals.length} originals not started; ` +
          'the batch will be retried and skips the finished ones',
      );
    }
    return summary;
  };
}

function summarise(
  items: number,
  originals: number,
  started: number,
  gone: number,
  tally: BackfillTally,
): BackfillSummary {
  const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : 1);
  return {
    items,
    skipped: items - originals,
    rendered: tally.rendered,
    renditionsWritten: tally.renditionsWritten,
    upToDate: tally.upToDate,
    gone,
    rejected: [...tally.rejected].sort(byKey),
    failed: [...tally.failed].sort(byKey),
    notStarted: originals - started,
  };
}

/**
 * One line per refused or failed original, each counted as an `Errors` metric by its code (a
 * failure without a store failure behind it is the engine's: `RENDER_FAILED`), then the totals.
 */
function report(summary: BackfillSummary, storeFailures: ReadonlyMap<string, string>, log: Logger): void {
  for (const { key, code, reason } of summary.rejected) log.warn('original rejected', { key, code, reason });
  for (const { key, reason } of summary.failed) {
    const code = storeFailures.has(key) ? 'STORAGE_FAILED' : 'RENDER_FAILED';
    log.error('original failed', { key, code, reason });
  }
  const { rejected, failed, ...counts } = summary;
  log.info('backfill batch', { ...counts, rejected: rejected.length, failed: failed.length });
}

function codeOf(error: unknown): string {
  return error instanceof VetrinaError ? error.code : 'INTERNAL';
}

/**
 * Checks the event's shape.
 *
 * @throws Error naming the field, what was expected and what came.
 */
function readItems(event: BackfillEvent): readonly BackfillItem[] {
  const items = (event as Partial<BackfillEvent> | undefined)?.Items;
  if (!Array.isArray(items)) {
    throw new Error(`backfill event Items: expected an array of S3 objects, got ${typeof items}`);
  }
  for (const [index, item] of items.entries()) {
    if (typeof item?.Key !== 'string' || item.Key === '') {
      throw new Error(`backfill event Items[${index}].Key: expected an object key, got ${JSON.stringify(item?.Key)}`);
    }
    if (item.Etag !== undefined && typeof item.Etag !== 'string') {
      throw new Error(`backfill event Items[${index}].Etag: expected a string, got ${JSON.stringify(item.Etag)}`);
    }
  }
  return items;
}

/** The listing's facts about an item, or a HEAD when it came without an ETag. */
async function infoOf(item: BackfillItem, exchange: Storage): Promise<StoredObjectInfo | undefined> {
  if (item.Etag === undefined) return exchange.head(item.Key);
  return {
    key: item.Key,
    // S3 lists ETags in quotes; stores compare them without.
    etag: item.Etag.replace(/^"|"$/g, ''),
    size: item.Size ?? 0,
    lastModified: new Date(item.LastModified ?? 0),
    metadata: {},
  };
}

/**
 * Wraps a store so every call that fails with `STORAGE_FAILED` (a lost conditional write
 * aside) is noted in `failures` under the original it concerns (a rendition key's source key).
 */
function watched(inner: Storage, failures: Map<string, string>): Storage {
  const note = async <R>(key: string, run: () => Promise<R>): Promise<R> => {
    try {
      return await run();
    } catch (error) {
      const conflict = error instanceof WriteConflictError;
      if (error instanceof VetrinaError && error.code === 'STORAGE_FAILED' && !conflict) {
        const original = splitRenditionKey(key)?.sourceKey ?? key;
        // The store's message names the call and the object.
        if (!failures.has(original)) failures.set(original, oneLine(error));
      }
      throw error;
    }
  };
  return {
    location: inner.location,
    get: (key) => note(key, () => inner.get(key)),
    head: (key) => note(key, () => inner.head(key)),
    put: (key, body, putOptions) => note(key, () => inner.put(key, body, putOptions)),
    list: (prefix, listOptions) => note(prefix, () => inner.list(prefix, listOptions)),
    delete: (keys) => note(keys[0] ?? '', () => inner.delete(keys)),
  };
}

let entry: ReturnType<typeof createBackfillEntry> | undefined;

/** The Lambda handler (`index.handler`): settings from the environment, read on first use. */
export async function handler(event: BackfillEvent, context?: BackfillContext): Promise<BackfillSummary> {
  if (!entry) {
    configureSharp();
    entry = createBackfillEntry(bulkSettingsFromEnv());
  }
  return entry(event, context);
}
