/**
 * `vetrina sync`: pushes an ERP export folder into the exchange store.
 *
 * Change detection is local: a file whose size and mtime match the manifest is skipped
 * without reading it; a file whose bytes hash to the manifest's hash is skipped without an
 * upload. So a re-run over an unchanged export makes no remote request at all. Every changed
 * file is validated before upload, so a zero-byte, truncated, non-image or oversized file
 * never reaches the bucket. Each finished upload is journaled at once (see `manifest.ts`), so
 * an interrupted or crashed run resumes without re-uploading anything.
 *
 * The manifest trusts the destination: an object deleted there by someone else is not
 * uploaded again until its file changes (or the manifest is deleted).
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { VetrinaError } from '../../../sdk/ts/src/errors.js';
import type { EdgeConfig } from '../config.js';
import type { Storage } from '../storage/types.js';
import { checkKey } from '../url/key-decoding.js';
import { isFatalStoreError, oneLine, UsageError } from './failures.js';
import type { Manifest } from './manifest.js';
import { runPool } from './pool.js';
import type { Progress } from './progress.js';
import { listAll } from './stores.js';
import { ORIGINAL_MIME, validateOriginal } from './validate.js';

/** What one sync needs. */
export interface SyncOptions {
  /** Absolute path of the export folder; every regular file below it is an original. */
  readonly exportDir: string;
  readonly destination: Storage;
  /** Opened for `destination`; read-only for a dry run. */
  readonly manifest: Manifest;
  /** Files below the export folder whose path starts with this are not synced (the manifest's own files). */
  readonly manifestPath?: string;
  readonly config: EdgeConfig;
  /** Files in flight (read, validated, uploaded), ≥ 1. */
  readonly concurrency: number;
  /** Also delete destination objects that are not in the export. */
  readonly deleteExtraneous: boolean;
  /** Validate and report, but upload, delete and record nothing. */
  readonly dryRun: boolean;
  readonly progress: Progress;
  /** Once aborted, no new file is started; the report says `interrupted`. */
  readonly signal?: AbortSignal;
}

/** One file the sync refused, with the catalogue code and the reason. */
export interface RejectedFile {
  readonly key: string;
  readonly code: string;
  readonly reason: string;
}

/** The JSON report of a sync (`--report`, `--json`); key lists are sorted. */
export interface SyncReport {
  /** Files found in the export. */
  readonly files: number;
  /** Keys uploaded (in a dry run: that would be uploaded). */
  readonly uploaded: string[];
  /** Files skipped because the destination already has their bytes. */
  readonly unchanged: number;
  /** Files not uploaded because they are not valid originals or their name is not a valid key. */
  readonly rejected: RejectedFile[];
  /** Destination keys deleted by `--delete` (in a dry run: that would be deleted). */
  readonly deleted: string[];
  /** Files that could not be read or uploaded. */
  readonly failed: Array<{ key: string; reason: string }>;
  readonly interrupted: boolean;
  readonly dryRun: boolean;
}

type Outcome = 'uploaded' | 'unchanged' | 'rejected' | 'failed';

/** Uploads between two snapshots of the manifest (the journal covers the time between). */
const SNAPSHOT_EVERY = 5_000;

/**
 * Runs one sync and returns its report. A bad or unreadable file is reported, never thrown.
 *
 * @throws VetrinaError `STORAGE_FAILED` when the destination is unreachable or refuses access
 *   (the files in flight finish first); UsageError for `--delete` over an empty export
 */
export async function runSync(options: SyncOptions): Promise<SyncReport> {
  const keys = await listExport(options.exportDir, options.manifestPath);
  if (options.deleteExtraneous && keys.length === 0) {
    throw new UsageError(`export folder ${options.exportDir} holds no files; --delete would empty the destination`);
  }
  options.progress.setTotal(keys.length);
  const report: SyncReport = {
    files: keys.length,
    uploaded: [],
    unchanged: 0,
    rejected: [],
    deleted: [],
    failed: [],
    interrupted: false,
    dryRun: options.dryRun,
  };
  let sinceSnapshot = 0;

  // The common case is a re-run over files that did not change: settle those with one
  // synchronous stat each before any worker starts (a no-change run over 160,000 files is then
  // a directory walk and a manifest read, with no read, hash or request).
  const pending = keys.filter((key) => {
    if (!unchangedByStat(key, options)) return true;
    (report as { unchanged: number }).unchanged += 1;
    options.progress.tick('unchanged');
    return false;
  });

  try {
    await runPool(
      pending,
      options.concurrency,
      async (key) => {
        const outcome = await syncFile(key, options, report);
        options.progress.tick(outcome);
        if (outcome === 'uploaded' && ++sinceSnapshot >= SNAPSHOT_EVERY) {
          sinceSnapshot = 0;
          options.manifest.save();
        }
      },
      options.signal,
    );
    (report as { interrupted: boolean }).interrupted = options.signal?.aborted ?? false;
    if (options.deleteExtraneous && !report.interrupted) await deleteExtraneous(new Set(keys), options, report);
  } finally {
    options.manifest.save();
  }
  report.uploaded.sort();
  report.rejected.sort((a, b) => (a.key < b.key ? -1 : 1));
  report.failed.sort((a, b) => (a.key < b.key ? -1 : 1));
  return report;
}

