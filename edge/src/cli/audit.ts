/**
 * `vetrina audit`: compares the originals with their renditions and lists what is wrong:
 * eager renditions missing, renditions made from older bytes (stale), and renditions whose
 * original is gone (orphaned). `--fix` repairs through the backfill code and deletes the
 * stale on-demand and orphaned renditions.
 */
import { renditionKey, splitRenditionKey } from '../../../sdk/ts/src/rendition.js';
import type { EdgeConfig } from '../config.js';
import { eagerTargets } from '../renditions/eager.js';
import type { Storage } from '../storage/types.js';
import { backfillOne, isOriginalKey } from './backfill.js';
import { runPool } from './pool.js';
import type { Progress } from './progress.js';
import { listAll } from './stores.js';

export interface AuditOptions {
  readonly exchange: Storage;
  readonly renditions: Storage;
  readonly config: EdgeConfig;
  readonly concurrency: number;
  readonly fix: boolean;
  readonly progress: Progress;
  readonly signal?: AbortSignal;
}

export interface AuditReport {
  readonly originals: number;
  readonly renditions: number;
  /** Eager rendition keys that do not exist. */
  readonly missing: string[];
  /** Rendition keys whose `source-etag` is not the original's ETag. */
  readonly stale: string[];
  /** Rendition keys whose original is gone, or keys that are not rendition keys at all. */
  readonly orphaned: string[];
  readonly fixed: { rendered: number; deleted: number; failed: Array<{ key: string; reason: string }> } | null;
}

/** Runs the audit (and the repair with `fix`); returns the findings as they were before repair. */
export async function runAudit(options: AuditOptions): Promise<AuditReport> {
  const [originals, renditions] = await Promise.all([listAll(options.exchange, ''), listAll(options.renditions, '')]);
  const etags = new Map(originals.filter((o) => isOriginalKey(o.key)).map((o) => [o.key, o.etag]));
  const present = new Set(renditions.map((r) => r.key));
  const report: AuditReport = {
    originals: etags.size,
    renditions: renditions.length,
    missing: [],
    stale: [],
    orphaned: [],
    fixed: null,
  };
  options.progress.setTotal(etags.size + renditions.length);

  const targets = eagerTargets(options.config);
  for (const sourceKey of etags.keys()) {
    for (const { params } of targets) {
      const key = renditionKey(sourceKey, params);
      if (!present.has(key)) report.missing.push(key);
    }
    options.progress.tick('originals');
  }

  await runPool(
    renditions,
    options.concurrency,
    async ({ key }) => {
      const split = splitRenditionKey(key);
      const etag = split && etags.get(split.sourceKey);
      if (etag === undefined) {
        report.orphaned.push(key);
      } else {
        const info = await options.renditions.head(key);
        if (info && info.metadata['source-etag'] !== etag) report.stale.push(key);
      }
      options.progress.tick('renditions');
    },
    options.signal,
  );
  report.missing.sort();
  report.stale.sort();
  report.orphaned.sort();

  if (options.fix) return { ...report, fixed: await repair(report, etags, options) };
  return report;
}

async function repair(
  report: AuditReport,
  etags: Map<string, string>,
  options: AuditOptions,
): Promise<NonNullable<AuditReport['fixed']>> {
  const eagerKeys = new Set(
    [...etags.keys()].flatMap((k) => eagerTargets(options.config).map((t) => renditionKey(k, t.params))),
  );
  const toRender = new Set<string>();
  for (const key of [...report.missing, ...report.stale]) {
    const split = splitRenditionKey(key);
    if (split && eagerKeys.has(key)) toRender.add(split.sourceKey);
  }
  const toDelete = [...report.orphaned, ...report.stale.filter((key) => !eagerKeys.has(key))];

  const outcome = { rendered: 0, renditionsWritten: 0, upToDate: 0, rejected: [], failed: [] } as Parameters<
    typeof backfillOne
  >[2];
  await runPool(
    toRender,
    options.concurrency,
    async (sourceKey) => {
      const info = await options.exchange.head(sourceKey);
      if (info) await backfillOne(info, options, outcome);
    },
    options.signal,
  );
  const deleted = toDelete.length > 0 ? await options.renditions.delete(toDelete) : 0;
  return {
    rendered: outcome.rendered,
    deleted,
    failed: [...outcome.failed, ...outcome.rejected.map((r) => ({ key: r.key, reason: r.reason }))],
  };
}
