/**
 * The `vetrina` command line: sync, backfill, audit. See `USAGE` in `args.ts` and README.md
 * here for the commands, options and exit codes.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { VetrinaError } from '../../../sdk/ts/src/errors.js';
import { type EdgeConfig, resolveConfig } from '../config.js';
import { configureSharp } from '../engine/index.js';
import { locationsOverlap, openStore, parseStoreUrl } from '../storage/open.js';
import type { Storage } from '../storage/types.js';
import { type CliArgs, parseCommandLine, USAGE } from './args.js';
import { runAudit } from './audit.js';
import { runBackfill } from './backfill.js';
import { EXIT, oneLine, UsageError } from './failures.js';
import { openManifest } from './manifest.js';
import { createProgress, type ProgressStream } from './progress.js';
import { runSync } from './sync.js';

export { USAGE } from './args.js';
export { EXIT } from './failures.js';

/** Where the CLI writes, and how a caller other than a terminal interrupts it. */
export interface CliIo {
  /** The JSON report with `--json`, and the help text. Default `process.stdout`. */
  readonly stdout?: { write(text: string): unknown };
  /** Progress, the summary line and errors. Default `process.stderr`. */
  readonly stderr?: ProgressStream;
  /** Aborting it interrupts the run as Ctrl-C does (exit 130, work done so far kept). */
  readonly signal?: AbortSignal;
}

/** Default files in flight per command. */
const DEFAULT_CONCURRENCY = { sync: 8, backfill: 16, audit: 16 } as const;

/**
 * Runs the CLI with `argv` (without node and the script) and returns the exit code (see
 * `EXIT`). Never throws: user mistakes print one line, only a bug prints a stack trace.
 * SIGINT and SIGTERM stop it from starting new work while it runs; a second SIGINT kills it.
 */
export async function main(argv: readonly string[], io: CliIo = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  let args: ReturnType<typeof parseCommandLine>;
  try {
    args = parseCommandLine(argv);
  } catch (error) {
    return fail(error, stderr);
  }
  if (args === 'help') {
    stdout.write(USAGE);
    return EXIT.ok;
  }

  const controller = new AbortController();
  const onSignal = () => {
    stderr.write('\nvetrina: interrupted, finishing the work in flight (Ctrl-C again to kill)\n');
    controller.abort();
  };
  const onAbort = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  io.signal?.addEventListener('abort', onAbort, { once: true });
  if (io.signal?.aborted) controller.abort();

  try {
    configureSharp();
    const { report, attention } = await execute(args, controller.signal, stderr);
    const json = `${JSON.stringify(report, null, 2)}\n`;
    if (args.reportFile) writeFileSync(args.reportFile, json);
    if (args.json) stdout.write(json);
    if (!args.quiet) stderr.write(`${summarise(args.command, report)}\n`);
    if (controller.signal.aborted) return EXIT.interrupted;
    return attention ? EXIT.attention : EXIT.ok;
  } catch (error) {
    return fail(error, stderr);
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    io.signal?.removeEventListener('abort', onAbort);
  }
}

function fail(error: unknown, stderr: ProgressStream): number {
  if (error instanceof UsageError) {
    stderr.write(`vetrina: ${oneLine(error)} (see vetrina --help)\n`);
    return EXIT.usage;
  }
  if (error instanceof VetrinaError && error.code === 'STORAGE_FAILED') {
    stderr.write(`vetrina: store unusable, stopped: ${oneLine(error)}\n`);
    return EXIT.store;
  }
  stderr.write(`vetrina: unexpected failure, please report it: ${(error as Error)?.stack ?? String(error)}\n`);
  return EXIT.internal;
}

async function execute(args: CliArgs, signal: AbortSignal, stderr: ProgressStream) {
  const config = loadConfig(args.configFile);
  if (args.reportFile) checkFolder(dirname(resolve(args.reportFile)), '--report');
  const progress = createProgress(args.command, { stream: stderr, quiet: args.quiet });
  const concurrency = args.concurrency ?? DEFAULT_CONCURRENCY[args.command];
  const renders = Math.min(concurrency, availableParallelism());

  if (args.command === 'sync') {
    const exportDir = resolve(args.first);
    checkFolder(exportDir, 'export folder');
    const destination = open(args.second, args, false);
    const identity = storeIdentity(destination, args);
    const manifestPath = args.manifest ? resolve(args.manifest) : defaultManifestPath(exportDir, identity);
    const report = await runSync({
      exportDir,
      destination,
      manifest: openManifest(manifestPath, identity, { readOnly: args.dryRun }),
      manifestPath,
      config,
      concurrency,
      deleteExtraneous: args.deleteExtraneous,
      dryRun: args.dryRun,
      progress,
      signal,
    });
    progress.done();
    return { report, attention: report.rejected.length > 0 || report.failed.length > 0 };
  }

  const exchange = open(args.first, args, true);
  const renditions = open(args.second, args, false);
  if (locationsOverlap(args.first, args.second)) {
    // One store inside the other would make originals look like stray renditions (and the
    // reverse): refuse before anything is read, let alone deleted.
    throw new UsageError(
      `${args.command}: the exchange ${exchange.location} and the renditions ${renditions.location} must not overlap`,
    );
  }
  if (args.command === 'backfill') {
    const prefix = args.prefix === undefined ? {} : { prefix: args.prefix };
    const report = await runBackfill({
      exchange,
      renditions,
      config,
      concurrency,
      renders,
      progress,
      signal,
      ...prefix,
    });
    progress.done();
    return { report, attention: report.rejected.length > 0 || report.failed.length > 0 };
  }

  const report = await runAudit({
    exchange,
    renditions,
    config,
    concurrency,
    renders,
    fix: args.fix,
    progress,
    signal,
  });
  progress.done();
  const findings = report.missing.length + report.stale.length + report.orphaned.length + report.foreign.length;
  return { report, attention: report.fixed ? report.fixed.failed.length > 0 : findings > 0 };
}