/** True when the manifest knows `key` with the size and mtime the file has now. */
function unchangedByStat(key: string, options: SyncOptions): boolean {
  const known = options.manifest.get(key);
  if (!known) return false;
  try {
    const { size, mtimeMs } = statSync(join(options.exportDir, ...key.split('/')));
    return known.size === size && known.mtimeMs === mtimeMs;
  } catch {
    return false;
  }
}

async function syncFile(key: string, options: SyncOptions, report: SyncReport): Promise<Outcome> {
  const counts = report as { unchanged: number };
  try {
    checkKey(key);
  } catch (error) {
    return reject(key, error, report);
  }

  const path = join(options.exportDir, ...key.split('/'));
  let size: number;
  let mtimeMs: number;
  let body: Buffer;
  const known = options.manifest.get(key);
  try {
    ({ size, mtimeMs } = await stat(path));
    if (known && known.size === size && known.mtimeMs === mtimeMs) {
      counts.unchanged += 1;
      return 'unchanged';
    }
    body = await readFile(path);
  } catch (error) {
    // Vanished or unreadable since the listing: a problem of this file, not of the run.
    report.failed.push({ key, reason: `read ${path}: ${oneLine(error)}` });
    return 'failed';
  }

  const sha256 = createHash('sha256').update(body).digest('hex');
  if (known && known.sha256 === sha256) {
    // Touched, same bytes: remember the new mtime so the next run skips it without hashing.
    if (!options.dryRun) options.manifest.record(key, { size, mtimeMs, sha256 });
    counts.unchanged += 1;
    return 'unchanged';
  }

  let format: keyof typeof ORIGINAL_MIME;
  try {
    format = await validateOriginal(body, options.config);
  } catch (error) {
    return reject(key, error, report);
  }
  if (options.dryRun) {
    report.uploaded.push(key);
    return 'uploaded';
  }

  try {
    await options.destination.put(key, body, { contentType: ORIGINAL_MIME[format] });
  } catch (error) {
    if (isFatalStoreError(error)) throw error;
    report.failed.push({ key, reason: oneLine(error) });
    return 'failed';
  }
  options.manifest.record(key, { size, mtimeMs, sha256 });
  report.uploaded.push(key);
  return 'uploaded';
}

function reject(key: string, error: unknown, report: SyncReport): Outcome {
  const code = error instanceof VetrinaError ? error.code : 'ORIGINAL_CORRUPT';
  report.rejected.push({ key, code, reason: oneLine(error) });
  return 'rejected';
}

async function deleteExtraneous(present: Set<string>, options: SyncOptions, report: SyncReport): Promise<void> {
  const extraneous = (await listAll(options.destination, '')).map((o) => o.key).filter((key) => !present.has(key));
  if (!options.dryRun && extraneous.length > 0) {
    await options.destination.delete(extraneous);
    for (const key of extraneous) options.manifest.forget(key);
  }
  report.deleted.push(...extraneous.sort());
}

/**
 * Every regular file under `dir` as a key (its `/`-separated relative path), sorted. Skips
 * names starting with `.`, names ending in `.tmp` (files being written by an exporter),
 * symbolic links, and files whose path starts with `exclude`.
 *
 * @throws UsageError when `dir` is not a readable folder
 */
export async function listExport(dir: string, exclude?: string): Promise<string[]> {
  let entries: Awaited<ReturnType<typeof readdirFiles>>;
  try {
    entries = await readdirFiles(dir);
  } catch (error) {
    throw new UsageError(`export folder ${dir} cannot be read: ${oneLine(error)}`);
  }
  const keys: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    if (exclude && full.startsWith(exclude)) continue;
    const key = relative(dir, full).split(sep).join('/');
    if (key.split('/').some((name) => name.startsWith('.')) || entry.name.endsWith('.tmp')) continue;
    keys.push(key);
  }
  return keys.sort();
}

function readdirFiles(dir: string) {
  return readdir(dir, { recursive: true, withFileTypes: true });
}
