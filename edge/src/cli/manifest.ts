/**
 * The sync manifest: what was last uploaded from each file of an export, so that a re-run
 * over unchanged files needs no hashing and no remote request at all.
 *
 * Two files: the snapshot (`{path}`, JSON) and a journal (`{path}.journal`: a line naming the
 * destination, then one JSON line per upload or deletion since the snapshot). Each finished upload is appended to the journal at
 * once, so a run killed at any point (Ctrl-C, a crash, `kill -9`) loses no finished upload; the
 * next run replays the journal and skips those files. `save` writes a new snapshot and empties
 * the journal.
 */
import { appendFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from './failures.js';

/** What is known of one uploaded file. */
export interface ManifestEntry {
  /** Bytes. */
  readonly size: number;
  /** Modification time in ms since the epoch, as `stat` gave it when the file was hashed. */
  readonly mtimeMs: number;
  /** Hex SHA-256 of the bytes uploaded. */
  readonly sha256: string;
}

/** An open manifest. */
export interface Manifest {
  /** The destination the entries were uploaded to; a manifest never serves another one. */
  readonly destination: string;
  /** The entry of `key`, if that file was uploaded before. */
  get(key: string): ManifestEntry | undefined;
  /** Every key with an entry. */
  keys(): string[];
  /** Records an upload (or a re-hash with the same bytes); journaled at once. */
  record(key: string, entry: ManifestEntry): void;
  /** Forgets a key whose object was deleted; journaled at once. */
  forget(key: string): void;
  /** Writes the snapshot atomically and empties the journal. */
  save(): void;
}

interface Snapshot {
  readonly version: 1;
  readonly destination: string;
  readonly entries: Record<string, ManifestEntry>;
}

type JournalLine = { k: string; e: ManifestEntry } | { k: string; d: 1 };

/**
 * Opens the manifest at `path` for `destination` (an identity such as
 * `s3://bucket/prefix/ via http://127.0.0.1:4568`). Starts empty when the file is missing or
 * belongs to another destination. With `readOnly` (dry runs) nothing is ever written.
 *
 * @throws UsageError when the snapshot is not valid JSON (the message says to delete it)
 */
export function openManifest(path: string, destination: string, options: { readOnly?: boolean } = {}): Manifest {
  const journalPath = `${path}.journal`;
  const entries = new Map<string, ManifestEntry>();
  const snapshot = readSnapshot(path);
  const ours = snapshot?.version === 1 && snapshot.destination === destination;
  if (ours) for (const [key, entry] of Object.entries(snapshot.entries ?? {})) entries.set(key, entry);
  // A journal of another destination is ignored here and replaced by the first append.
  let journalOpen = replayJournal(journalPath, destination, entries);

  const append = (line: JournalLine) => {
    if (options.readOnly) return;
    if (!journalOpen) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(journalPath, `${JSON.stringify({ destination })}\n`);
      journalOpen = true;
    }
    appendFileSync(journalPath, `${JSON.stringify(line)}\n`);
  };

  return {
    destination,
    get: (key) => entries.get(key),
    keys: () => [...entries.keys()],
    record(key, entry) {
      entries.set(key, { size: entry.size, mtimeMs: entry.mtimeMs, sha256: entry.sha256 });
      append({ k: key, e: entry });
    },
    forget(key) {
      if (entries.delete(key)) append({ k: key, d: 1 });
    },
    save() {
      if (options.readOnly) return;
      mkdirSync(dirname(path), { recursive: true });
      const temp = `${path}.${process.pid}.tmp`;
      const body: Snapshot = { version: 1, destination, entries: Object.fromEntries(entries) };
      writeFileSync(temp, JSON.stringify(body));
      renameSync(temp, path);
      rmSync(journalPath, { force: true });
      journalOpen = false;
    },
  };
}

function readSnapshot(path: string): Partial<Snapshot> | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`manifest ${path} cannot be read: ${(error as Error).message}`);
  }
  try {
    const parsed = JSON.parse(text) as Partial<Snapshot>;
    return typeof parsed.entries === 'object' && parsed.entries !== null ? parsed : {};
  } catch (error) {
    throw new UsageError(`manifest ${path} is not valid JSON; delete it to start over (${(error as Error).message})`);
  }
}

/** Applies the journal's lines to `entries`; false when there is no journal of `destination`. */
function replayJournal(journalPath: string, destination: string, entries: Map<string, ManifestEntry>): boolean {
  let text: string;
  try {
    text = readFileSync(journalPath, 'utf8');
  } catch {
    return false;
  }
  const [header, ...lines] = text.split('\n');
  try {
    if ((JSON.parse(header ?? '') as { destination?: unknown }).destination !== destination) return false;
  } catch {
    return false;
  }
  for (const raw of lines) {
    // The last line of a journal cut by a crash may be partial; it is the only one that can be.
    let line: JournalLine;
    try {
      line = JSON.parse(raw) as JournalLine;
    } catch {
      continue;
    }
    if ('d' in line) entries.delete(line.k);
    else if (line.e && typeof line.e.sha256 === 'string') entries.set(line.k, line.e);
  }
  return true;
}
