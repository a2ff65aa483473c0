/**
 * Eager renditions per second: vetrina's engine against the old Python procedure (Pillow,
 * straightforward and at its best), libvips' own vipsthumbnail and sharp used naively, all
 * on the same files, the same outputs and the same cores, side by side in one run.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChildRun, fmt, printTable, runPinned } from './lib.js';

/** One competitor's result at a number of cores. */
export interface EagerResult {
  readonly tool: string;
  readonly cores: number;
  readonly images: number;
  readonly renditions: number;
  readonly seconds: number;
  /** CPU seconds of the work (start-up excluded where the tool reports it): what load on a shared machine cannot skew. */
  readonly cpuSeconds: number;
  readonly maxRssMb: number;
  /** Where its outputs were written: `{dir}/{index}/{large,card,thumb}.jpg`. */
  readonly outDir: string;
}

const PYTHON = '/usr/bin/python3';
const TSX = 'node_modules/.bin/tsx';

function vipsPass(files: readonly string[], out: string): ChildRun {
  // The CLI the way the old procedure would call it: once per output size.
  const script = [
    'import json, os, resource, subprocess, sys, time',
    'out, paths = sys.argv[1], sys.argv[2:]',
    't = time.perf_counter()',
    'for i, p in enumerate(paths):',
    '    d = os.path.join(out, str(i)); os.makedirs(d, exist_ok=True)',
    "    for name, size, crop in (('large', '1600x', []), ('card', '800x600', ['--smartcrop', 'centre']), ('thumb', '320x240', ['--smartcrop', 'centre'])):",
    "        subprocess.run(['vipsthumbnail', p, '--size', size, *crop, '-o', os.path.join(d, name + '.jpg[Q=80,strip]')], check=True)",
    'u = resource.getrusage(resource.RUSAGE_CHILDREN)',
    "print(json.dumps({'images': len(paths), 'renditions': 3 * len(paths), 'seconds': time.perf_counter() - t, 'cpu_seconds': u.ru_utime + u.ru_stime, 'maxrss_kb': u.ru_maxrss}))",
  ].join('\n');
  return runPinned(1, PYTHON, ['-c', script, out, ...files]);
}

/** Runs every competitor and prints the table; returns the results for the quality check. */
export function benchEager(files: readonly string[]): EagerResult[] {
  const root = mkdtempSync(join(tmpdir(), 'vetrina-bench-eager-'));
  const results: EagerResult[] = [];
  const record = (tool: string, cores: number, outDir: string, run: ChildRun) => {
    const childRss = (run.output.maxrss_kb ?? 0) / 1024;
    results.push({
      tool,
      cores,
      images: run.output.images ?? files.length,
      renditions: run.output.renditions ?? files.length * 3,
      seconds: run.seconds,
      cpuSeconds: run.output.cpu_seconds ?? run.cpuSeconds,
      maxRssMb: Math.max(run.maxRssMb, childRss),
      outDir,
    });
    process.stderr.write(`  ${tool} on ${cores} core(s): ${fmt(run.seconds, 2)} s\n`);
  };
  const dir = (name: string) => {
    const path = join(root, name);
    mkdirSync(path, { recursive: true });
    return path;
  };
  const env = { MALLOC_ARENA_MAX: '2' };

  for (const [tool, cores, run] of [
    [
      'Pillow straightforward',
      1,
      (o: string) => runPinned(1, PYTHON, ['bench/pillow_eager.py', 'straightforward', o, ...files]),
    ],
    ['Pillow at its best', 1, (o: string) => runPinned(1, PYTHON, ['bench/pillow_eager.py', 'best', o, ...files])],
    ['vipsthumbnail', 1, (o: string) => vipsPass(files, o)],
    ['sharp naive', 1, (o: string) => runPinned(1, TSX, ['bench/eager-worker.ts', 'sharp-naive', '1', o, ...files])],
    ['vetrina', 1, (o: string) => runPinned(1, TSX, ['bench/eager-worker.ts', 'vetrina', '1', o, ...files], env)],
    ['sharp naive', 2, (o: string) => runPinned(2, TSX, ['bench/eager-worker.ts', 'sharp-naive', '2', o, ...files])],
    ['vetrina', 2, (o: string) => runPinned(2, TSX, ['bench/eager-worker.ts', 'vetrina', '2', o, ...files], env)],
  ] as const) {
    const out = dir(`${tool.replaceAll(' ', '-')}-${cores}`);
    record(tool, cores, out, run(out));
  }

  const vetrina1 = results.find((r) => r.tool === 'vetrina' && r.cores === 1) as EagerResult;
  const vetrina2 = results.find((r) => r.tool === 'vetrina' && r.cores === 2) as EagerResult;
  const perCpu = (r: EagerResult) => r.renditions / r.cpuSeconds;
  printTable(
    `Eager renditions (${files.length} originals × 3 JPEG q80: 1600 wide, 800×600, 320×240)`,
    ['tool', 'cores', 'wall s', 'renditions/s', 'CPU s', 'renditions/CPU-s', 'peak RSS MB', 'vetrina/this per CPU-s'],
    results.map((r) => [
      r.tool,
      String(r.cores),
      fmt(r.seconds, 2),
      fmt(r.renditions / r.seconds, 2),
      fmt(r.cpuSeconds, 2),
      fmt(perCpu(r), 2),
      fmt(r.maxRssMb, 0),
      `${fmt(perCpu(vetrina1) / perCpu(r), 2)}×`,
    ]),
  );
  process.stdout.write(
    `vetrina two cores / one core, wall clock: ${fmt(vetrina1.seconds / vetrina2.seconds, 2)}× ` +
      `(CPU per rendition ${fmt(vetrina2.cpuSeconds / vetrina1.cpuSeconds, 2)}× the one-core run)\n`,
  );
  process.stdout.write(
    `vetrina CPU-seconds per original (3 renditions): ${fmt(vetrina1.cpuSeconds / vetrina1.images, 3)}\n`,
  );
  return results;
}

/** Removes the output folders of a run. */
export function cleanEager(results: readonly EagerResult[]): void {
  for (const r of results) rmSync(join(r.outDir, '..'), { recursive: true, force: true });
}

/** True when the external tools the section needs are installed. */
export function eagerToolsPresent(): boolean {
  const check = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
  return (
    check(PYTHON, ['-c', 'import PIL']) && check('vipsthumbnail', ['--version']) && check('taskset', ['--version'])
  );
}
