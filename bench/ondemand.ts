/**
 * On-demand renditions through the emulator: cold latency of a 4000 px JPEG → 800 px WebP and
 * AVIF, then warm-hit throughput against ipx doing the same resize and against plain static
 * serving of the same bytes, with autocannon in its own process on 127.0.0.1.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import { createIPX, createIPXNodeServer, ipxFSStorage } from 'ipx';
import { resolveConfig } from '../edge/src/config.js';
import { createEmulator } from '../edge/src/emulator/server.js';
import { silentLogger } from '../edge/src/log.js';
import { fmt, percentile, printTable } from './lib.js';

const run = promisify(execFile);

const WEBP = 'image/webp,*/*';
const AVIF = 'image/avif,image/webp,*/*';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

/** Runs autocannon in its own process (asynchronously: the servers share this event loop). */
async function autocannon(url: string, accept: string, seconds: number): Promise<number> {
  const { stdout } = await run(
    'node_modules/.bin/autocannon',
    ['-j', '-c', '16', '-d', String(seconds), '-H', `accept=${accept}`, url],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  const report = JSON.parse(stdout) as { requests: { average: number }; non2xx: number; errors: number };
  if (report.non2xx > 0 || report.errors > 0)
    throw new Error(`autocannon ${url}: ${report.non2xx} non-2xx, ${report.errors} errors`);
  return report.requests.average;
}

/** Runs the section on `source` (a 4000 px JPEG) and prints its two tables. */
export async function benchOnDemand(
  source: string,
  options: { coldRounds: number; warmSeconds: number },
): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'vetrina-bench-ondemand-'));
  const originals = join(root, 'originals');
  mkdirSync(join(originals, 'bench'), { recursive: true });
  copyFileSync(source, join(originals, 'bench', 'photo.jpg'));
  const renditions = join(root, 'renditions');
  const emulator = createEmulator({
    originals,
    renditions,
    config: resolveConfig(),
    port: 0,
    watch: false,
    log: silentLogger,
  });
  const base = await emulator.start();
  const url = `${base}/w800/bench/photo.jpg`;

  const cold: Record<string, number[]> = { webp: [], avif: [] };
  for (const [format, accept] of [
    ['webp', WEBP],
    ['avif', AVIF],
  ] as const) {
    for (let round = 0; round < options.coldRounds; round++) {
      rmSync(renditions, { recursive: true, force: true });
      mkdirSync(renditions, { recursive: true });
      const started = performance.now();
      const response = await fetch(url, { headers: { accept } });
      const body = Buffer.from(await response.arrayBuffer());
      cold[format]?.push(performance.now() - started);
      if (response.status !== 200 || body.length === 0) throw new Error(`cold ${format}: status ${response.status}`);
    }
  }
  printTable(
    'On-demand cold rendition, 4000×3000 JPEG → 800 px, through the emulator (viewer-request → store → origin-response)',
    ['format', 'rounds', 'p50 ms', 'p95 ms'],
    Object.entries(cold).map(([format, ms]) => [
      format,
      String(ms.length),
      fmt(percentile(ms, 50), 0),
      fmt(percentile(ms, 95), 0),
    ]),
  );

  // Warm: the emulator serving a stored rendition, ipx resizing per request, static bytes.
  const warmed = await fetch(url, { headers: { accept: WEBP } });
  const bytes = Buffer.from(await warmed.arrayBuffer());
  const staticDir = join(root, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'photo.webp'), bytes);
  const staticServer = Fastify({ logger: false });
  await staticServer.register(fastifyStatic, { root: staticDir });
  const ipx = createIPX({ storage: ipxFSStorage({ dir: originals }) });
  const ipxServer = createServer(createIPXNodeServer(ipx));
  const staticBase = await staticServer.listen({ port: 0, host: '127.0.0.1' });
  const ipxBase = await listen(ipxServer);

  const seconds = options.warmSeconds;
  const rows: Array<[string, number]> = [
    ['vetrina emulator, stored rendition', await autocannon(url, WEBP, seconds)],
    ['ipx, same resize per request', await autocannon(`${ipxBase}/w_800,f_webp/bench/photo.jpg`, WEBP, seconds)],
    ['static file (fastify + @fastify/static)', await autocannon(`${staticBase}/photo.webp`, WEBP, seconds)],
  ];
  const staticRate = rows[2]?.[1] ?? 1;
  printTable(
    `Warm requests per second (autocannon, 16 connections, ${seconds} s each, 127.0.0.1)`,
    ['server', 'req/s', 'vs static'],
    rows.map(([name, rate]) => [name, fmt(rate, 0), `${fmt(rate / staticRate, 2)}×`]),
  );

  await emulator.stop();
  await staticServer.close();
  await new Promise((resolve) => ipxServer.close(resolve));
  rmSync(root, { recursive: true, force: true });
}
