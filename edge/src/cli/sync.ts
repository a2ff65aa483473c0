/**
 * `vetrina sync`: pushes an ERP export folder into the exchange store.
 *
 * Change detection is local: a file whose size and mtime match the manifest is skipped
 * without reading it; a file whose bytes hash to the manifest's hash is skipped without an
 * upload. Every changed file is validated before upload, so a zero-byte, truncated or
 * oversized export never reaches the bucket. The manifest is saved as uploads finish, so an
 * interrupted run resumes without re-uploading anything.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { FORMAT_MIME } from '../../../sdk/ts/src/config.js';
import { VetrinaError } from '../../../sdk/ts/src/errors.js';
import type { EdgeConfig } from '../config.js';
import type { Storage } from '../storage/types.js';
import { type Manifest, saveManifest } from './manifest.js';
import { runPool } from './pool.js';
import type { Progress } from './progress.js';
import { validateOriginal } from './validate.js';

export interface SyncOptions {
  readonly exportDir: string;
  readonly destination: Storage;
  readonly manifest: Manifest;
  readonly manifestPath: string;
  readonly config: EdgeConfig;
  /** Uploads in flight. */
  readonly concurrency: number;
  /** Also delete destination objects that are not in the export. */
  readonly deleteExtraneous: boolean;
  readonly dryRun: boolean;
  readonly progress: Progress;
  readonly signal?: AbortSignal;
}

/** One file the sync refused, with the catalogue code and the reason. */
export interface RejectedFile {
  readonly key: string;
  readonly code: string;
  readonly reason: string;
}

export interface SyncReport {
  readonly files: number;
  readonly uploaded: string[];
  readonly unchanged: number;
  readonly rejected: RejectedFile[];
  readonly deleted: string[];
  readonly failed: Array<{ key: string; reason: string }>;
  readonly interrupted: boolean;
  readonly dryRun: boolean;
}

const MANIFEST_SAVE_EVERY = 50;

/** Runs one sync and returns its report; never throws for a bad file, only for a bad store. */
export async function runSync(options: SyncOptions): Promise<SyncReport> {
  const { manifest, progress } = options;
  const keys = await listExport(options.exportDir, options.manifestPath);
  progress.setTotal(keys.length);

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
  let sinceSave = 0;

  await runPool(
    keys,
    options.concurrency,
    async (key) => {
      const outcome = await syncFile(key, options, report);
      progress.tick(outcome);
      if (outcome === 'uploaded' && ++sinceSave >= MANIFEST_SAVE_EVERY && !options.dryRun) {
        sinceSave = 0;
        saveManifest(options.manifestPath, manifest);
      }
    },
    options.signal,
  );
  (report as { interrupted: boolean }).interrupted = options.signal?.aborted ?? false;

  if (options.deleteExtraneous && !report.interrupted) {
    await deleteExtraneous(new Set(keys), options, report);
  }
  if (!options.dryRun) saveManifest(options.manifestPath, manifest);
  return report;
}

async function syncFile(key: string, options: SyncOptions, report: SyncReport): Promise<string> {
  const path = join(options.exportDir, ...key.split('/'));
  const entries = options.manifest.entries;
  const known = entries[key];
  const info = await stat(path);
  if (known && known.size === info.size && known.mtimeMs === info.mtimeMs) {
    (report as { unchanged: number }).unchanged += 1;
    return 'unchanged';
  }

  const body = await readFile(path);
  const sha256 = createHash('sha256').update(body).digest('hex');
  if (known && known.sha256 === sha256) {
    entries[key] = { size: info.size, mtimeMs: info.mtimeMs, sha256 };
    (report as { unchanged: number }).unchanged += 1;
    return 'unchanged';
  }

  let format: keyof typeof FORMAT_MIME | string;
  try {
    format = await validateOriginal(body, options.config);
  } catch (error) {
    const code = error instanceof VetrinaError ? error.code : 'ORIGINAL_CORRUPT';
    report.rejected.push({ key, code, reason: (error as Error).message });
    return 'rejected';
  }

  if (options.dryRun) {
    report.uploaded.push(key);
    return 'uploaded';
  }
  try {
    const contentType = FORMAT_MIME[format as keyof typeof FORMAT_MIME] ?? `image/${format}`;
    await options.destination.put(key, body, { contentType });
  } catch (error) {
    if (error instanceof VetrinaError && error.code === 'STORAGE_FAILED' && report.uploaded.length === 0) throw error;
    report.failed.push({ key, reason: (error as Error).message });
    return 'failed';
  }
  entries[key] = { size: info.size, mtimeMs: info.mtimeMs, sha256 };
  report.uploaded.push(key);
  return 'uploaded';
}

async function deleteExtraneous(present: Set<string>, options: SyncOptions, report: SyncReport): Promise<void> {
  const extraneous: string[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await options.destination.list('', continuationToken ? { continuationToken } : {});
    for (const object of page.objects) if (!present.has(object.key)) extraneous.push(object.key);
    continuationToken = page.continuationToken;
  } while (continuationToken);

  if (!options.dryRun && extraneous.length > 0) await options.destination.delete(extraneous);
  for (const key of extraneous) delete options.manifest.entries[key];
  report.deleted.push(...extraneous);
}

/** Every regular file under `dir` as a key (`/`-separated relative path), sorted, manifest excluded. */
export async function listExport(dir: string, manifestPath?: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const keys: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    if (manifestPath && full === manifestPath) continue;
    if (entry.name.endsWith('.tmp') || entry.name.startsWith('.')) continue;
    keys.push(relative(dir, full).split(sep).join('/'));
  }
  return keys.sort();
}
