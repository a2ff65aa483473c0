import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { estimate, type Prices, REFERENCE_WORKLOAD } from '../cost/estimate.js';

const prices = JSON.parse(readFileSync(new URL('../cost/prices.json', import.meta.url), 'utf8')) as Prices;

function line(lines: ReturnType<typeof estimate>['monthly'], item: string) {
  const found = lines.find((l) => l.item === item);
  if (!found) throw new Error(`no cost line "${item}"`);
  return found;
}

describe('estimate', () => {
  test('prices the reference deployment under 5 USD a month with its stated assumptions', () => {
    const result = estimate(REFERENCE_WORKLOAD, prices);

    expect(result.monthlyUsd).toBeCloseTo(4.88, 2);
    expect(result.monthlyUsd).toBeLessThan(5);
    expect(line(result.monthly, 'storage: renditions').quantity).toBeCloseTo(
      (480_000 * 45) / 1024 / 1024 + (160_000 * 45) / 1024 / 1024,
      1,
    );
  });

  test('charges S3 storage per GB-month at the Frankfurt price', () => {
    const result = estimate({ ...REFERENCE_WORKLOAD, originals: 1024 * 1024, avgOriginalKb: 1 }, prices);

    expect(line(result.monthly, 'storage: originals')).toMatchObject({ quantity: 1, usd: 0.0245 });
  });

  test('bills CloudFront requests only above the free 10 million, per 10,000', () => {
    const within = estimate({ ...REFERENCE_WORKLOAD, pageViewsPerMonth: 1_250_000, imagesPerPage: 8 }, prices);
    const above = estimate({ ...REFERENCE_WORKLOAD, pageViewsPerMonth: 2_500_000, imagesPerPage: 8 }, prices);

    expect(line(within.monthly, 'HTTPS requests').usd).toBe(0);
    expect(line(above.monthly, 'HTTPS requests').usd).toBeCloseTo(12, 4);
  });

  test('makes tag invalidation the largest cost when every replacement invalidates', () => {
    const result = estimate(
      { ...REFERENCE_WORKLOAD, invalidationsPerReplace: 1, updatesPerDay: 500, replacedShare: 0.5 },
      prices,
    );

    expect(line(result.monthly, 'tag invalidations')).toMatchObject({ quantity: 7500, usd: 32.5 });
  });

  test('drops every free allowance when asked', () => {
    const result = estimate({ ...REFERENCE_WORKLOAD, freeTier: false }, prices);

    expect(line(result.monthly, 'viewer-request invocations').usd).toBeCloseTo(0.8, 4);
    expect(result.monthlyUsd).toBeGreaterThan(40);
  });

  test('prices a full backfill of 160,000 originals in 6,400 batches', () => {
    const result = estimate(REFERENCE_WORKLOAD, prices);

    expect(line(result.backfill, 'backfill requests').quantity).toBe(6400);
    // 160,000 originals × 0.35 s × 2 GB.
    expect(line(result.backfill, 'backfill compute').quantity).toBe(112_000);
    expect(line(result.backfill, 'backfill compute').usd).toBeCloseTo(1.87, 2);
    expect(result.backfillUsd).toBeCloseTo(5.07, 2);
  });

  test('rejects a cache hit rate above 1', () => {
    expect(() => estimate({ ...REFERENCE_WORKLOAD, cacheHitRate: 95 }, prices)).toThrow(
      'workload cacheHitRate: expected a share from 0 to 1, got 95',
    );
  });
});

describe('model.ts', () => {
  test('prints the breakdown and the total for flags given on the command line', () => {
    const run = spawnSync('npx', ['tsx', 'infra/cost/model.ts', '--originals', '160000', '--json'], {
      encoding: 'utf8',
    });

    expect(run.status).toBe(0);
    const output = JSON.parse(run.stdout);
    expect(output.workload.originals).toBe(160_000);
    expect(output.pricesCheckedOn).toBe(prices.checkedOn);
    expect(output.monthlyUsd).toBeCloseTo(4.88, 2);
  });

  test('names a flag whose value is not a number', () => {
    const run = spawnSync('npx', ['tsx', 'infra/cost/model.ts', '--originals', 'many'], { encoding: 'utf8' });

    expect(run.status).toBe(1);
    expect(run.stderr).toBe('cost model: --originals: expected a number, got "many"\n');
  });
});
