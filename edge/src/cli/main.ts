/**
 * The `vetrina` command line: sync, backfill, audit.
 *
 * Exit codes: 0 done and clean; 1 done but something needs attention (rejected files,
 * failures, audit findings); 2 bad arguments; 3 a store is unreachable or refuses access;
 * 130 interrupted (the work done so far is kept and a re-run resumes).
 */

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { VetrinaError } from '../../../sdk/ts/src/errors.js';
import { type EdgeConfig, resolveConfig } from '../config.js';
import { configureSharp } from '../engine/index.js';
import { openStore } from '../storage/open.js';
import { runAudit } from './audit.js';
import { runBackfill } from './backfill.js';
import { loadManifest } from './manifest.js';
import { createProgress } from './progress.js';
import { runSync } from './sync.js';

export const USAGE = `vetrina — image delivery for PHP portals on AWS

Usage:
  vetrina sync <export-dir> <destination> [--delete] [--dry-run] [--manifest FILE]
  vetrina backfill <exchange> <renditions> [--prefix P]
  vetrina audit <exchange> <renditions> [--fix]

A store is a folder or s3://bucket[/prefix].

Options:
  --endpoint URL      S3-compatible endpoint (default: AWS)
  --region NAME       S3 region (default: us-east-1)
  --concurrency N     work in flight (default: sync 8, others: cores)
  --config FILE       JSON overrides of the edge configuration (presets, limits)
  --report FILE       write the JSON report to FILE
  --json              print the JSON report on stdout
  --quiet             no progress output
  -h, --help          this text

Exit codes: 0 clean, 1 needs attention, 2 bad arguments, 3 store unreachable or
access denied, 130 interrupted (re-run to resume).
`;

class UsageError extends Error {}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    process.stderr.write(`vetrina: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(USAGE);
    return 0;
  }

  const controller = new AbortController();
  const onSignal = () => {
    process.stderr.write('\nvetrina: interrupted, finishing the work in flight…\n');
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    configureSharp();
    const { report, attention } = await execute(parsed, controller.signal);
    const json = `${JSON.stringify(report, null, 2)}\n`;
    if (parsed.reportFile) writeFileSync(parsed.reportFile, json);
    if (parsed.json) process.stdout.write(json);
    else process.stderr.write(`${summarise(parsed.command, report)}\n`);
    if (controller.signal.aborted) return 130;
    return attention ? 1 : 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`vetrina: ${error.message}\n`);
      return 2;
    }
    if (error instanceof VetrinaError && error.code === 'STORAGE_FAILED') {
      process.stderr.write(`vetrina: ${error.message}\n`);
      return 3;
    }
    throw error;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

function parse(argv: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      delete: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      fix: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      manifest: { type: 'string' },
      endpoint: { type: 'string' },
      region: { type: 'string' },
      prefix: { type: 'string' },
      concurrency: { type: 'string' },
      config: { type: 'string' },
      report: { type: 'string' },
    },
  });
  const [command, first, second, ...extra] = positionals;
  if (values.help || command === undefined || command === 'help') return { help: true } as const;
  if (!['sync', 'backfill', 'audit'].includes(command)) {
    throw new Error(`unknown command "${command}"; expected sync, backfill or audit`);
  }
  if (first === undefined || second === undefined || extra.length > 0) {
    throw new Error(`${command} takes exactly two locations, got ${positionals.length - 1}`);
  }
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256)) {
    throw new Error(`--concurrency must be an integer from 1 to 256, got "${values.concurrency}"`);
  }
  if (values.endpoint !== undefined && !/^https?:\/\/[^/]+/.test(values.endpoint)) {
    throw new Error(`--endpoint must be an http(s) URL, got "${values.endpoint}"`);
  }
  return {
    help: false,
    command: command as 'sync' | 'backfill' | 'audit',
    first,
    second,
    concurrency,
    deleteExtraneous: values.delete,
    dryRun: values['dry-run'],
    fix: values.fix,
    json: values.json,
    quiet: values.quiet,
    manifest: values.manifest,
    endpoint: values.endpoint,
    region: values.region,
    prefix: values.prefix,
    configFile: values.config,
    reportFile: values.report,
  } as const;
}

type Parsed = Exclude<ReturnType<typeof parse>, { help: true }>;

async function execute(args: Parsed, signal: AbortSignal): Promise<{ report: object; attention: boolean }> {
  const config = loadConfig(args.configFile);
  const settings = {
    ...(args.endpoint ? { endpoint: args.endpoint } : {}),
    ...(args.region ? { region: args.region } : {}),
  };
  const progress = createProgress(args.command, { quiet: args.quiet });
  const cores = availableParallelism();

  if (args.command === 'sync') {
    const exportDir = resolve(args.first);
    const destination = open(args.second, settings);
    const manifestPath = args.manifest ? resolve(args.manifest) : defaultManifestPath(exportDir, destination.location);
    const report = await runSync({
      exportDir,
      destination,
      manifest: loadManifest(manifestPath, destination.location),
      manifestPath,
      config,
      concurrency: args.concurrency ?? 8,
      deleteExtraneous: args.deleteExtraneous,
      dryRun: args.dryRun,
      progress,
      signal,
    });
    progress.done();
    return { report, attention: report.rejected.length > 0 || report.failed.length > 0 };
  }

  const exchange = open(args.first, settings);
  const renditions = open(args.second, settings);
  if (args.command === 'backfill') {
    const report = await runBackfill({
      exchange,
      renditions,
      config,
      concurrency: args.concurrency ?? cores,
      progress,
      signal,
      ...(args.prefix ? { prefix: args.prefix } : {}),
    });
    progress.done();
    return { report, attention: report.rejected.length > 0 || report.failed.length > 0 };
  }

  const report = await runAudit({
    exchange,
    renditions,
    config,
    concurrency: args.concurrency ?? cores * 4,
    fix: args.fix,
    progress,
    signal,
  });
  progress.done();
  const findings = report.missing.length + report.stale.length + report.orphaned.length;
  const unfixed = report.fixed ? report.fixed.failed.length : findings;
  return { report, attention: unfixed > 0 };
}

function open(location: string, settings: { endpoint?: string; region?: string }) {
  try {
    return openStore(location, settings);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function loadConfig(file: string | undefined): EdgeConfig {
  if (!file) return resolveConfig();
  try {
    return resolveConfig(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    throw new UsageError(`--config ${file}: ${(error as Error).message}`);
  }
}

function defaultManifestPath(exportDir: string, destination: string): string {
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const id = createHash('sha256').update(`${exportDir}\n${destination}`).digest('hex').slice(0, 16);
  return join(cache, 'vetrina', `sync-${id}.json`);
}

function summarise(command: string, report: object): string {
  const r = report as Record<string, unknown>;
  const count = (value: unknown) => (Array.isArray(value) ? value.length : Number(value ?? 0));
  if (command === 'sync') {
    return `sync: ${count(r.uploaded)} uploaded, ${count(r.unchanged)} unchanged, ${count(r.rejected)} rejected, ${count(r.deleted)} deleted, ${count(r.failed)} failed`;
  }
  if (command === 'backfill') {
    return `backfill: ${count(r.rendered)} originals rendered (${count(r.renditionsWritten)} renditions), ${count(r.upToDate)} up to date, ${count(r.rejected)} rejected, ${count(r.failed)} failed`;
  }
  return `audit: ${count(r.originals)} originals, ${count(r.missing)} missing, ${count(r.stale)} stale, ${count(r.orphaned)} orphaned${r.fixed ? ' (fixed)' : ''}`;
}
