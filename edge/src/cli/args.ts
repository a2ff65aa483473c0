/**
 * The command line of `vetrina`: its usage text and the parsing that checks every argument
 * before any work starts.
 */
import { parseArgs } from 'node:util';
import { UsageError } from './failures.js';

/** The text of `vetrina --help`. */
export const USAGE = `vetrina — image delivery for PHP portals on AWS

Usage:
  vetrina sync <export-dir> <destination> [--delete] [--dry-run] [--manifest FILE]
  vetrina backfill <exchange> <renditions> [--prefix P]
  vetrina audit <exchange> <renditions> [--fix]

A store is a folder or s3://bucket[/prefix]. S3 credentials come from the AWS SDK's
default chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, ...).

sync       uploads new and changed images from the export folder; skips unchanged files
           without any request (local manifest); rejects empty, truncated, non-image and
           oversized files (listed in the report, not uploaded). Resumes after Ctrl-C.
backfill   makes the eager renditions that are missing or stale (source ETag differs).
audit      lists missing, stale and orphaned renditions.

Options:
  --delete            sync: also delete destination objects that are not in the export
  --dry-run           sync: validate and report, upload and delete nothing
  --manifest FILE     sync: manifest file (default: ~/.cache/vetrina/sync-<id>.json)
  --prefix P          backfill: only originals whose key starts with P
  --fix               audit: re-render missing and stale renditions, delete orphans
  --endpoint URL      S3-compatible endpoint, e.g. http://127.0.0.1:4568 (default: AWS)
  --region NAME       S3 region (default: us-east-1)
  --concurrency N     files in flight, 1-256 (default: sync 8, backfill and audit 16);
                      images decoded at once: the smaller of N and the number of cores
  --config FILE       JSON overrides of the edge configuration (presets, limits)
  --report FILE       write the JSON report to FILE
  --json              print the JSON report on stdout
  --quiet             no progress and no summary (errors are still printed)
  -h, --help          this text

Exit codes:
  0    done, nothing needs attention
  1    done, but files were rejected or failed, or the audit found something
  2    bad arguments (nothing was done)
  3    a store is unreachable, refuses the credentials or denies access
  4    unexpected failure (a bug; the stack trace is printed)
  130  interrupted; the finished work is kept and a re-run resumes
`;

/** The three commands. */
export type Command = 'sync' | 'backfill' | 'audit';

/** A checked command line. */
export interface CliArgs {
  readonly command: Command;
  /** The export folder (sync) or the exchange store. */
  readonly first: string;
  /** The destination (sync) or the renditions store. */
  readonly second: string;
  /** 1–256; the command's default when absent. */
  readonly concurrency?: number;
  readonly deleteExtraneous: boolean;
  readonly dryRun: boolean;
  readonly fix: boolean;
  readonly json: boolean;
  readonly quiet: boolean;
  readonly manifest?: string;
  readonly endpoint?: string;
  readonly region?: string;
  readonly prefix?: string;
  readonly configFile?: string;
  readonly reportFile?: string;
}

const COMMANDS: readonly Command[] = ['sync', 'backfill', 'audit'];

/** Options that belong to one command only. */
const ONLY_FOR: Readonly<Record<string, Command>> = {
  delete: 'sync',
  'dry-run': 'sync',
  manifest: 'sync',
  prefix: 'backfill',
  fix: 'audit',
};

/**
 * Parses `argv` (without node and the script). Returns `'help'` for `-h`, `--help` and
 * `vetrina help`.
 *
 * @throws UsageError naming the argument, what was expected and what came
 */
export function parseCommandLine(argv: readonly string[]): CliArgs | 'help' {
  let parsed: ReturnType<typeof parseRaw>;
  try {
    parsed = parseRaw(argv);
  } catch (error) {
    // node:util explains how to pass a positional starting with "-"; the first sentence is enough.
    throw new UsageError((error as Error).message.split('. ')[0] ?? 'bad arguments');
  }
  const { values, positionals } = parsed;
  const [command, first, second, ...extra] = positionals;
  if (values.help || command === 'help') return 'help';
  if (command === undefined) throw new UsageError('missing command; expected sync, backfill or audit');
  if (!COMMANDS.includes(command as Command)) {
    throw new UsageError(`unknown command "${command}"; expected sync, backfill or audit`);
  }
  const names = command === 'sync' ? '<export-dir> <destination>' : '<exchange> <renditions>';
  if (first === undefined || second === undefined || extra.length > 0) {
    throw new UsageError(`${command} takes exactly two locations, ${names}; got ${positionals.length - 1}`);
  }
  for (const [option, owner] of Object.entries(ONLY_FOR)) {
    const value = values[option as keyof typeof values];
    if (value !== undefined && value !== false && owner !== command) {
      throw new UsageError(`--${option} applies to ${owner} only, not to ${command}`);
    }
  }

  return {
    command: command as Command,
    first,
    second,
    ...optional('concurrency', values.concurrency === undefined ? undefined : concurrency(values.concurrency)),
    deleteExtraneous: values.delete ?? false,
    dryRun: values['dry-run'] ?? false,
    fix: values.fix ?? false,
    json: values.json ?? false,
    quiet: values.quiet ?? false,
    ...optional('manifest', values.manifest),
    ...optional('endpoint', values.endpoint === undefined ? undefined : endpoint(values.endpoint)),
    ...optional('region', values.region === undefined ? undefined : region(values.region)),
    ...optional('prefix', values.prefix),
    ...optional('configFile', values.config),
    ...optional('reportFile', values.report),
  };
}

function parseRaw(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      delete: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      fix: { type: 'boolean' },
      json: { type: 'boolean' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      manifest: { type: 'string' },
      endpoint: { type: 'string' },
      region: { type: 'string' },
      prefix: { type: 'string' },
      concurrency: { type: 'string' },
      config: { type: 'string' },
      report: { type: 'string' },
    },
  });
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function concurrency(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > 256) {
    throw new UsageError(`--concurrency must be an integer from 1 to 256, got "${text}"`);
  }
  return value;
}

function endpoint(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--endpoint must be an http(s) URL such as http://127.0.0.1:4568, got "${text}"`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '' || url.search || url.hash) {
    throw new UsageError(`--endpoint must be an http(s) URL such as http://127.0.0.1:4568, got "${text}"`);
  }
  return text;
}

function region(text: string): string {
  // Loose on purpose: S3-compatible servers name regions freely (`auto`, `garage`).
  if (!/^[a-z0-9][a-z0-9-]{0,31}$/.test(text)) {
    throw new UsageError(`--region must be lower-case letters, digits and "-" such as eu-central-1, got "${text}"`);
  }
  return text;
}
