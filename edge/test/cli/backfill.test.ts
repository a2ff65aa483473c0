import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../../src/storage/types.js';
import {
  cleanup,
  jpeg,
  keysOf,
  localKind,
  runCli,
  type S3Kind,
  type StoreKind,
  s3Kind,
  truncatedJpeg,
} from './helpers.js';

const BIG = 'fahrzeuge/4711/Front links.jpg';
const SMALL = 'fahrzeuge/4712/Heck+Seite.jpg';
const EAGER = ['w1600-q80.jpg', 'w320-cover-4x3-q80.jpg', 'w800-cover-4x3-q80.jpg'];

let big: Buffer;
let small: Buffer;

beforeAll(async () => {
  big = await jpeg(1700, 1275);
  small = await jpeg(400, 300);
});

afterAll(() => cleanup());

describe.each(['local', 's3'] as const)('vetrina backfill on %s', (which) => {
  let kind: StoreKind;

  beforeAll(async () => {
    kind = which === 'local' ? localKind() : await s3Kind(['stores']);
  });

  afterAll(async () => {
    if (which === 's3') await (kind as S3Kind).close();
  });

  const puts = () => (which === 's3' ? (kind as S3Kind).proxy.requests.filter((r) => r.method === 'PUT').length : 0);

  async function setup(label: string, originals: Record<string, Buffer>) {
    const exchangeAt = kind.fresh(`${label}-exchange`);
    const renditionsAt = kind.fresh(`${label}-renditions`);
    const exchange = kind.open(exchangeAt);
    for (const [key, body] of Object.entries(originals)) await exchange.put(key, body, { contentType: 'image/jpeg' });
    const backfill = () => runCli(['backfill', exchangeAt, renditionsAt, ...kind.options, '--json']);
    return { exchange, renditions: kind.open(renditionsAt), backfill };
  }

  it('makes the three eager renditions at their sizes with the source ETag, and reports bad originals', async () => {
    const { exchange, renditions, backfill } = await setup('sizes', {
      [BIG]: big,
      [SMALL]: small,
      'bad/cut.jpg': await truncatedJpeg(),
    });

    const run = await backfill();

    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ originals: 3, rendered: 2, renditionsWritten: 6, upToDate: 0, failed: [] });
    expect(report.rejected.map((r: { key: string; code: string }) => [r.key, r.code])).toEqual([
      ['bad/cut.jpg', 'ORIGINAL_CORRUPT'],
    ]);
    expect(await keysOf(renditions)).toEqual([
      ...EAGER.map((d) => `${BIG}/_r/${d}`),
      ...EAGER.map((d) => `${SMALL}/_r/${d}`),
    ]);
    expect(await sizes(renditions, BIG)).toEqual(['1600×1200', '320×240', '800×600']);
    expect(await sizes(renditions, SMALL)).toEqual(['400×300', '320×240', '400×300']);
    const etag = (await exchange.head(BIG))?.etag;
    const card = await renditions.head(`${BIG}/_r/w800-cover-4x3-q80.jpg`);
    expect(card?.metadata['source-etag']).toBe(etag);
    expect(card?.metadata).toMatchObject({ width: '800', height: '600' });
    expect(card?.contentType).toBe('image/jpeg');
  });

  it('renders nothing on a second run and re-renders an original replaced by new bytes', async () => {
    const { exchange, renditions, backfill } = await setup('rerun', { [BIG]: big, [SMALL]: small });
    await backfill();
    const before = puts();

    const second = await backfill();
    const afterSecond = puts();
    const replacement = await jpeg(400, 300, '#20c040');
    await exchange.put(SMALL, replacement, { contentType: 'image/jpeg' });
    const third = await backfill();

    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ rendered: 0, renditionsWritten: 0, upToDate: 2 });
    expect(afterSecond - before).toBe(0);
    expect(third.code).toBe(0);
    expect(JSON.parse(third.stdout)).toMatchObject({ rendered: 1, renditionsWritten: 3, upToDate: 1 });
    const thumb = await renditions.head(`${SMALL}/_r/w320-cover-4x3-q80.jpg`);
    expect(thumb?.metadata['source-etag']).toBe((await exchange.head(SMALL))?.etag);
    const { dominant } = await sharp((await renditions.get(`${SMALL}/_r/w320-cover-4x3-q80.jpg`))?.body).stats();
    expect(dominant.g).toBeGreaterThan(dominant.r);
  });
});

/** `W×H` of the eager renditions of `source`, in the order of `EAGER`, read from their pixels. */
async function sizes(store: Storage, source: string): Promise<string[]> {
  const out: string[] = [];
  for (const descriptor of EAGER) {
    const object = await store.get(`${source}/_r/${descriptor}`);
    const meta = await sharp(object?.body).metadata();
    out.push(`${meta.width}×${meta.height}`);
  }
  return out;
}
