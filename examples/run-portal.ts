/**
 * Starts the emulator and the example PHP portal side by side on 127.0.0.1, in one Node
 * process: the browser tests and the web-vitals benchmark use {@link startPortal}, and
 * `npx tsx examples/run-portal.ts [--cdn-port N] [--portal-port N]` runs it for a person
 * until Ctrl-C (ports default to 0, a free port; `examples/php-portal/serve.sh` is the
 * shell equivalent on fixed ports).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { resolveConfig } from '../edge/src/config.js';
import { DEV_SIGNING_KEYS } from '../edge/src/emulator/options.js';
import { createEmulator, type Emulator } from '../edge/src/emulator/server.js';
import { type Logger, silentLogger } from '../edge/src/log.js';

const here = fileURLToPath(new URL('.', import.meta.url));

/** How long `php -S` may take to say it listens, in ms. */
const PHP_START_TIMEOUT_MS = 10_000;

/** Options of {@link startPortal}; every field optional. */
export interface PortalOptions {
  /** Folder of originals. Default `examples/originals`. */
  readonly originals?: string;
  /** Folder of renditions. Default: a fresh temporary folder, removed by `stop()`. */
  readonly renditions?: string;
  /** Emulator port; 0 (default) picks a free one. */
  readonly cdnPort?: number;
  /** PHP server port; 0 (default) picks a free one. */
  readonly portalPort?: number;
  /** The PHP CLI to run. Default `php` from the PATH. */
  readonly php?: string;
  /** The emulator's log. Default: silent. */
  readonly log?: Logger;
}

/** A running emulator + portal pair. */
export interface RunningPortal {
  /** Base URL of the portal, e.g. `http://127.0.0.1:41234` (pages: `/listing.php`, `/before.php`, `/vehicle.php`). */
  readonly portalUrl: string;
  /** Base URL of the emulator, which the portal's image URLs point at. */
  readonly cdnUrl: string;
  readonly emulator: Emulator;
  /** Stops the PHP server and the emulator and removes a temporary renditions folder. */
  stop(): Promise<void>;
}

/**
 * Starts the emulator (development signing keys, no originals watcher: every rendition is
 * made on demand, as CloudFront would on a cold cache) and `php -S` serving
 * `examples/php-portal` with `VETRINA_CDN` pointing at it.
 *
 * @throws Error when the PHP CLI cannot be started (naming the binary and how to install it)
 *   or does not report its address within 10 s; the emulator is stopped again then.
 */
export async function startPortal(options: PortalOptions = {}): Promise<RunningPortal> {
  const ownRenditions = options.renditions === undefined;
  const renditions = options.renditions ?? mkdtempSync(join(tmpdir(), 'vetrina-portal-'));
  const emulator = createEmulator({
    originals: options.originals ?? join(here, 'originals'),
    renditions,
    config: resolveConfig({ signing: { keys: DEV_SIGNING_KEYS } }),
    host: '127.0.0.1',
    port: options.cdnPort ?? 0,
    watch: false,
    log: options.log ?? silentLogger,
  });
  const cleanUp = async () => {
    await emulator.stop();
    if (ownRenditions) rmSync(renditions, { recursive: true, force: true });
  };

  let php: { child: ChildProcess; url: string };
  let cdnUrl: string;
  try {
    cdnUrl = await emulator.start();
    php = await startPhp(options.php ?? 'php', options.portalPort ?? 0, cdnUrl);
  } catch (error) {
    await cleanUp();
    throw error;
  }

  return {
    portalUrl: php.url,
    cdnUrl,
    emulator,
    async stop() {
      await stopChild(php.child);
      await cleanUp();
    },
  };
}

/** Runs `php -S 127.0.0.1:{port}` on the portal folder and resolves once it prints its address. */
function startPhp(binary: string, port: number, cdnUrl: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(binary, ['-S', `127.0.0.1:${port}`, '-t', join(here, 'php-portal')], {
    env: { ...process.env, VETRINA_CDN: cdnUrl },
    stdio: ['ignore', 'ignore', 'pipe'],
  });

  return new Promise((resolveStart, rejectStart) => {
    let seen = '';
    const fail = (message: string) => {
      clearTimeout(timer);
      child.kill();
      rejectStart(new Error(message));
    };
    const timer = setTimeout(
      () => fail(`php -S: no "Development Server (…) started" line within ${PHP_START_TIMEOUT_MS} ms, got "${seen}"`),
      PHP_START_TIMEOUT_MS,
    );
    child.once('error', (error: NodeJS.ErrnoException) => {
      fail(
        error.code === 'ENOENT'
          ? `PHP CLI "${binary}" not found: install it with "apt-get install php-cli" (npm test does so on CI)`
          : `PHP CLI "${binary}" could not start: ${error.message}`,
      );
    });
    child.once('exit', (code) => fail(`php -S exited with code ${code} before listening: "${seen.trim()}"`));
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      // Keep only the start-up text; the request log that follows is not needed.
      if (seen.length < 4096) seen += chunk;
      const started = /Development Server \((http:\/\/127\.0\.0\.1:\d+)\) started/.exec(seen);
      if (started?.[1]) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolveStart({ child, url: started[1] });
      }
    });
  });
}

/** Sends SIGTERM to `child` and waits for it to exit (at most 5 s, then SIGKILL). */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      done();
    });
    child.kill('SIGTERM');
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'cdn-port': { type: 'string', default: '0' }, 'portal-port': { type: 'string', default: '0' } },
  });
  const port = (flag: 'cdn-port' | 'portal-port') => {
    const text = values[flag];
    if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) {
      throw new Error(`--${flag}: expected a port number 0-65535, got "${text}"`);
    }
    return Number(text);
  };

  const portal = await startPortal({ cdnPort: port('cdn-port'), portalPort: port('portal-port') });
  process.stdout.write(
    `portal:  ${portal.portalUrl}/listing.php (with vetrina)  ${portal.portalUrl}/before.php (before)\n` +
      `images:  ${portal.cdnUrl}/ (emulator gallery)\nCtrl-C stops both.\n`,
  );
  const shutdown = () => {
    portal.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`run-portal: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
