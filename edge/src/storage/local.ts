/**
 * A bucket in a local folder, for the emulator and the command-line tools.
 *
 * Layout under `root`:
 * - an object with key `a/b/c.jpg` is the plain file `root/a/b/c.jpg`: each key segment is
 *   one file or folder name, encoded only where it must be (see `local-names.ts`). So a
 *   folder of originals filled by hand is a bucket as it is: `Porsche 911 – Autowäsche.jpg`
 *   is the key `Porsche 911 – Autowäsche.jpg`.
 * - what S3 keeps besides the bytes (content type, cache control, user metadata, ETag) sits
 *   in a sidecar next to the file, `.c.jpg.vmeta.json`. A file without a sidecar (put there
 *   by hand) has a content type guessed from its extension and no user metadata.
 * - names starting with `.` are never objects: sidecars, `.vetrina-tmp/` (writes in
 *   progress), `.vetrina-segment` (the text of a hashed folder name), and stray files such
 *   as `.DS_Store`. So listing never shows the store's own files.
 *
 * The ETag is the MD5 of the bytes, the value S3 gives a single-part upload. Writes go to a
 * temporary file and are renamed into place (sidecar first, then data), so readers see the
 * old object or the new one; a sidecar only counts for the file it was written with (same
 * inode, size and mtime). Puts and deletes of one key are serialised within the process, which
 * also makes `ifMatch`/`ifNoneMatch` atomic there (not across processes sharing a folder).
 *
 * Limits: a key cannot be both an object and a folder (`a` and `a/b`); such a put throws
 * `STORAGE_FAILED`. Keys differing only in letter case collide on case-insensitive file
 * systems. Symbolic links to files inside `root` are followed; links to folders (a loop
 * waiting to happen) and links that resolve outside `root` are not objects. Files whose names are not the
 * canonical encoding of a key (e.g. a name over 240 bytes, or `Front%20links.jpg`, which
 * would be written `Front%2520links.jpg`) are not objects.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Dirent, Stats } from 'node:fs';
import { mkdir, open, readdir, readFile, realpath, rename, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { VetrinaError } from '../../../sdk/ts/src/errors.js';
import { keyBytes } from '../../../sdk/ts/src/key-encoding.js';
import { decodeName, encodeSegment, isHashedName } from './local-names.js';
import { WriteConflictError } from './s3-errors.js';
import type { ListPage, PutOptions, Storage, StoredObject, StoredObjectInfo } from './types.js';

const TMP_DIR = '.vetrina-tmp';
const SEGMENT_FILE = '.vetrina-segment';
const MAX_S3_KEY_BYTES = 1024;
const MAX_PAGE = 1000;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.gif': 'image/gif',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.svg': 'image/svg+xml',
  '.heic': 'image/heic',
  '.heif': 'image/heif',
};

interface Sidecar {
  readonly key: string;
  readonly etag: string;
  readonly size: number;
  readonly ino: number;
  readonly mtimeMs: number;
  readonly contentType?: string;
  readonly cacheControl?: string;
  readonly metadata: Record<string, string>;
}

interface Location {
  readonly dir: string;
  readonly file: string;
  readonly sidecar: string;
  /** Folder names from `root` down, with the segment each stands for. */
  readonly folders: ReadonlyArray<{ readonly path: string; readonly segment: string; readonly hashed: boolean }>;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const md5 = (body: Buffer) => createHash('md5').update(body).digest('hex');
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
const errno = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function storageFailed(action: string, key: string, cause: unknown): VetrinaError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new VetrinaError('STORAGE_FAILED', `local store: ${action} of key "${key}" failed: ${reason}`, { cause });
}

function checkMetadata(key: string, metadata: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(metadata)) {
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(name)) {
      throw storageFailed('put', key, `metadata name "${name}": expected lower-case letters, digits, "-", "." or "_"`);
    }
    if (!/^[\x20-\x7e]*$/.test(value)) {
      throw storageFailed('put', key, `metadata "${name}": expected printable ASCII, got ${JSON.stringify(value)}`);
    }
  }
}

/**
 * Opens (without creating) a bucket in the folder `root`. Keys are S3 keys of 1–1024 bytes,
 * used byte for byte; no key can name a path outside `root`. Missing objects read as
 * `undefined`; file-system failures throw `VetrinaError('STORAGE_FAILED')`; a put with a key
 * that S3 would refuse (empty, over 1024 bytes, lone surrogates) throws `BAD_KEY` or
 * `KEY_TOO_LONG`.
 */
