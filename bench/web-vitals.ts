/**
 * Web-vitals benchmark (issue 3 §4): Lighthouse on the example portal's listing page as it is
 * with vetrina and as it was before (originals linked directly), with the mobile and desktop
 * presets and Lighthouse's default (simulated) throttling, all on 127.0.0.1.
 *
 *   npx tsx bench/web-vitals.ts [--runs N]
 *
 * Prints LCP, CLS, total byte weight and image byte weight per page and preset, and the
 * after/before ratios; with `--runs N` (default 1) each figure is the median of N runs.
 * Before measuring, one unmeasured Lighthouse pass over the "after" page renders the
 * renditions, as a warm CDN would hold them; the browser cache is empty for every run.
 * Needs Debian's chromium and php-cli.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import lighthouse, { desktopConfig } from 'lighthouse';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../examples/php-portal/test/support/browser.js';
import { startPortal } from '../examples/run-portal.js';
import { fmt, percentile, printTable } from './lib.js';

/** How long Chromium may take to print its DevTools address, in ms. */
const CHROMIUM_START_TIMEOUT_MS = 15_000;

/** The figures of one Lighthouse run. */
interface Vitals {
  /** Largest Contentful Paint, ms (simulated). */
  readonly lcpMs: number;
  readonly cls: number;
  /** Transfer size of every request, bytes. */
  readonly totalBytes: number;
  /** Transfer size of the image requests, bytes. */
  readonly imageBytes: number;
}

type Preset = 'mobile' | 'desktop';

const PAGES = { before: '/before.php', after: '/listing.php' } as const;

const { values } = parseArgs({ options: { runs: { type: 'string', default: '1' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1 || runs > 9) throw new Error(`--runs: expected 1-9, got "${values.runs}"`);

const portal = await startPortal();
const chrome = await startChromium();
try {
  process.stdout.write(
    `vetrina web vitals — ${new Date().toISOString()}, Lighthouse 12.8.2, ${runs} run(s) per figure, portal ${portal.portalUrl}\n`,
  );
  const results = new Map<string, Vitals>();
  for (const preset of ['mobile', 'desktop'] as const) {
    await measure(chrome.port, portal.portalUrl + PAGES.after, preset);
    for (const [name, path] of Object.entries(PAGES)) {
      const samples: Vitals[] = [];
      for (let run = 0; run < runs; run++) samples.push(await measure(chrome.port, portal.portalUrl + path, preset));
      results.set(`${preset} ${name}`, median(samples));
    }
  }
  report(results);
} finally {
  await chrome.stop();
  await portal.stop();
}

/** One Lighthouse performance run of `url` with `preset`. */
async function measure(port: number, url: string, preset: Preset): Promise<Vitals> {
  const result = await lighthouse(
    url,
    { port, output: 'json', logLevel: 'error', onlyCategories: ['performance'] },
    preset === 'desktop' ? desktopConfig : undefined,
  );
  if (!result) throw new Error(`lighthouse: no result for ${url} (${preset})`);
  const { audits, runtimeError } = result.lhr;
  if (runtimeError) throw new Error(`lighthouse: ${runtimeError.code} on ${url} (${preset}): ${runtimeError.message}`);

  const numeric = (id: string) => {
    const value = audits[id]?.numericValue;
    if (value === undefined) throw new Error(`lighthouse: audit "${id}" has no value for ${url} (${preset})`);
    return value;
  };
  const summary = (audits['resource-summary']?.details as { items?: Array<Record<string, unknown>> } | undefined)
    ?.items;
  const images = summary?.find((item) => item.resourceType === 'image');
  return {
    lcpMs: numeric('largest-contentful-paint'),
    cls: numeric('cumulative-layout-shift'),
    totalBytes: numeric('total-byte-weight'),
    imageBytes: Number(images?.transferSize ?? 0),
  };
}

function median(samples: readonly Vitals[]): Vitals {
  const pick = (field: keyof Vitals) =>
    percentile(
      samples.map((s) => s[field]),
      50,
    );
  return { lcpMs: pick('lcpMs'), cls: pick('cls'), totalBytes: pick('totalBytes'), imageBytes: pick('imageBytes') };
}

function report(results: ReadonlyMap<string, Vitals>): void {
  const kib = (bytes: number) => fmt(bytes / 1024, 0);
  const rows: string[][] = [];
  const ratios: string[][] = [];
  for (const preset of ['mobile', 'desktop'] as const) {
    const before = results.get(`${preset} before`) as Vitals;
    const after = results.get(`${preset} after`) as Vitals;
    for (const [name, v] of [
      ['before', before],
      ['after', after],
    ] as const) {
      rows.push([preset, name, fmt(v.lcpMs, 0), fmt(v.cls, 3), kib(v.totalBytes), kib(v.imageBytes)]);
    }
    ratios.push([
      preset,
      fmt(after.lcpMs / before.lcpMs, 3),
      fmt(after.totalBytes / before.totalBytes, 3),
      fmt(after.imageBytes / before.imageBytes, 3),
      `${fmt(before.cls, 3)} → ${fmt(after.cls, 3)}`,
    ]);
  }
  printTable(
    'Lighthouse, listing page (simulated throttling)',
    ['preset', 'page', 'LCP ms', 'CLS', 'total KiB', 'image KiB'],
    rows,
  );
  printTable('after / before', ['preset', 'LCP', 'total bytes', 'image bytes', 'CLS'], ratios);
}

/** Starts headless Chromium with a DevTools port on 127.0.0.1 for Lighthouse to drive. */
function startChromium(): Promise<{ port: number; stop(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'vetrina-lighthouse-'));
  const child: ChildProcess = spawn(
    CHROMIUM_PATH,
    [
      '--headless=new',
      '--remote-debugging-address=127.0.0.1',
      '--remote-debugging-port=0',
      `--user-data-dir=${profile}`,
      ...CHROMIUM_ARGS,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const stop = () =>
    new Promise<void>((done) => {
      const finish = () => {
        rmSync(profile, { recursive: true, force: true });
        done();
      };
      if (child.exitCode !== null || child.signalCode !== null) return finish();
      child.once('exit', finish);
      child.kill('SIGTERM');
    });

  return new Promise((resolveStart, rejectStart) => {
    let seen = '';
    const fail = (message: string) => {
      clearTimeout(timer);
      void stop().then(() => rejectStart(new Error(message)));
    };
    const timer = setTimeout(
      () => fail(`chromium: no DevTools address within ${CHROMIUM_START_TIMEOUT_MS} ms: "${seen.trim()}"`),
      CHROMIUM_START_TIMEOUT_MS,
    );
    child.once('error', (error: NodeJS.ErrnoException) =>
      fail(
        error.code === 'ENOENT'
          ? `Chromium not found at ${CHROMIUM_PATH}: install it with "apt-get install chromium"`
          : `chromium: ${error.message}`,
      ),
    );
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      if (seen.length < 8192) seen += chunk;
      const listening = /DevTools listening on ws:\/\/127\.0\.0\.1:(\d+)\//.exec(seen);
      if (listening?.[1]) {
        clearTimeout(timer);
        resolveStart({ port: Number(listening[1]), stop });
      }
    });
  });
}
