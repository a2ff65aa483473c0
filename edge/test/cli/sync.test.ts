import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openManifest } from '../../src/cli/manifest.js';
import { createProgress } from '../../src/cli/progress.js';
import { runSync } from '../../src/cli/sync.js';
import { resolveConfig } from '../../src/config.js';
import type { Storage } from '../../src/storage/types.js';
import {
  cleanup,
  jpeg,
  keysOf,
  localKind,
  pixelBombPng,
  runCli,
  type S3Kind,
  type StoreKind,
  s3Kind,
  tempDir,
  truncatedJpeg,
  writeTree,
} from './helpers.js';

const FRONT = 'Porsche 911 + Zubehör/Front links.jpg';
const LOGO = 'Ölwechsel/É+è 1.png';

let photo: Buffer;
let other: Buffer;
let logo: Buffer;

beforeAll(async () => {
  photo = await jpeg(64, 48);
  other = await jpeg(64, 48, '#2050c0');
  logo = await jpeg(40, 30).then(async (j) => (await import('sharp')).default(j).png().toBuffer());
});

afterAll(() => cleanup());

describe.each(['local', 's3'] as const)('vetrina sync to %s', (which) => {
  let kind: StoreKind;

  beforeAll(async () => {
    kind = which === 'local' ? localKind() : await s3Kind(['exchange']);
  });

  afterAll(async () => {
    if (which === 's3') await (kind as S3Kind).close();
  });

  /** Requests the CLI sent to S3 so far (always 0 for a local folder). */
  const requests = () => (which === 's3' ? (kind as S3Kind).proxy.requests.length : 0);
  const puts = () => (which === 's3' ? (kind as S3Kind).proxy.requests.filter((r) => r.method === 'PUT').length : 0);

  function setup(label: string) {
    const work = tempDir(label);
    const exportDir = join(work, 'export');
    const destination = kind.fresh(label);
    const manifest = join(work, 'manifest.json');
    const sync = (...extra: string[]) =>
      runCli(['sync', exportDir, destination, '--manifest', manifest, ...kind.options, ...extra]);
    return { work, exportDir, destination, manifest, sync, store: kind.open(destination) };
  }

  it('uploads valid images with their content type and rejects bad ones with their codes (exit 1)', async () => {
    const { work, exportDir, store, sync } = setup('mixed');
    writeTree(exportDir, {
      [FRONT]: photo,
      [LOGO]: logo,
      'bad/empty.jpg': Buffer.alloc(0),
      'bad/truncated.jpg': await truncatedJpeg(),
      'bad/notes.jpg': 'not an image, a text file\n',
      'bad/bomb.png': await pixelBombPng(),
      'odd/_r/w320-q80.jpg': photo,
    });
    const reportFile = join(work, 'report.json');

    const run = await sync('--report', reportFile);

    expect(run.code).toBe(1);
    const report = JSON.parse(readFileSync(reportFile, 'utf8'));
    expect(report.files).toBe(7);
    expect(report.uploaded).toEqual([FRONT, LOGO]);
    expect(report.rejected.map((r: { key: string; code: string }) => [r.key, r.code])).toEqual([
      ['bad/bomb.png', 'ORIGINAL_TOO_LARGE'],
      ['bad/empty.jpg', 'ORIGINAL_EMPTY'],
      ['bad/notes.jpg', 'ORIGINAL_UNSUPPORTED'],
      ['bad/truncated.jpg', 'ORIGINAL_CORRUPT'],
      ['odd/_r/w320-q80.jpg', 'BAD_KEY'],
    ]);
    expect(report.rejected[0].reason).toContain('20000×20000');
    expect(report).toMatchObject({ unchanged: 0, deleted: [], failed: [], interrupted: false, dryRun: false });
    expect(await keysOf(store)).toEqual([FRONT, LOGO]);
    const front = await store.get(FRONT);
    expect(front?.contentType).toBe('image/jpeg');
    expect(front?.body.equals(photo)).toBe(true);
    expect((await store.head(LOGO))?.contentType).toBe('image/png');
    expect(run.stderr).toContain('sync: 2 uploaded, 0 unchanged, 5 rejected, 0 deleted, 0 failed');
  });

  it('makes no upload and no request at all when nothing changed', async () => {
    const { exportDir, store, sync } = setup('rerun');
    writeTree(exportDir, { [FRONT]: photo, [LOGO]: logo });
    expect((await sync()).code).toBe(0);
    const before = requests();
    const stamp = which === 'local' ? (await store.head(FRONT))?.lastModified.getTime() : 0;

    const run = await sync('--json');

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ files: 2, uploaded: [], unchanged: 2, rejected: [] });
    expect(requests() - before).toBe(0);
    if (which === 'local') expect((await store.head(FRONT))?.lastModified.getTime()).toBe(stamp);
  });

  it('skips a touched file with the same bytes and uploads a changed one', async () => {
    const { exportDir, store, sync } = setup('changes');
    writeTree(exportDir, { 'a.jpg': photo, 'b.jpg': photo });
    await sync();
    writeTree(exportDir, { 'a.jpg': photo, 'b.jpg': other }, 1_800_000_000);
    const before = puts();

    const run = await sync('--json');
    const again = await sync('--json');

    expect(JSON.parse(run.stdout)).toMatchObject({ uploaded: ['b.jpg'], unchanged: 1 });
    expect(puts() - before).toBe(which === 's3' ? 1 : 0);
    expect((await store.get('b.jpg'))?.body.equals(other)).toBe(true);
    expect(JSON.parse(again.stdout)).toMatchObject({ uploaded: [], unchanged: 2 });
  });

  it('deletes destination keys that are not in the export with --delete', async () => {
    const { exportDir, store, sync } = setup('delete');
    writeTree(exportDir, { 'keep.jpg': photo });
    await store.put('gone/old photo.jpg', photo, { contentType: 'image/jpeg' });

    const run = await sync('--delete', '--json');

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ uploaded: ['keep.jpg'], deleted: ['gone/old photo.jpg'] });
    expect(await keysOf(store)).toEqual(['keep.jpg']);
  });

  it('writes nothing with --dry-run, not even the manifest', async () => {
    const { exportDir, store, manifest, sync } = setup('dry');
    writeTree(exportDir, { 'a.jpg': photo, 'bad.jpg': '' });
    await store.put('extra.jpg', photo, { contentType: 'image/jpeg' });

    const run = await sync('--dry-run', '--delete', '--json');

    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ dryRun: true, uploaded: ['a.jpg'], deleted: ['extra.jpg'] });
    expect(await keysOf(store)).toEqual(['extra.jpg']);
    expect(existsSync(manifest)).toBe(false);
    expect(run.stderr).toContain('sync: 1 would upload');
  });

  it('resumes an interrupted sync without uploading the finished files again', async () => {
    const { exportDir, destination, manifest, sync } = setup('resume');
    const files = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`car ${i}.jpg`, photo]));
    writeTree(exportDir, files);
    const controller = new AbortController();
    const store = abortAfterPuts(kind.open(destination), 3, controller);

    const first = await runSync({
      exportDir,
      destination: store,
      manifest: openManifest(manifest, identity(destination)),
      config: resolveConfig(),
      concurrency: 1,
      deleteExtraneous: false,
      dryRun: false,
      progress: createProgress('sync', { quiet: true }),
      signal: controller.signal,
    });
    const before = puts();
    const second = await sync('--json');

    expect(first.interrupted).toBe(true);
    expect(first.uploaded).toEqual(['car 0.jpg', 'car 1.jpg', 'car 2.jpg']);
    expect(JSON.parse(second.stdout)).toMatchObject({ uploaded: Object.keys(files).slice(3), unchanged: 3 });
    expect(puts() - before).toBe(which === 's3' ? 5 : 0);
  });

  it('keeps finished uploads after a crash that left no manifest snapshot', async () => {
    const { exportDir, destination, manifest, sync } = setup('crash');
    writeTree(exportDir, { 'a.jpg': photo, 'b.jpg': photo, 'c.jpg': photo });
    const controller = new AbortController();
    const journaled = openManifest(manifest, identity(destination));
    // A crash: the run ends without its final snapshot, only the journal is on disk.
    const crashing = { ...journaled, save: () => undefined };

    await runSync({
      exportDir,
      destination: abortAfterPuts(kind.open(destination), 2, controller),
      manifest: crashing,
      config: resolveConfig(),
      concurrency: 1,
      deleteExtraneous: false,
      dryRun: false,
      progress: createProgress('sync', { quiet: true }),
      signal: controller.signal,
    });
    const snapshotAfterCrash = existsSync(manifest);
    const resumed = await sync('--json');

    expect(snapshotAfterCrash).toBe(false);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ uploaded: ['c.jpg'], unchanged: 2 });
    expect(statSync(manifest).size).toBeGreaterThan(0);
  });

  /** The manifest identity the CLI uses for `destination` with this kind's options. */
  function identity(destination: string): string {
    if (which === 'local') return kind.open(destination).location;
    return `${destination}/ via ${(kind as S3Kind).proxy.endpoint}`;
  }
});

/** Wraps a store so that `controller` aborts right after the `n`th put has finished. */
function abortAfterPuts(store: Storage, n: number, controller: AbortController): Storage {
  let count = 0;
  return {
    ...store,
    location: store.location,
    async put(key, body, options) {
      const out = await store.put(key, body, options);
      count += 1;
      if (count === n) controller.abort();
      return out;
    },
  };
}