export function createLocalStorage(root: string): Storage {
  const base = resolve(root);
  const locks = new Map<string, Promise<unknown>>();
  const hashes = new Map<string, { ino: number; size: number; mtimeMs: number; etag: string }>();

  let realBase: string | undefined;

  /** False when `path` resolves (through links) outside the root; missing paths count as inside. */
  async function insideRoot(path: string): Promise<boolean> {
    try {
      realBase ??= await realpath(base);
      const real = await realpath(path);
      return real === realBase || real.startsWith(`${realBase}${sep}`);
    } catch {
      return true;
    }
  }

  function locate(key: string): Location | undefined {
    if (key === '' || LONE_SURROGATE.test(key) || keyBytes(key) > MAX_S3_KEY_BYTES) return undefined;

    const segments = key.split('/');
    const leaf = encodeSegment(segments.pop() ?? '');
    const folders: Array<Location['folders'][number]> = [];
    let dir = base;
    for (const segment of segments) {
      const name = encodeSegment(segment);
      dir = join(dir, name);
      folders.push({ path: dir, segment, hashed: isHashedName(name) });
    }
    return { dir, file: join(dir, leaf), sidecar: join(dir, `.${leaf}.vmeta.json`), folders };
  }

  function locateForWrite(key: string): Location {
    if (key === '' || LONE_SURROGATE.test(key)) {
      throw new VetrinaError(
        'BAD_KEY',
        `local store: key must be non-empty well-formed UTF-16, got ${JSON.stringify(key)}`,
      );
    }
    const location = locate(key);
    if (!location) {
      throw new VetrinaError('KEY_TOO_LONG', `local store: key must be at most 1024 bytes, got ${keyBytes(key)}`);
    }
    return location;
  }

  /** Runs `task` after every earlier task on the same key has settled. */
  function serialised<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = locks.get(key) ?? Promise.resolve();
    const run = previous.then(task, task);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    locks.set(key, settled);
    void settled.then(() => {
      if (locks.get(key) === settled) locks.delete(key);
    });
    return run;
  }

  async function readSidecar(location: Location, stats: Stats): Promise<Sidecar | undefined> {
    let sidecar: Sidecar;
    try {
      sidecar = JSON.parse(await readFile(location.sidecar, 'utf8')) as Sidecar;
    } catch {
      return undefined;
    }
    const current = sidecar.ino === stats.ino && sidecar.size === stats.size && sidecar.mtimeMs === stats.mtimeMs;
    return current ? sidecar : undefined;
  }

  async function contentHash(file: string, stats: Stats, body?: Buffer): Promise<string> {
    const cached = hashes.get(file);
    if (cached && cached.ino === stats.ino && cached.size === stats.size && cached.mtimeMs === stats.mtimeMs) {
      return cached.etag;
    }
    const etag = md5(body ?? (await readFile(file)));
    if (hashes.size >= 10_000) hashes.clear();
    hashes.set(file, { ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs, etag });
    return etag;
  }

  async function describe(key: string, location: Location, stats: Stats, body?: Buffer): Promise<StoredObjectInfo> {
    let sidecar = await readSidecar(location, stats);
    // A put in progress renames the sidecar before the data; give it a moment to finish.
    for (let attempt = 0; !sidecar && attempt < 3 && (await hasSidecar(location)); attempt++) {
      await sleep(5);
      const now = await stat(location.file).catch(() => undefined);
      if (!now || now.ino !== stats.ino) break;
      sidecar = await readSidecar(location, stats);
    }
    const contentType = sidecar?.contentType ?? CONTENT_TYPES[extname(key).toLowerCase()];
    return {
      key,
      size: stats.size,
      etag: sidecar?.etag ?? (await contentHash(location.file, stats, body)),
      lastModified: stats.mtime,
      ...(contentType ? { contentType } : {}),
      ...(sidecar?.cacheControl ? { cacheControl: sidecar.cacheControl } : {}),
      metadata: sidecar?.metadata ?? {},
    };
  }

  async function hasSidecar(location: Location): Promise<boolean> {
    return stat(location.sidecar).then(
      () => true,
      () => false,
    );
  }

  async function ensureFolders(location: Location): Promise<void> {
    for (const folder of location.folders) {
      await mkdir(folder.path).catch((error: unknown) => {
        if (errno(error) !== 'EEXIST') throw error;
      });
      if (folder.hashed) {
        const marker = join(folder.path, SEGMENT_FILE);
        if (!(await stat(marker).catch(() => undefined))) {
          const temp = join(base, TMP_DIR, randomUUID());
          await writeFile(temp, folder.segment, { flag: 'wx' });
          await rename(temp, marker);
        }
      }
    }
  }

  async function writeObject(key: string, body: Buffer, options: PutOptions): Promise<StoredObjectInfo> {
    const location = locateForWrite(key);
    const metadata = { ...options.metadata };
    checkMetadata(key, metadata);
    if (options.ifMatch !== undefined || options.ifNoneMatch !== undefined) {
      const current = await info(key);
      if (options.ifNoneMatch === '*' && current) throw new WriteConflictError(key, 'If-None-Match: *');
      if (options.ifMatch !== undefined && current?.etag !== options.ifMatch) {
        throw new WriteConflictError(key, `If-Match: ${options.ifMatch}`);
      }
    }

    const tempData = join(base, TMP_DIR, randomUUID());
    const tempSidecar = `${tempData}.vmeta.json`;
    try {
      await mkdir(join(base, TMP_DIR), { recursive: true });
      await writeFile(tempData, body, { flag: 'wx' });
      const stats = await stat(tempData);
      const sidecar: Sidecar = {
        key,
        etag: md5(body),
        size: stats.size,
        ino: stats.ino,
        mtimeMs: stats.mtimeMs,
        ...(options.contentType ? { contentType: options.contentType } : {}),
        ...(options.cacheControl ? { cacheControl: options.cacheControl } : {}),
        metadata,
      };
      await writeFile(tempSidecar, JSON.stringify(sidecar), { flag: 'wx' });

      // A concurrent delete may prune an empty folder between mkdir and rename: try again.
      for (let attempt = 1; ; attempt++) {
        try {
          await ensureFolders(location);
          await rename(tempSidecar, location.sidecar);
          await rename(tempData, location.file);
          break;
        } catch (error) {
          if (errno(error) !== 'ENOENT' || attempt >= 3) throw error;
        }
      }
      return await describe(key, location, stats);
    } catch (error) {
      await rm(tempData, { force: true }).catch(() => undefined);
      await rm(tempSidecar, { force: true }).catch(() => undefined);
      if (error instanceof VetrinaError) throw error;
      const code = errno(error);
      if (code === 'EISDIR' || code === 'ENOTDIR' || code === 'EEXIST' || code === 'ENOTEMPTY') {
        throw storageFailed('put', key, 'the key is a folder of other keys, or a prefix of it is an object');
      }
      throw storageFailed('put', key, error);
    }
  }

  async function removeObject(key: string): Promise<boolean> {
    const location = locate(key);
    if (!location) return false;

    let deleted = true;
    try {
      await unlink(location.file);
    } catch (error) {
      const code = errno(error);
      if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'EISDIR' && code !== 'EPERM') {
        throw storageFailed('delete', key, error);
      }
      deleted = false;
    }
    await rm(location.sidecar, { force: true }).catch(() => undefined);
    if (deleted) await prune(location.dir);
    return deleted;
  }

  /** Removes folders left empty by a delete, up to (never including) `root`. */
  async function prune(dir: string): Promise<void> {
    for (let current = dir; current.startsWith(base + sep); current = dirname(current)) {
      try {
        const entries = await readdir(current);
        if (entries.length > 1 || (entries.length === 1 && entries[0] !== SEGMENT_FILE)) return;
        if (entries.length === 1) await unlink(join(current, SEGMENT_FILE));
        await rmdir(current);
      } catch {
        return;
      }
    }
  }

  /** The segment an entry stands for, resolving hashed names; `undefined` when it is no key. */
  async function entrySegment(dir: string, entry: Dirent<Buffer>, isDir: boolean): Promise<string | undefined> {
    const decoded = decodeName(entry.name);
    if (decoded !== undefined) return decoded;

    const name = entry.name.toString('utf8');
    if (!isHashedName(name)) return undefined;
    try {
      const segment = isDir
        ? await readFile(join(dir, name, SEGMENT_FILE), 'utf8')
        : (JSON.parse(await readFile(join(dir, `.${name}.vmeta.json`), 'utf8')) as Sidecar).key.split('/').pop();
      return segment !== undefined && encodeSegment(segment) === name ? segment : undefined;
    } catch {
      return undefined;
    }
  }

  /** Keys under `dir` in UTF-8 byte order, after `after`, whose last level starts with `partial`. */
  async function* walk(dir: string, keyPrefix: string, partial: string, after?: string): AsyncGenerator<string> {
    let entries: Dirent<Buffer>[];
    try {
      entries = await readdir(dir, { withFileTypes: true, encoding: 'buffer' });
    } catch (error) {
      const code = errno(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      throw storageFailed('list', keyPrefix, error);
    }

    const children: Array<{ segment: string; name: string; isDir: boolean; order: Buffer }> = [];
    for (const entry of entries) {
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const path = join(dir, entry.name.toString('utf8'));
        const target = (await insideRoot(path)) ? await stat(path).catch(() => undefined) : undefined;
        isDir = false;
        isFile = target?.isFile() ?? false;
      }
      if (!isDir && !isFile) continue;
      const segment = await entrySegment(dir, entry, isDir);
      if (segment === undefined || !segment.startsWith(partial)) continue;
      // A folder sorts as `segment/`, so `a-c` (0x2D) comes before everything under `a/` (0x2F).
      const order = Buffer.from(isDir ? `${segment}/` : segment, 'utf8');
      children.push({ segment, name: entry.name.toString('utf8'), isDir, order });
    }
    children.sort((a, b) => Buffer.compare(a.order, b.order));

    for (const child of children) {
      const key = keyPrefix + child.segment;
      if (!child.isDir) {
        if (after === undefined || byteOrder(key, after) > 0) yield key;
        continue;
      }
      const folder = `${key}/`;
      if (after !== undefined && byteOrder(folder, after) < 0 && !after.startsWith(folder)) continue;
      yield* walk(join(dir, child.name), folder, '', after);
    }
  }

  async function info(key: string): Promise<StoredObjectInfo | undefined> {
    const location = locate(key);
    if (!location || !(await insideRoot(location.file))) return undefined;
    try {
      const stats = await stat(location.file);
      return stats.isFile() ? await describe(key, location, stats) : undefined;
    } catch (error) {
      const code = errno(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw storageFailed('head', key, error);
    }
  }

  return {
    location: pathToFileURL(base).href,

    async get(key: string): Promise<StoredObject | undefined> {
      const location = locate(key);
      if (!location) return undefined;
      if (!(await insideRoot(location.file))) return undefined;
      let handle: Awaited<ReturnType<typeof open>> | undefined;
      try {
        handle = await open(location.file, 'r');
        const stats = await handle.stat();
        if (!stats.isFile()) return undefined;
        const body = await handle.readFile();
        return { ...(await describe(key, location, stats, body)), body };
      } catch (error) {
        const code = errno(error);
        if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
        throw storageFailed('get', key, error);
      } finally {
        await handle?.close();
      }
    },

    head: info,

    put(key: string, body: Buffer, options: PutOptions = {}): Promise<StoredObjectInfo> {
      return serialised(key, () => writeObject(key, body, options));
    },

    async list(prefix: string, options: { continuationToken?: string; limit?: number } = {}): Promise<ListPage> {
      const limit = Math.min(Math.max(Math.trunc(options.limit ?? MAX_PAGE), 1), MAX_PAGE);
      const after = options.continuationToken
        ? Buffer.from(options.continuationToken, 'base64url').toString('utf8')
        : undefined;
      const cut = prefix.lastIndexOf('/');
      const folders = cut < 0 ? [] : prefix.slice(0, cut).split('/');
      const dir = join(base, ...folders.map(encodeSegment));

      const keys: string[] = [];
      for await (const key of walk(dir, prefix.slice(0, cut + 1), prefix.slice(cut + 1), after)) {
        keys.push(key);
        if (keys.length > limit) break;
      }

      const page = keys.slice(0, limit);
      const objects: StoredObjectInfo[] = [];
      for (const key of page) {
        const object = await info(key);
        if (object) objects.push(object);
      }
      const last = page[page.length - 1];
      return keys.length > limit && last !== undefined
        ? { objects, continuationToken: Buffer.from(last, 'utf8').toString('base64url') }
        : { objects };
    },

    async delete(keys: readonly string[]): Promise<number> {
      let deleted = 0;
      for (const key of new Set(keys)) {
        if (await serialised(key, () => removeObject(key))) deleted++;
      }
      return deleted;
    },
  };
}
