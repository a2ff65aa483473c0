/**
 * The audit Lambda entry (regional, Node.js 22), run on an EventBridge schedule (daily by
 * default, infra/lib/audit.ts). It compares the originals with their renditions through the
 * CLI's `runAudit`, so "missing", "stale" and "orphaned" mean what `vetrina audit` reports, and
 * publishes the counts as EMF in namespace `Vetrina`, dimension `service=audit`:
 * `MissingRenditions`, `StaleRenditions`, `OrphanedRenditions`, `OriginalsAudited`, one value
 * each per run, zero included (the `RenditionsOutOfDate` alarm reads them). It only reads;
 * the backfill repairs.
 *
 * Cost at 160,000 originals and 480,000 renditions: both buckets are listed (~640 LIST calls),
 * and only suspects are headed for their `source-etag`. A rendition is a suspect when S3 wrote
 * it before, or less than `marginMs` after, its original's current bytes: a rendition written
 * later was made from those bytes, unless a render read the old bytes and wrote after the
 * upload, which takes seconds, not the margin. Heading every rendition instead would cost
 * 480,000 HEADs a run, more than the rest of the deployment. A rendition written later without
 * being rendered (copied or restored by hand) is trusted; `vetrina audit` heads everything.
 *
 * Environment: `EXCHANGE_BUCKET`, `RENDITIONS_BUCKET` (required), `VETRINA_CONFIG` (JSON
 * overrides of the edge config: the eager presets), `METRICS_NAMESPACE` (default `Vetrina`),
 * `AWS_REGION` (set by Lambda).
 */
import { VetrinaError } from '../../../sdk/ts/src/errors.js';
import { runAudit } from '../cli/audit.js';
import { oneLine } from '../cli/failures.js';
import { createProgress } from '../cli/progress.js';
import { resolveConfig } from '../config.js';
import { jsonLogger } from '../log.js';
import type { Storage, StoredObjectInfo } from '../storage/types.js';
import { type BulkSettings, bulkSettingsFromEnv, bulkStores } from './bulk.js';
import { optionalEnv } from './env.js';
import { emfMetrics, METRICS_NAMESPACE } from './metrics.js';

/** The metric names the CDK alarms and dashboard read (infra/lib/audit.ts `AUDIT_METRICS`). */
export const AUDIT_METRICS = Object.freeze({
  missing: 'MissingRenditions',
  stale: 'StaleRenditions',
  orphaned: 'OrphanedRenditions',
  originals: 'OriginalsAudited',
});

/** Default margin of {@link writtenTooEarly}: 15 minutes, in ms. */
export const SUSPECT_MARGIN_MS = 15 * 60 * 1000;

/** Finding keys logged per kind at most, so a broken deployment does not flood the log. */
const LOGGED_FINDINGS = 20;

/** What one audit found (the counts of its EMF line) and what it cost. */
export interface AuditSummary {
  readonly originals: number;
  readonly renditions: number;
  readonly missing: number;
  readonly stale: number;
  readonly orphaned: number;
  /** Renditions headed for their `source-etag` (the suspects). */
  readonly headed: number;
  readonly ms: number;
}

/** Seams for tests and tuning. */
export interface AuditEntryOptions {
  /** Makes the store for a bucket; S3 in the settings' region by default. */
  readonly storage?: (bucket: string) => Storage;
  /** Receives log and EMF lines; stdout by default. */
  readonly write?: (line: string) => void;
  /** Default `Vetrina`. */
  readonly namespace?: string;
  /** HEAD requests in flight, ≥ 1; default 32. */
  readonly concurrency?: number;
  /** See {@link writtenTooEarly}; default {@link SUSPECT_MARGIN_MS}. */
  readonly marginMs?: number;
}

/**
 * The suspect test: true when `rendition` was last written before `original`'s bytes were, or
 * less than `marginMs` (≥ 0) after. Both times are S3's own, so no clock skew enters.
 */
export function writtenTooEarly(
  marginMs: number = SUSPECT_MARGIN_MS,
): (rendition: StoredObjectInfo, original: StoredObjectInfo) => boolean {
  return (rendition, original) => rendition.lastModified.getTime() < original.lastModified.getTime() + marginMs;
}

/**
 * Builds the entry for one set of settings.
 *
 * @throws Error (from the returned function) when a store fails after retries or denies
 *   access; nothing is published then, so the `AuditFailed` alarm, not a zero, reports it.
 */
export function createAuditEntry(
  settings: BulkSettings,
  options: AuditEntryOptions = {},
): (event?: unknown, context?: { awsRequestId?: string }) => Promise<AuditSummary> {
  const config = resolveConfig(settings.edge);
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  const { exchange, renditions } = bulkStores(settings, options.storage);

  return async (_event, context) => {
    const started = performance.now();
    const log = jsonLogger(
      { function: 'audit', ...(context?.awsRequestId ? { requestId: context.awsRequestId } : {}) },
      write,
    );
    let headed = 0;
    const counted: Storage = {
      location: renditions.location,
      get: (key) => renditions.get(key),
      list: (prefix, listOptions) => renditions.list(prefix, listOptions),
      put: (key, body, putOptions) => renditions.put(key, body, putOptions),
      delete: (keys) => renditions.delete(keys),
      head: (key) => {
        headed += 1;
        return renditions.head(key);
      },
    };

    let report: Awaited<ReturnType<typeof runAudit>>;
    try {
      report = await runAudit({
        exchange,
        renditions: counted,
        config,
        concurrency: options.concurrency ?? 32,
        renders: 1,
        fix: false,
        progress: createProgress('audit', { quiet: true }),
        suspect: writtenTooEarly(options.marginMs),
      });
    } catch (error) {
      const code = error instanceof VetrinaError ? error.code : undefined;
      log.error('audit failed', { outcome: 'failed', ...(code ? { code } : {}), reason: oneLine(error) });
      throw error;
    }

    for (const kind of ['missing', 'stale', 'orphaned'] as const) {
      for (const rendition of report[kind].slice(0, LOGGED_FINDINGS)) log.warn(`${kind} rendition`, { rendition });
    }
    const summary: AuditSummary = {
      originals: report.originals,
      renditions: report.renditions,
      missing: report.missing.length,
      stale: report.stale.length,
      orphaned: report.orphaned.length,
      headed,
      ms: Math.round(performance.now() - started),
    };
    log.info('audit', { ...summary, outcome: 'done' });

    const metrics = emfMetrics('audit', options.namespace ?? METRICS_NAMESPACE, write);
    metrics.add(AUDIT_METRICS.missing, 'Count', summary.missing);
    metrics.add(AUDIT_METRICS.stale, 'Count', summary.stale);
    metrics.add(AUDIT_METRICS.orphaned, 'Count', summary.orphaned);
    metrics.add(AUDIT_METRICS.originals, 'Count', summary.originals);
    metrics.flush();
    return summary;
  };
}

let entry: ReturnType<typeof createAuditEntry> | undefined;

/** The Lambda handler (`index.handler`): settings from the environment, read on first use. */
export async function handler(event?: unknown, context?: { awsRequestId?: string }): Promise<AuditSummary> {
  entry ??= createAuditEntry(bulkSettingsFromEnv(), { namespace: optionalEnv('METRICS_NAMESPACE', METRICS_NAMESPACE) });
  return entry(event, context);
}
