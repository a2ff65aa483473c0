/**
 * Small helpers shared by the benchmark sections: running a pinned child process with its
 * peak memory, percentiles, and printing aligned tables.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What a measured child process reported, plus its peak RSS as seen by /usr/bin/time. */
export interface ChildRun {
  readonly seconds: number;
  /** User + system CPU seconds of the process and its children (from /usr/bin/time). */
  readonly cpuSeconds: number;
  readonly maxRssMb: number;
  readonly output: Record<string, number>;
}

/**
 * Runs `command` pinned to `cores` CPUs (taskset) under /usr/bin/time, parses the JSON line
 * the command prints, and returns it with the peak RSS in MB. Throws with the command's
 * stderr when it fails.
 */
export function runPinned(
  cores: number,
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): ChildRun {
  const scratch = mkdtempSync(join(tmpdir(), 'vetrina-bench-time-'));
  const timeFile = join(scratch, 'time');
  const cpuList = Array.from({ length: cores }, (_, i) => i).join(',');
  const started = performance.now();
  const result = spawnSync(
    'taskset',
    ['-c', cpuList, '/usr/bin/time', '-f', '%U %S %M', '-o', timeFile, command, ...args],
    {
      encoding: 'utf8',
      env: { ...process.env, ...env },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const wall = (performance.now() - started) / 1000;
  if (result.status !== 0) {
    rmSync(scratch, { recursive: true, force: true });
    throw new Error(
      `${command} ${args.slice(0, 3).join(' ')} failed (${result.status}): ${result.stderr.slice(-2000)}`,
    );
  }
  const [user, system, maxRssKb] = (readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '')
    .split(' ')
    .map(Number);
  rmSync(scratch, { recursive: true, force: true });
  const line = result.stdout.trim().split('\n').pop() ?? '';
  const output = line.startsWith('{') ? (JSON.parse(line) as Record<string, number>) : {};
  return {
    seconds: output.seconds ?? wall,
    cpuSeconds: (user ?? 0) + (system ?? 0),
    maxRssMb: (maxRssKb ?? 0) / 1024,
    output,
  };
}

/** The p-th percentile (0–100) of `values`, nearest-rank. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** Prints rows as an aligned text table with a header. */
export function printTable(title: string, header: readonly string[], rows: ReadonlyArray<readonly string[]>): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  process.stdout.write(`\n${title}\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
}

/** Formats a number with `digits` decimals. */
export function fmt(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}
