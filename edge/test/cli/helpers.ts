/**
 * Helpers for the CLI tests: small images made with sharp, temporary folders, the CLI run
 * in-process with its output captured, and the two kinds of store each test runs against.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { main } from '../../src/cli/main.js';
import { openStore } from '../../src/storage/open.js';
import type { Storage } from '../../src/storage/types.js';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.js';
import { S3RVER_CREDENTIALS, type S3TestServer, startS3Server } from '../support/s3-server.js';

/** A JPEG of `width`×`height` px, one colour plus a little noise so it has real scan data. */
export async function jpeg(width: number, height: number, colour = '#c04020'): Promise<Buffer> {
  const noise = { type: 'gaussian' as const, mean: 128, sigma: 30 };
  const grain = await sharp({ create: { width, height, channels: 3, background: '#808080', noise } })
    .png()
    .toBuffer();
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .composite([{ input: grain, blend: 'soft-light' }])
    .jpeg({ quality: 70 })
    .toBuffer();
}

/** A JPEG cut in half: its header is sound, its scan data ends early. */
export async function truncatedJpeg(): Promise<Buffer> {
  const whole = await jpeg(96, 72);
  return whole.subarray(0, Math.floor(whole.length / 2));
}

/** A PNG made by sharp at 1×1 px whose header is rewritten to declare `side`×`side` px. */
export async function pixelBombPng(side = 20_000): Promise<Buffer> {
  const png = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } })
    .png()
    .toBuffer();
  // Signature (8) + IHDR length (4), then type + data (17 bytes) and their CRC.
  const ihdr = png.subarray(12, 29);
  ihdr.writeUInt32BE(side, 4);
  ihdr.writeUInt32BE(side, 8);
  png.writeUInt32BE(crc32(ihdr), 29);
  return png;
}

/** A fresh temporary folder; `cleanup` removes all of them. */
const made: string[] = [];
export function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `vetrina-cli-${label}-`));
  made.push(dir);
  return dir;
}
export function cleanup(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Writes `files` (key → bytes) below `dir`, creating folders; all with mtime `mtime` (s). */
export function writeTree(dir: string, files: Record<string, Buffer | string>, mtime = 1_700_000_000): void {
  for (const [key, body] of Object.entries(files)) {
    const path = join(dir, ...key.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, body);
    utimesSync(path, mtime, mtime);
  }
}

/** What one in-process run of the CLI did. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `vetrina argv` in-process with stdout and stderr captured (stderr is not a TTY). */
export async function runCli(argv: readonly string[], signal?: AbortSignal): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    ...(signal ? { signal } : {}),
  });
  return { code, stdout, stderr };
}

/**
 * One kind of store the CLI is tested against: a location string for the command line, the
 * extra options it needs, and a store to inspect the result with.
 */
export interface StoreKind {
  readonly name: string;
  /** A new empty store; returns its command-line location. */
  fresh(label: string): string;
  /** Options to add to every command line (`--endpoint` for S3). */
  readonly options: readonly string[];
  /** A store on `location` for assertions, not going through the proxy. */
  open(location: string): Storage;
}

/** Local folders below a temporary folder. */
export function localKind(): StoreKind {
  return {
    name: 'a local folder',
    fresh: (label) => join(tempDir(label), 'store'),
    options: [],
    open: (location) => openStore(location),
  };
}

/** Buckets on an s3rver on 127.0.0.1, reached through a fault proxy that counts requests. */
export interface S3Kind extends StoreKind {
  readonly server: S3TestServer;
  readonly proxy: FaultProxy;
  close(): Promise<void>;
}

/**
 * Starts s3rver with `buckets` and a counting proxy before it. Sets the SDK's credential
 * variables to s3rver's pair, so the CLI's default credential chain stops there and never
 * looks for an instance metadata endpoint.
 */
export async function s3Kind(buckets: readonly string[]): Promise<S3Kind> {
  process.env.AWS_ACCESS_KEY_ID = S3RVER_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = S3RVER_CREDENTIALS.secretAccessKey;
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  const server = await startS3Server(buckets);
  const proxy = await startFaultProxy(server.endpoint);
  let next = 0;
  return {
    name: 's3rver',
    server,
    proxy,
    // Each test gets its own prefix of one bucket: buckets are made up front.
    fresh(label) {
      next += 1;
      return `s3://${buckets[0]}/${label}-${next}`;
    },
    options: ['--endpoint', proxy.endpoint],
    open: (location) => {
      const match = /^s3:\/\/([^/]+)\/(.*)$/.exec(location);
      return server.storage(match?.[1] ?? '', { prefix: `${match?.[2] ?? ''}/` });
    },
    async close() {
      await proxy.close();
      await server.close();
    },
  };
}

/** Every key of a store, sorted. */
export async function keysOf(store: Storage): Promise<string[]> {
  const keys: string[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await store.list('', continuationToken ? { continuationToken } : {});
    keys.push(...page.objects.map((o) => o.key));
    continuationToken = page.continuationToken;
  } while (continuationToken);
  return keys.sort();
}
