/**
 * `vetrina backfill`: makes every eager rendition that is missing or stale (its `source-etag`
 * is not the original's ETag), for every original in the exchange store. An up-to-date
 * original costs one HEAD per eager preset and no read, so a re-run after an interruption
 * resumes where the last one stopped. Many checks run at once; only `renders` originals are
 * read and decoded at once, which bounds CPU and memory.
 */
import { VetrinaError } from '../../../sdk/ts/src/errors.js';
import type { EdgeConfig } from '../config.js';
import { eagerStatus, makeEagerRenditions } from '../renditions/eager.js';
import type { Storage, StoredObjectInfo } from '../storage/types.js';
import { isFatalStoreError, oneLine } from './failures.js';
import { createLimiter, type Limiter, runPool } from './pool.js';
import type { Progress } from './progress.js';
import { listAll } from './stores.js';

/** What one backfill needs. */
export interface BackfillOptions {
  readonly exchange: Storage;
  readonly renditions: Storage;
  readonly config: EdgeConfig;
  /** Originals in flight (checks, reads, writes), ≥ 1. */
  readonly concurrency: number;
  /** Originals decoded at once, ≥ 1; usually the number of cores. */
  readonly renders: number;
  readonly progress: Progress;
  /** Once aborted, no new original is started; the report says `interrupted`. */
  readonly signal?: AbortSignal;
  /** Only originals whose key starts with this. */
  readonly prefix?: string;
}

/** The counts and lists one or more `backfillOne` calls add to. */
export interface BackfillTally {
  /** Originals whose renditions were (re)made. */
  rendered: number;
  /** Rendition objects written. */
  renditionsWritten: number;
  /** Originals whose eager renditions were all fresh. */
  upToDate: number;
  /** Originals the engine refused (empty, not an image, corrupt, too large). */
  readonly rejected: Array<{ key: string; code: string; reason: string }>;
  /** Originals that failed for another reason (a store error after retries, an engine bug). */
  readonly failed: Array<{ key: string; reason: string }>;
}

/** The JSON report of a backfill (`--report`, `--json`). */
export interface BackfillReport extends Readonly<BackfillTally> {
  /** Originals found. */
  readonly originals: number;
  readonly interrupted: boolean;
}

/** What `backfillOne` did with one original; also the progress counter it ticks. */
export type BackfillOutcome = 'up-to-date' | 'rendered' | 'rejected' | 'failed' | 'gone';

/**
 * Runs the backfill and returns its report; bad originals are reported, not thrown.
 *
 * @throws VetrinaError `STORAGE_FAILED` when a store is unreachable or refuses access (the
 *   originals in flight finish first)
 */
export async function runBackfill(options: BackfillOptions): Promise<BackfillReport> {
  const originals = (await listAll(options.exchange, options.prefix ?? '')).filter((o) => isOriginalKey(o.key));
  // Largest first: the long renders start early, so no core sits idle behind one big original
  // at the end of the run (longest-processing-time-first scheduling).
  originals.sort((a, b) => b.size - a.size || (a.key < b.key ? -1 : 1));
  options.progress.setTotal(originals.length);
  const tally: BackfillTally = { rendered: 0, renditionsWritten: 0, upToDate: 0, rejected: [], failed: [] };
  const deps = { ...options, limit: createLimiter(options.renders) };

  await runPool(
    originals,
    options.concurrency,
    async (info) => options.progress.tick(await backfillOne(info, deps, tally)),
    options.signal,
  );
  tally.rejected.sort((a, b) => (a.key < b.key ? -1 : 1));
  tally.failed.sort((a, b) => (a.key < b.key ? -1 : 1));
  return { originals: originals.length, ...tally, interrupted: options.signal?.aborted ?? false };
}

/**
 * Brings one original's eager renditions up to date and adds the outcome to `tally`.
 * `limit` bounds the reads and decodes across concurrent calls.
 *
 * @throws VetrinaError `STORAGE_FAILED` only when it is fatal for the run (see
 *   `isFatalStoreError`); every other failure is tallied
 */
export async function backfillOne(
  info: StoredObjectInfo,
  deps: {
    readonly exchange: Storage;
    readonly renditions: Storage;
    readonly config: EdgeConfig;
    readonly limit: Limiter;
  },
  tally: BackfillTally,
): Promise<BackfillOutcome> {
  try {
    const status = await eagerStatus(info.key, info.etag, deps.renditions, deps.config);
    if (status.missing.length === 0 && status.stale.length === 0) {
      tally.upToDate += 1;
      return 'up-to-date';
    }

    return await deps.limit(async () => {
      const original = await deps.exchange.get(info.key);
      if (!original) return 'gone';
      // Replaced since the listing: the status was read for other bytes.
      const known = original.etag === info.etag ? status : undefined;
      const { written } = await makeEagerRenditions(info.key, original, deps, known);
      tally.rendered += 1;
      tally.renditionsWritten += written.length;
      return 'rendered';
    });
  } catch (error) {
    if (isFatalStoreError(error)) throw error;
    if (error instanceof VetrinaError && error.status < 500) {
      tally.rejected.push({ key: info.key, code: error.code, reason: oneLine(error) });
      return 'rejected';
    }
    tally.failed.push({ key: info.key, reason: oneLine(error) });
    return 'failed';
  }
}

/** Rendition keys (a `_r` segment) and folder markers (ending in `/`) are never originals. */
export function isOriginalKey(key: string): boolean {
  return !key.split('/').includes('_r') && !key.endsWith('/');
}
