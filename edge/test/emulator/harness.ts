/**
 * An emulator on 127.0.0.1 port 0 over fresh temp folders, for the HTTP-level tests.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/server.js';
import { type Logger, memoryLogger } from '../../src/log.js';
import { testConfig } from './helpers.js';

/** A temp folder pair for one emulator, removed by `cleanup`. */
export interface Folders {
  readonly root: string;
  readonly originals: string;
  readonly renditions: string;
  /** Writes `bytes` as the original with key `key` (a plain file, as a person would). */
  put(key: string, bytes: Buffer): Promise<void>;
  cleanup(): Promise<void>;
}

/** Makes empty originals and renditions folders under the system temp folder. */
export async function makeFolders(): Promise<Folders> {
  const root = await mkdtemp(join(tmpdir(), 'vetrina-emulator-'));
  const originals = join(root, 'originals');
  const renditions = join(root, 'renditions');
  await mkdir(originals);
  return {
    root,
    originals,
    renditions,
    async put(key, bytes) {
      const file = join(originals, ...key.split('/'));
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, bytes);
    },
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

/** A started emulator with its base URL and captured log. */
export interface Running {
  readonly emulator: Emulator;
  readonly url: string;
  readonly log: ReturnType<typeof memoryLogger>;
  stop(): Promise<void>;
}

/** Starts an emulator on 127.0.0.1 port 0 over `folders`; no watcher unless `watch: true`. */
export async function startEmulator(
  folders: Folders,
  options: Partial<Omit<EmulatorOptions, 'originals' | 'renditions' | 'log'>> = {},
): Promise<Running> {
  const log = memoryLogger();
  const emulator = createEmulator({
    originals: folders.originals,
    renditions: folders.renditions,
    config: options.config ?? testConfig(),
    host: '127.0.0.1',
    port: 0,
    watch: false,
    debounceMs: 50,
    log: log as Logger,
    ...options,
  });
  const url = await emulator.start();
  return { emulator, url, log, stop: () => emulator.stop() };
}
