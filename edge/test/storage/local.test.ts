import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VetrinaError } from '../../../sdk/ts/src/errors.js';
import { createLocalStorage } from '../../src/storage/local.js';
import type { Storage } from '../../src/storage/types.js';

const md5 = (body: Buffer) => createHash('md5').update(body).digest('hex');
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
const SAMPLE = 'Porsche 911 – Autowäsche.jpg';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

async function listAll(store: Storage, prefix: string, limit: number): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  for (let page = 0; page < 100; page++) {
    const result = await store.list(prefix, { limit, ...(token ? { continuationToken: token } : {}) });
    keys.push(...result.objects.map((object) => object.key));
    token = result.continuationToken;
    if (!token) break;
  }
  return keys;
}

describe('createLocalStorage', () => {
  let parent: string;
  let root: string;
  let store: Storage;

  beforeEach(async () => {
    parent = await realpath(await mkdtemp(join(tmpdir(), 'vetrina-local-')));
    root = join(parent, 'bucket');
    store = createLocalStorage(root);
  });

  afterEach(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  it('follows a link to a file inside the root, but not a link outside it nor a link to a folder', async () => {
    await mkdir(join(root, 'cars'), { recursive: true });
    await writeFile(join(root, 'cars', 'front.jpg'), 'inside');
    await writeFile(join(parent, 'secret.txt'), 'outside');
    await symlink(join(root, 'cars', 'front.jpg'), join(root, 'cars', 'alias.jpg'));
    await symlink(join(parent, 'secret.txt'), join(root, 'cars', 'secret.jpg'));
    await symlink(root, join(root, 'loop'));

    const keys = (await store.list('')).objects.map((o) => o.key);
    const alias = await store.get('cars/alias.jpg');
    const secret = await store.get('cars/secret.jpg');

    expect(keys).toEqual(['cars/alias.jpg', 'cars/front.jpg']);
    expect(alias?.body.toString()).toBe('inside');
    expect(secret).toBeUndefined();
  });

  it('stores bytes with content type, cache control, metadata and an MD5 ETag', async () => {
    const body = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);

    const written = await store.put('fahrzeuge/4711/front.jpg/_r/w320-q80.jpg', body, {
      contentType: 'image/jpeg',
      cacheControl: 'public, max-age=31536000, immutable',
      metadata: { 'source-etag': 'abc', width: '320' },
    });
    const read = await store.get('fahrzeuge/4711/front.jpg/_r/w320-q80.jpg');

    expect(written.etag).toBe(md5(body));
    expect(read?.body.equals(body)).toBe(true);
    expect(read?.etag).toBe(md5(body));
    expect(read?.size).toBe(7);
    expect(read?.contentType).toBe('image/jpeg');
    expect(read?.cacheControl).toBe('public, max-age=31536000, immutable');
    expect(read?.metadata).toEqual({ 'source-etag': 'abc', width: '320' });
    expect(await store.head('fahrzeuge/4711/front.jpg/_r/w320-q80.jpg')).toMatchObject({ etag: md5(body), size: 7 });
    expect(await store.get('fahrzeuge/4711/missing.jpg')).toBeUndefined();
  });

  it('keeps every file of hostile keys inside the root and reads each key back', async () => {
    const keys = [
      '../../etc/passwd',
      'sub/..',
      '.',
      'a/../../../x',
      '/etc/passwd',
      'a\\..\\..\\b',
      'a//b',
      'a/b',
      'c/',
      '100%_neu.jpg',
      '100%25_neu.jpg',
      'ctl\u0001\u007f.jpg',
      '.hidden',
    ];

    for (const [index, key] of keys.entries()) await store.put(key, Buffer.from(`body ${index}`));
    const files = await filesUnder(parent);

    expect(files.every((file) => file.startsWith(`${root}/`))).toBe(true);
    for (const [index, key] of keys.entries()) {
      expect((await store.get(key))?.body.toString()).toBe(`body ${index}`);
    }
    expect((await listAll(store, '', 1000)).sort()).toEqual([...keys].sort());
  });

  it('keeps NFC and NFD keys, emoji and a 1000-byte key distinct and byte exact', async () => {
    const nfc = 'fahrzeuge/Kühler.jpg'.normalize('NFC');
    const nfd = 'fahrzeuge/Kühler.jpg'.normalize('NFD');
    const emoji = 'fahrzeuge/🚗 rot.jpg';
    const long = `lang/${'é'.repeat(497)}.jpg`;

    await store.put(nfc, Buffer.from('nfc'));
    await store.put(nfd, Buffer.from('nfd'));
    await store.put(emoji, Buffer.from('emoji'));
    await store.put(long, Buffer.from('long'));
    await store.put(`lang/${'d'.repeat(300)}/x.jpg`, Buffer.from('deep'));

    expect(Buffer.byteLength(long)).toBe(1003);
    expect((await store.get(nfc))?.body.toString()).toBe('nfc');
    expect((await store.get(nfd))?.body.toString()).toBe('nfd');
    expect((await store.get(emoji))?.body.toString()).toBe('emoji');
    expect((await store.get(long))?.body.toString()).toBe('long');
    expect(await listAll(store, 'lang/', 10)).toEqual([`lang/${'d'.repeat(300)}/x.jpg`, long]);
    expect(await listAll(store, 'fahrzeuge/K', 10)).toEqual([nfd, nfc].sort(byteOrder));
  });

  it('reads a folder filled by hand: plain files are objects, dot files are not', async () => {
    await mkdir(root, { recursive: true });
    await copyFile(join('examples/originals', SAMPLE), join(root, SAMPLE));
    await writeFile(join(root, '.DS_Store'), 'finder');

    const listed = await store.list('');
    const read = await store.get(SAMPLE);

    expect(listed.objects.map((object) => object.key)).toEqual([SAMPLE]);
    expect(read?.size).toBe(68135);
    expect(read?.contentType).toBe('image/jpeg');
    expect(read?.etag).toBe(md5(read?.body ?? Buffer.alloc(0)));
    expect(read?.metadata).toEqual({});
  });

  it('does not list its own sidecars and temporary files', async () => {
    await store.put('a/b.jpg', Buffer.from('x'), { metadata: { 'cache-tag': 't' } });

    const listed = await store.list('');
    const onDisk = await filesUnder(root);

    expect(listed.objects.map((object) => object.key)).toEqual(['a/b.jpg']);
    expect(onDisk.some((file) => file.endsWith('.b.jpg.vmeta.json'))).toBe(true);
  });

  it('lists in UTF-8 byte order across folders, page by page', async () => {
    const keys = ['z', 'é', 'ä/x', 'a-c', 'a/b/c', 'B', 'a b', 'a//d', 'x/', 'aa/b'];
    for (const key of keys) await store.put(key, Buffer.from(key));

    const pagedBy2 = await listAll(store, '', 2);
    const pagedBy1000 = await listAll(store, '', 1000);
    const underA = await listAll(store, 'a/', 1);
    const startingA = await listAll(store, 'a', 3);

    expect(pagedBy2).toEqual(['B', 'a b', 'a-c', 'a//d', 'a/b/c', 'aa/b', 'x/', 'z', 'ä/x', 'é']);
    expect(pagedBy1000).toEqual(pagedBy2);
    expect(underA).toEqual(['a//d', 'a/b/c']);
    expect(startingA).toEqual(['a b', 'a-c', 'a//d', 'a/b/c', 'aa/b']);
  });

  it('never shows a partial object while puts race, even from two store instances', async () => {
    const other = createLocalStorage(root);
    const bodies = Array.from({ length: 12 }, (_, i) => Buffer.alloc(64 * 1024 + i * 4096, i + 1));
    await store.put('race.jpg', bodies[0] as Buffer);

    const seen: Array<{ size: number; etag: string; whole: boolean }> = [];
    const reads = (async () => {
      for (let i = 0; i < 40; i++) {
        const object = await store.get('race.jpg');
        if (object) {
          const whole = bodies.some((body) => body.equals(object.body));
          seen.push({ size: object.size, etag: object.etag, whole: whole && object.etag === md5(object.body) });
        }
      }
    })();
    await Promise.all([
      ...bodies.map((body, i) => (i % 2 ? other : store).put('race.jpg', body, { metadata: { n: String(i) } })),
      reads,
    ]);
    const final = await store.get('race.jpg');

    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((read) => read.whole)).toBe(true);
    expect(bodies.some((body) => body.equals(final?.body ?? Buffer.alloc(0)))).toBe(true);
    expect(final?.etag).toBe(md5(final?.body ?? Buffer.alloc(0)));
    expect((await readdir(join(root, '.vetrina-tmp'))).length).toBe(0);
  });

  it('deletes many keys, counts only those that existed and removes emptied folders', async () => {
    await store.put('x/_r/w320-q80.jpg', Buffer.from('1'));
    await store.put('x/_r/w800-q80.jpg', Buffer.from('2'));
    await store.put('y.jpg', Buffer.from('3'));

    const deleted = await store.delete(['x/_r/w320-q80.jpg', 'x/_r/w800-q80.jpg', 'nope.jpg']);

    expect(deleted).toBe(2);
    expect((await store.list('x/')).objects).toEqual([]);
    expect((await readdir(root)).filter((name) => !name.startsWith('.'))).toEqual(['y.jpg']);
  });

  it('honours ifNoneMatch and ifMatch', async () => {
    const first = await store.put('k.jpg', Buffer.from('one'), { ifNoneMatch: '*' });

    const again = store.put('k.jpg', Buffer.from('two'), { ifNoneMatch: '*' });
    const stale = store.put('k.jpg', Buffer.from('two'), { ifMatch: 'not-the-etag' });

    await expect(again).rejects.toMatchObject({ name: 'WriteConflictError', code: 'STORAGE_FAILED' });
    await expect(stale).rejects.toMatchObject({ name: 'WriteConflictError' });
    expect((await store.put('k.jpg', Buffer.from('two'), { ifMatch: first.etag })).etag).toBe(md5(Buffer.from('two')));
  });

  it('refuses a key that is an object and a folder at once, and keys S3 would refuse', async () => {
    await store.put('a.jpg', Buffer.from('file'));

    const nested = store.put('a.jpg/b', Buffer.from('nested'));
    const tooLong = store.put('k'.repeat(1025), Buffer.from('x'));
    const metadata = store.put('m.jpg', Buffer.from('x'), { metadata: { 'Source-Key': 'x' } });

    await expect(nested).rejects.toMatchObject({ code: 'STORAGE_FAILED' });
    await expect(tooLong).rejects.toBeInstanceOf(VetrinaError);
    await expect(tooLong).rejects.toMatchObject({ code: 'KEY_TOO_LONG' });
    await expect(metadata).rejects.toMatchObject({ code: 'STORAGE_FAILED' });
    expect((await store.get('a.jpg'))?.body.toString()).toBe('file');
  });
});
