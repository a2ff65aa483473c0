/**
 * `vetrina backfill`: makes every eager rendition that is missing or stale, for every
 * original in the exchange store. Up-to-date originals cost three HEAD requests and no read;
 * a re-run after an interruption therefore resumes where the last one stopped.
 */
import { VetrinaError } from '../../../sdk/ts/src/errors.js';
import type { EdgeConfig } from '../config.js';
import { eagerStatus, makeEagerRenditions } from '../renditions/eager.js';
import type { Storage, StoredObjectInfo } from '../storage/types.js';
import { runPool } from './pool.js';
import type { Progress } from './progress.js';
import { listAll } from './stores.js';

export interface BackfillOptions {
  readonly exchange: Storage;
  readonly renditions: Storage;
  readonly config: EdgeConfig;
  readonly concurrency: number;
  readonly progress: Progress;
  readonly signal?: AbortSignal;
  /** Only originals whose key starts with this. */
  readonly prefix?: string;
}

export interface BackfillReport {
  readonly originals: number;
  readonly rendered: number;
  readonly renditionsWritten: number;
  readonly upToDate: number;
  readonly rejected: Array<{ key: string; code: string; reason: string }>;
  readonly failed: Array<{ key: string; reason: string }>;
  readonly interrupted: boolean;
}

/** Runs the backfill and returns its report; bad originals are reported, not thrown. */
export async function runBackfill(options: BackfillOptions): Promise<BackfillReport> {
  const originals = (await listAll(options.exchange, options.prefix ?? '')).filter((o) => isOriginalKey(o.key));
  options.progress.setTotal(originals.length);
  const report = {
    originals: originals.length,
    rendered: 0,
    renditionsWritten: 0,
    upToDate: 0,
    rejected: [] as BackfillReport['rejected'],
    failed: [] as BackfillReport['failed'],
    interrupted: false,
  };

  await runPool(
    originals,
    options.concurrency,
    async (info) => {
      options.progress.tick(await backfillOne(info, options, report));
    },
    options.signal,
  );
  report.interrupted = options.signal?.aborted ?? false;
  return report;
}

/** Brings one original's eager renditions up to date; returns the progress counter name. */
export async function backfillOne(
  info: StoredObjectInfo,
  options: Pick<BackfillOptions, 'exchange' | 'renditions' | 'config'>,
  report: {
    rendered: number;
    renditionsWritten: number;
    upToDate: number;
    rejected: BackfillReport['rejected'];
    failed: BackfillReport['failed'];
  },
): Promise<string> {
  try {
    const status = await eagerStatus(info.key, info.etag, options.renditions, options.config);
    if (status.missing.length === 0 && status.stale.length === 0) {
      report.upToDate += 1;
      return 'up-to-date';
    }
    const original = await options.exchange.get(info.key);
    if (!original) return 'gone';

    const { written } = await makeEagerRenditions(info.key, original, options);
    report.rendered += 1;
    report.renditionsWritten += written.length;
    return 'rendered';
  } catch (error) {
    if (error instanceof VetrinaError && error.status < 500) {
      report.rejected.push({ key: info.key, code: error.code, reason: error.message });
      return 'rejected';
    }
    report.failed.push({ key: info.key, reason: (error as Error).message });
    return 'failed';
  }
}

/** Rendition keys never count as originals, whatever store they are found in. */
export function isOriginalKey(key: string): boolean {
  return !key.split('/').includes('_r') && !key.endsWith('/');
}