/** Opens a store argument; a folder that must hold originals has to exist already. */
function open(location: string, args: CliArgs, mustExist: boolean): Storage {
  let url: ReturnType<typeof parseStoreUrl>;
  try {
    url = parseStoreUrl(location);
  } catch (error) {
    throw new UsageError(oneLine(error));
  }
  if (!url && /^[a-z][a-z0-9+.-]*:\/|^s3:/i.test(location)) {
    throw new UsageError(`store "${location}": expected a folder or s3://bucket[/prefix]`);
  }
  if (!url && mustExist) checkFolder(resolve(location), 'exchange folder');
  return openStore(location, {
    ...(args.endpoint ? { endpoint: args.endpoint } : {}),
    ...(args.region ? { region: args.region } : {}),
  });
}

function checkFolder(path: string, role: string): void {
  let isFolder = false;
  try {
    isFolder = statSync(path).isDirectory();
  } catch {
    // Reported below with the path, which says more than ENOENT.
  }
  if (!isFolder) throw new UsageError(`${role} ${path} does not exist or is not a folder`);
}

/** What a manifest is bound to: the store and, for S3, the endpoint that serves it. */
function storeIdentity(store: Storage, args: CliArgs): string {
  return store.location.startsWith('s3://') && args.endpoint
    ? `${store.location} via ${args.endpoint}`
    : store.location;
}

function loadConfig(file: string | undefined): EdgeConfig {
  if (!file) return resolveConfig();
  try {
    return resolveConfig(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    throw new UsageError(`--config ${file}: ${oneLine(error)}`);
  }
}

function defaultManifestPath(exportDir: string, identity: string): string {
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const id = createHash('sha256').update(`${exportDir}\n${identity}`).digest('hex').slice(0, 16);
  return join(cache, 'vetrina', `sync-${id}.json`);
}

/** The first rejected and failed files, one per line, so a person need not ask for --json. */
function problems(r: Record<string, unknown>, shown = 10): string {
  const lines: string[] = [];
  for (const [kind, list] of [
    ['rejected', r.rejected],
    ['failed', r.failed],
  ] as const) {
    if (!Array.isArray(list)) continue;
    for (const item of list.slice(0, shown) as Array<{ key: string; code?: string; reason: string }>) {
      lines.push(`  ${kind} ${item.key}: ${item.code ? `${item.code} ` : ''}${item.reason}`);
    }
    if (list.length > shown) lines.push(`  … and ${list.length - shown} more ${kind} (see --json or --report)`);
  }
  return lines.length > 0 ? `\n${lines.join('\n')}` : '';
}

function summarise(command: CliArgs['command'], report: object): string {
  const r = report as Record<string, unknown>;
  const count = (value: unknown) => (Array.isArray(value) ? value.length : Number(value ?? 0));
  const tail = r.interrupted ? ' (interrupted; run again to resume)' : '';
  if (command === 'sync') {
    const verb = r.dryRun ? 'would upload' : 'uploaded';
    return `sync: ${count(r.uploaded)} ${verb}, ${count(r.unchanged)} unchanged, ${count(r.rejected)} rejected, ${count(r.deleted)} deleted, ${count(r.failed)} failed${tail}${problems(r)}`;
  }
  if (command === 'backfill') {
    return `backfill: ${count(r.rendered)} originals rendered (${count(r.renditionsWritten)} renditions), ${count(r.upToDate)} up to date, ${count(r.rejected)} rejected, ${count(r.failed)} failed${tail}${problems(r)}`;
  }
  const fixed = r.fixed as { rendered: number; deleted: number; failed: unknown[] } | null;
  const repair = fixed
    ? `; fixed: ${fixed.rendered} re-rendered, ${fixed.deleted} deleted, ${fixed.failed.length} failed`
    : '';
  return `audit: ${count(r.originals)} originals, ${count(r.missing)} missing, ${count(r.stale)} stale, ${count(r.orphaned)} orphaned, ${count(r.foreign)} foreign${repair}${tail}`;
}
