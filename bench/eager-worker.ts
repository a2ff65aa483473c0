/**
 * One timed pass of eager renditions over a list of originals, run as its own process so the
 * benchmark can pin it to cores and read its peak memory.
 *
 *   tsx bench/eager-worker.ts <vetrina|sharp-naive> <inflight> <out-dir> <file>...
 *
 * Prints one JSON line: images, renditions, seconds and cpu_seconds (reading, rendering and
 * writing, not process start-up) and maxrss_kb.
 */
import { mkdirSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { resolveConfig } from '../edge/src/config.js';
import { configureSharp, renderMany } from '../edge/src/engine/index.js';
import { eagerTargets } from '../edge/src/renditions/eager.js';

const [mode, inflightArg, out, ...files] = process.argv.slice(2);
if ((mode !== 'vetrina' && mode !== 'sharp-naive') || !out || files.length === 0) {
  process.stderr.write('usage: eager-worker.ts <vetrina|sharp-naive> <inflight> <out-dir> <file>...\n');
  process.exit(2);
}
const outDir: string = out;
const config = resolveConfig();
const targets = eagerTargets(config);

/** sharp used the obvious way: one full pipeline per output, library defaults. */
async function naive(input: Buffer): Promise<Buffer[]> {
  return Promise.all(
    targets.map(({ params }) => {
      const [a, b] = params.aspect ?? [0, 0];
      const resize =
        params.fit === 'cover'
          ? { width: params.width, height: Math.round((params.width * b) / a), fit: 'cover' as const }
          : { width: params.width, withoutEnlargement: true };
      return sharp(input).rotate().resize(resize).jpeg({ quality: params.quality }).toBuffer();
    }),
  );
}

async function vetrina(input: Buffer): Promise<Buffer[]> {
  const images = await renderMany(
    input,
    targets.map((t) => t.params),
    config,
  );
  return images.map((image) => image.data);
}

if (mode === 'vetrina') configureSharp();
const render = mode === 'vetrina' ? vetrina : naive;
// Largest first, as `vetrina backfill` orders its work.
const queue = files
  .map((file, index) => ({ file, index, bytes: statSync(file).size }))
  .sort((a, b) => b.bytes - a.bytes);
const started = performance.now();
const cpuStarted = process.cpuUsage();

async function worker(): Promise<void> {
  for (let item = queue.shift(); item; item = queue.shift()) {
    const outputs = await render(await readFile(item.file));
    const dir = join(outDir, String(item.index));
    mkdirSync(dir, { recursive: true });
    await Promise.all(outputs.map((data, i) => writeFile(join(dir, `${targets[i]?.preset}.jpg`), data)));
  }
}
await Promise.all(Array.from({ length: Number(inflightArg) || 1 }, worker));

const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStarted);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
process.stdout.write(
  `${JSON.stringify({ images: files.length, renditions: files.length * targets.length, seconds, cpu_seconds: cpuSeconds, maxrss_kb: process.resourceUsage().maxRSS })}\n`,
);
