/**
 * Prints the monthly AWS cost of a vetrina deployment and the one-off cost of a full backfill.
 *
 *   npx tsx infra/cost/model.ts                       # the reference deployment
 *   npx tsx infra/cost/model.ts --originals 160000 --page-views-per-month 3000000 --cache-hit-rate 0.9
 *   npx tsx infra/cost/model.ts --no-free-tier --json
 *
 * Every Workload field is a flag in kebab case (`--avg-rendition-kb 60`); booleans take
 * `--additional-metrics` / `--no-additional-metrics`. Prices come from prices.json next to this
 * file, or `--prices FILE`.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type CostLine, estimate, type Prices, REFERENCE_WORKLOAD, type Workload } from './estimate.js';

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function workloadFrom(argv: string[]): { workload: Workload; pricesPath: string; json: boolean } {
  const fields = Object.keys(REFERENCE_WORKLOAD) as Array<keyof Workload>;
  const options: Record<string, { type: 'string' | 'boolean' }> = {
    prices: { type: 'string' },
    json: { type: 'boolean' },
  };
  for (const field of fields) {
    const flag = kebab(field);
    if (typeof REFERENCE_WORKLOAD[field] === 'boolean') {
      options[flag] = { type: 'boolean' };
      options[`no-${flag}`] = { type: 'boolean' };
    } else {
      options[flag] = { type: 'string' };
    }
  }
  const { values } = parseArgs({ args: argv, options, strict: true });

  const workload: Record<string, number | boolean> = { ...REFERENCE_WORKLOAD };
  for (const field of fields) {
    const flag = kebab(field);
    if (typeof REFERENCE_WORKLOAD[field] === 'boolean') {
      if (values[flag] === true) workload[field] = true;
      if (values[`no-${flag}`] === true) workload[field] = false;
    } else if (typeof values[flag] === 'string') {
      const number = Number(values[flag]);
      if (!Number.isFinite(number)) throw new Error(`--${flag}: expected a number, got "${values[flag]}"`);
      workload[field] = number;
    }
  }
  return {
    workload: workload as unknown as Workload,
    pricesPath: (values.prices as string | undefined) ?? new URL('./prices.json', import.meta.url).pathname,
    json: values.json === true,
  };
}

function table(title: string, lines: readonly CostLine[], total: number): string {
  const rows = lines.map(
    (l) =>
      `  ${l.service.padEnd(21)}${l.item.padEnd(40)}${l.quantity.toLocaleString('en-US').padStart(16)} ${l.unit.padEnd(14)}${l.usd.toFixed(2).padStart(9)}`,
  );
  return [`${title}`, ...rows, `  ${'total'.padEnd(91)}${total.toFixed(2).padStart(9)} USD`, ''].join('\n');
}

try {
  const { workload, pricesPath, json } = workloadFrom(process.argv.slice(2));
  const prices = JSON.parse(readFileSync(pricesPath, 'utf8')) as Prices;
  const result = estimate(workload, prices);
  if (json) {
    process.stdout.write(`${JSON.stringify({ workload, pricesCheckedOn: prices.checkedOn, ...result }, null, 2)}\n`);
  } else {
    process.stdout.write(
      `vetrina cost model (prices of ${prices.checkedOn}, ${workload.freeTier ? 'with' : 'without'} always-free tiers)\n\n`,
    );
    process.stdout.write(table('Monthly', result.monthly, result.monthlyUsd));
    process.stdout.write(`\n${table('One-off full backfill', result.backfill, result.backfillUsd)}`);
  }
} catch (error) {
  process.stderr.write(`cost model: ${(error as Error).message}\n`);
  process.exit(1);
}
