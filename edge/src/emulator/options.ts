/**
 * The emulator's command line: flags, environment variables and the config file, read once
 * into one typed object. Errors name the flag or variable, what was expected and what came.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type EdgeConfig, type EdgeConfigOverrides, resolveConfig } from '../config.js';
import { locationsOverlap } from '../storage/open.js';

/**
 * The signing key ring used when no config file names one. DEVELOPMENT ONLY: the secret is
 * public, so URLs signed with it prove nothing; deployments bake their own keys into the bundle.
 */
export const DEV_SIGNING_KEYS: Readonly<Record<string, string>> = Object.freeze({ dev: 'vetrina-dev-secret' });

/** What `npm start` runs with. */
export interface CliOptions {
  readonly host: string;
  /** 0–65535; 0 picks a free port. */
  readonly port: number;
  /** A folder, or `s3://bucket[/prefix]` (then `endpoint` may name an S3-compatible server). */
  readonly originals: string;
  /** A folder, or `s3://bucket[/prefix]`. */
  readonly renditions: string;
  /** S3-compatible endpoint for `s3://` locations, e.g. `http://127.0.0.1:4568`; AWS when absent. */
  readonly endpoint?: string;
  /** The config file read, if any. */
  readonly configFile?: string;
  readonly config: EdgeConfig;
}

/** A command line the emulator cannot run with; `main` prints it and exits with code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The text `--help` prints. */
export const USAGE = `Usage: npm start -- [--port N] [--host H] [--originals DIR] [--renditions DIR] [--endpoint URL] [--config FILE]

  --port N          port to listen on, 0-65535 (env PORT; default 8080)
  --host H          interface to listen on (default 127.0.0.1)
  --originals DIR   originals, the exchange bucket: a folder or s3://bucket[/prefix]
                    (env VETRINA_ORIGINALS; default examples/originals)
  --renditions DIR  renditions: a folder or s3://bucket[/prefix] (env VETRINA_RENDITIONS; default .vetrina/renditions)
  --endpoint URL    S3-compatible endpoint for s3:// stores (env VETRINA_S3_ENDPOINT; default AWS);
                    credentials come from the AWS SDK's usual chain (AWS_ACCESS_KEY_ID, ...)
  --config FILE     JSON config overrides (env VETRINA_CONFIG); without signing.keys the
                    development key ring {"dev": "vetrina-dev-secret"} is used (development only)
  --help            print this text
`;

/**
 * Reads flags (`--name value` or `--name=value`) over environment variables over defaults.
 * Returns `'help'` for `--help`. Throws {@link UsageError} for an unknown flag, a missing
 * value, a bad port, or a config file that cannot be read, parsed or validated.
 */
export function readCliOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): CliOptions | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        originals: { type: 'string' },
        renditions: { type: 'string' },
        endpoint: { type: 'string' },
        config: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return 'help';

  const text = (flag: string, variable: string | undefined, fallback?: string): string | undefined => {
    const value = (values[flag] as string | undefined) ?? (variable === undefined ? undefined : env[variable]);
    if (value === '') {
      const source = values[flag] !== undefined ? `--${flag}` : variable;
      throw new UsageError(`${source}: expected a value, got an empty string`);
    }
    return value ?? fallback;
  };

  const portText = text('port', 'PORT', '8080') as string;
  const port = Number(portText);
  if (!/^\d{1,5}$/.test(portText) || port > 65535) {
    const source = values.port !== undefined ? '--port' : 'PORT';
    throw new UsageError(`${source}: expected a port number 0-65535, got "${portText}"`);
  }

  const configFile = text('config', 'VETRINA_CONFIG');
  const originals = text('originals', 'VETRINA_ORIGINALS', 'examples/originals') as string;
  const renditions = text('renditions', 'VETRINA_RENDITIONS', '.vetrina/renditions') as string;
  const overlap = folderOverlap(originals, renditions);
  if (overlap) throw new UsageError(`--renditions: ${overlap}`);
  const endpoint = text('endpoint', 'VETRINA_S3_ENDPOINT');
  if (endpoint !== undefined && !/^https?:\/\/[^/]+/.test(endpoint)) {
    throw new UsageError(`--endpoint: expected an http(s) URL such as http://127.0.0.1:4568, got "${endpoint}"`);
  }
  return {
    host: text('host', undefined, '127.0.0.1') as string,
    port,
    originals,
    renditions,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(configFile === undefined ? {} : { configFile }),
    config: loadConfig(configFile, readFile),
  };
}

/**
 * Why the two folders cannot work together, or `undefined`: renditions written inside the
 * originals folder would be listed as originals (and the reverse), the loop of CASES.md case 19.
 */
export function folderOverlap(originals: string, renditions: string): string | undefined {
  if (!locationsOverlap(originals, renditions)) return undefined;
  return `the renditions folder "${renditions}" and the originals folder "${originals}" must not contain each other`;
}

function loadConfig(file: string | undefined, readFile: (path: string) => string): EdgeConfig {
  let overrides: EdgeConfigOverrides = {};
  if (file !== undefined) {
    let raw: string;
    try {
      raw = readFile(file);
    } catch (error) {
      throw new UsageError(
        `--config: cannot read "${file}": ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    try {
      overrides = JSON.parse(raw) as EdgeConfigOverrides;
    } catch (error) {
      throw new UsageError(
        `--config: "${file}" is not JSON: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
      throw new UsageError(`--config: "${file}" must hold a JSON object, got ${JSON.stringify(overrides)}`);
    }
  }

  const keys = overrides.signing?.keys;
  const withKeys: EdgeConfigOverrides = {
    ...overrides,
    signing: { ...overrides.signing, keys: keys && Object.keys(keys).length > 0 ? keys : DEV_SIGNING_KEYS },
  };
  try {
    return resolveConfig(withKeys);
  } catch (error) {
    throw new UsageError(`--config: ${error instanceof Error ? error.message : String(error)}`);
  }
}
