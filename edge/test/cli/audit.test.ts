import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, jpeg, keysOf, localKind, runCli, type S3Kind, type StoreKind, s3Kind } from './helpers.js';

const EAGER = ['w1600-q80.jpg', 'w320-cover-4x3-q80.jpg', 'w800-cover-4x3-q80.jpg'];
const renditionsOf = (key: string) => EAGER.map((d) => `${key}/_r/${d}`);

afterAll(() => cleanup());

describe.each(['local', 's3'] as const)('vetrina audit on %s', (which) => {
  let kind: StoreKind;

  beforeAll(async () => {
    kind = which === 'local' ? localKind() : await s3Kind(['stores']);
  });

  afterAll(async () => {
    if (which === 's3') await (kind as S3Kind).close();
  });

  it('is clean after a backfill, then lists a missing, stale and orphaned rendition exactly and --fix repairs them', async () => {
    const exchangeAt = kind.fresh('audit-exchange');
    const renditionsAt = kind.fresh('audit-renditions');
    const exchange = kind.open(exchangeAt);
    const renditions = kind.open(renditionsAt);
    const photo = await jpeg(96, 72);
    for (const key of ['a/replaced.jpg', 'b/missing one.jpg', 'c/deleted+gone.jpg']) {
      await exchange.put(key, photo, { contentType: 'image/jpeg' });
    }
    const audit = (...extra: string[]) =>
      runCli(['audit', exchangeAt, renditionsAt, ...kind.options, '--json', ...extra]);
    await runCli(['backfill', exchangeAt, renditionsAt, ...kind.options, '--quiet']);

    const clean = await audit();
    await exchange.put('a/replaced.jpg', await jpeg(96, 72, '#30a030'), { contentType: 'image/jpeg' });
    await renditions.delete(['b/missing one.jpg/_r/w320-cover-4x3-q80.jpg']);
    await exchange.delete(['c/deleted+gone.jpg']);
    const dirty = await audit();
    const fixing = await audit('--fix');
    const after = await audit();

    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({
      originals: 3,
      renditions: 9,
      missing: [],
      stale: [],
      orphaned: [],
    });
    expect(dirty.code).toBe(1);
    expect(JSON.parse(dirty.stdout)).toMatchObject({
      originals: 2,
      renditions: 8,
      missing: ['b/missing one.jpg/_r/w320-cover-4x3-q80.jpg'],
      stale: renditionsOf('a/replaced.jpg'),
      orphaned: renditionsOf('c/deleted+gone.jpg'),
      fixed: null,
    });
    expect(fixing.code).toBe(0);
    expect(JSON.parse(fixing.stdout).fixed).toEqual({ rendered: 2, deleted: 3, failed: [] });
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout)).toMatchObject({
      originals: 2,
      renditions: 6,
      missing: [],
      stale: [],
      orphaned: [],
    });
    const thumb = await renditions.head('a/replaced.jpg/_r/w320-cover-4x3-q80.jpg');
    expect(thumb?.metadata['source-etag']).toBe((await exchange.head('a/replaced.jpg'))?.etag);
  });

  it('refuses swapped or identical stores with exit 2 and deletes nothing', async () => {
    const exchangeAt = kind.fresh('swap-exchange');
    const renditionsAt = kind.fresh('swap-renditions');
    const exchange = kind.open(exchangeAt);
    await exchange.put('a/front.jpg', await jpeg(96, 72), { contentType: 'image/jpeg' });
    await runCli(['backfill', exchangeAt, renditionsAt, ...kind.options, '--quiet']);

    const same = await runCli(['audit', exchangeAt, exchangeAt, ...kind.options, '--fix']);

    expect(same.code).toBe(2);
    expect(same.stderr).toMatch(/must not overlap/);
    expect(await keysOf(exchange)).toEqual(['a/front.jpg']);
  });

  it('lists originals found in the renditions store as foreign and never deletes them, even with --fix', async () => {
    const exchangeAt = kind.fresh('foreign-exchange');
    const renditionsAt = kind.fresh('foreign-renditions');
    const renditions = kind.open(renditionsAt);
    await kind.open(exchangeAt).put('a/front.jpg', await jpeg(96, 72), { contentType: 'image/jpeg' });
    await renditions.put('stray/original.jpg', await jpeg(96, 72), { contentType: 'image/jpeg' });

    const run = await runCli(['audit', exchangeAt, renditionsAt, ...kind.options, '--json', '--fix']);

    expect(JSON.parse(run.stdout)).toMatchObject({ foreign: ['stray/original.jpg'], orphaned: [] });
    expect(await keysOf(renditions)).toContain('stray/original.jpg');
  });
});
