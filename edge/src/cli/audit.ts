/**
 * `vetrina audit`: compares the originals with their renditions and lists what is wrong:
 * eager renditions missing, renditions made from other bytes than the current original
 * (stale), and renditions whose original is gone (orphaned). `--fix` re-renders through the
 * backfill code and deletes stale on-demand renditions (they are made again on request) and
 * orphans.
 */
import { renditionKey, splitRenditionKey } from '../../../sdk/ts/src/rendition.js';
import type { EdgeConfig } from '../config.js';
import { eagerTargets } from '../renditions/eager.js';
import type { Storage, StoredObjectInfo } from '../storage/types.js';
import { type BackfillTally, backfillOne, isOriginalKey } from './backfill.js';
import { isFatalStoreError, oneLine } from './failures.js';
import { createLimiter, runPool } from './pool.js';
import type { Progress } from './progress.js';
import { listAll } from './stores.js';

/** What one audit needs. */
export interface AuditOptions {
  readonly exchange: Storage;
  readonly renditions: Storage;
  readonly config: EdgeConfig;
  /** HEAD requests (and repairs) in flight, ≥ 1. */
  readonly concurrency: number;
  /** Originals decoded at once during `fix`, ≥ 1. */
  readonly renders: number;
  readonly fix: boolean;
  readonly progress: Progress;
  /** Once aborted, no new check or repair is started. */
  readonly signal?: AbortSignal;
  /**
   * Which renditions of a live original are headed for their `source-etag`; all of them when
   * absent. One passed over counts as current (the audit Lambda judges by LastModified first).
   */
  readonly suspect?: (rendition: StoredObjectInfo, original: StoredObjectInfo) => boolean;
}

/** What `--fix` did. */
export interface AuditRepair {
  /** Originals whose eager renditions were re-rendered. */
  readonly rendered: number;
  /** Stale on-demand and orphaned renditions deleted. */
  readonly deleted: number;
  /** What could not be repaired (bad originals among them). */
  readonly failed: Array<{ key: string; reason: string }>;
}

/** The JSON report of an audit; the finding lists are sorted rendition keys. */
export interface AuditReport {
  readonly originals: number;
  readonly renditions: number;
  /** Eager rendition keys that do not exist. */
  readonly missing: string[];
  /** Rendition keys whose `source-etag` is not the original's ETag. */
  readonly stale: string[];
  /** Rendition keys whose original is gone, and keys that are not rendition keys at all. */
  readonly orphaned: string[];
  /**
   * Keys in the renditions store that are not rendition keys (`…/_r/…`), such as originals put
   * there by mistake or a swapped command line. Listed, never deleted, even with `--fix`.
   */
  readonly foreign: string[];
  /** `null` without `--fix`. */
  readonly fixed: AuditRepair | null;
  readonly interrupted: boolean;
}

/**
 * Runs the audit (and the repair with `fix`) and returns the findings as they were before
 * any repair.
 *
 * @throws VetrinaError `STORAGE_FAILED` when a store is unreachable or refuses access
 */
export async function runAudit(options: AuditOptions): Promise<AuditReport> {
  const [originals, renditions] = await Promise.all([listAll(options.exchange, ''), listAll(options.renditions, '')]);
  const live = new Map(originals.filter((o) => isOriginalKey(o.key)).map((o) => [o.key, o]));
  const etags = new Map([...live].map(([key, o]) => [key, o.etag]));
  const present = new Set(renditions.map((r) => r.key));
  const targets = eagerTargets(options.config);
  const missing: string[] = [];
  const stale: string[] = [];
  const orphaned: string[] = [];
  const foreign: string[] = [];
  options.progress.setTotal(etags.size + renditions.length);

  for (const sourceKey of etags.keys()) {
    for (const { params } of targets) {
      const key = renditionKey(sourceKey, params);
      if (!present.has(key)) missing.push(key);
    }
    options.progress.tick('originals');
  }

  // A listing carries no metadata, so each rendition of a live original is headed once.
  await runPool(
    renditions,
    options.concurrency,
    async (rendition) => {
      const { key } = rendition;
      const split = splitRenditionKey(key);
      const original = split && live.get(split.sourceKey);
      if (!split) {
        // Not a rendition key at all: maybe an original in the wrong store. Reported, never deleted.
        foreign.push(key);
      } else if (!original) {
        orphaned.push(key);
      } else if (!options.suspect || options.suspect(rendition, original)) {
        const info = await options.renditions.head(key);
        if (info && info.metadata['source-etag'] !== original.etag) stale.push(key);
      }
      options.progress.tick('renditions');
    },
    options.signal,
  );
  const findings = { missing: missing.sort(), stale: stale.sort(), orphaned: orphaned.sort(), foreign: foreign.sort() };

  const fixed = options.fix && !options.signal?.aborted ? await repair(findings, etags, options) : null;
  return {
    originals: etags.size,
    renditions: renditions.length,
    ...findings,
    fixed,
    interrupted: options.signal?.aborted ?? false,
  };
}

async function repair(
  findings: Pick<AuditReport, 'missing' | 'stale' | 'orphaned'>,
  etags: Map<string, string>,
  options: AuditOptions,
): Promise<AuditRepair> {
  const targets = eagerTargets(options.config);
  const eagerKeys = new Set([...etags.keys()].flatMap((k) => targets.map((t) => renditionKey(k, t.params))));
  const toRender = new Set<string>();
  for (const key of [...findings.missing, ...findings.stale]) {
    const split = splitRenditionKey(key);
    if (split && eagerKeys.has(key)) toRender.add(split.sourceKey);
  }
  const toDelete = [...findings.orphaned, ...findings.stale.filter((key) => !eagerKeys.has(key))];

  const tally: BackfillTally = { rendered: 0, renditionsWritten: 0, upToDate: 0, rejected: [], failed: [] };
  const deps = { ...options, limit: createLimiter(options.renders) };
  await runPool(
    toRender,
    options.concurrency,
    async (sourceKey) => {
      const info = await options.exchange.head(sourceKey);
      if (info) await backfillOne(info, deps, tally);
    },
    options.signal,
  );

  let deleted = 0;
  const failed = [...tally.failed, ...tally.rejected.map((r) => ({ key: r.key, reason: `${r.code}: ${r.reason}` }))];
  if (toDelete.length > 0) {
    try {
      deleted = await options.renditions.delete(toDelete);
    } catch (error) {
      if (isFatalStoreError(error)) throw error;
      failed.push({ key: `${toDelete.length} renditions to delete`, reason: oneLine(error) });
    }
  }
  return { rendered: tally.rendered, deleted, failed: failed.sort((a, b) => (a.key < b.key ? -1 : 1)) };
}
