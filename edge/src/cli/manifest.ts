/**
 * The sync manifest: what was last uploaded from each file of an export, so that a re-run
 * over unchanged files needs no hashing and no remote request at all.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** What is known of one uploaded file. */
export interface ManifestEntry {
  /** Bytes. */
  readonly size: number;
  /** Modification time in ms since the epoch, as `stat` gave it at upload. */
  readonly mtimeMs: number;
  /** Hex SHA-256 of the bytes uploaded. */
  readonly sha256: string;
}

export interface Manifest {
  readonly version: 1;
  /** The destination the entries were uploaded to; a manifest never serves another one. */
  readonly destination: string;
  readonly entries: Record<string, ManifestEntry>;
}

/** Reads a manifest, or starts an empty one when the file is missing or for another destination. */
export function loadManifest(path: string, destination: string): Manifest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, destination, entries: {} };
    throw new Error(`manifest ${path} is not valid JSON; delete it to start over (${(error as Error).message})`);
  }
  const manifest = parsed as Partial<Manifest>;
  if (manifest.version !== 1 || manifest.destination !== destination || typeof manifest.entries !== 'object') {
    return { version: 1, destination, entries: {} };
  }
  return { version: 1, destination, entries: { ...manifest.entries } };
}

/** Writes the manifest atomically (temp file + rename), so a crash never leaves half a file. */
export function saveManifest(path: string, manifest: Manifest): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(manifest));
  renameSync(temp, path);
}
