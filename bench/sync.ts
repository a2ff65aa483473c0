/**
 * `vetrina sync` against `aws s3 sync` (Debian's awscli) on the same trees and the same local
 * S3-compatible server: a no-change re-run over many small files, and a first upload.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { S3RVER_CREDENTIALS, startS3Server } from '../edge/test/support/s3-server.js';
import { fmt, printTable } from './lib.js';

const AWS = '/usr/bin/aws';
const run = promisify(execFile);

/** Runs a command to completion and returns its wall seconds; asynchronous, since s3rver shares this event loop. */
async function timed(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  try {
    await run(command, [...args], { env: { ...process.env, ...env }, maxBuffer: 256 * 1024 * 1024 });
  } catch (error) {
    const failure = error as { code?: number; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} exited ${failure.code}: ${(failure.stderr ?? '').slice(-1500)}`);
  }
  return (performance.now() - started) / 1000;
}

async function makeTree(dir: string, files: number, width: number): Promise<void> {
  const perFolder = 100;
  for (let i = 0; i < files; i++) {
    const folder = join(dir, `fahrzeuge/${String(Math.floor(i / perFolder)).padStart(4, '0')}`);
    if (i % perFolder === 0) mkdirSync(folder, { recursive: true });
    const shade = i % 256;
    const jpeg = await sharp({
      create: {
        width,
        height: Math.round((width * 3) / 4),
        channels: 3,
        background: { r: shade, g: 90, b: 255 - shade },
      },
    })
      .jpeg({ quality: 80 })
      .toBuffer();
    writeFileSync(join(folder, `${i}.jpg`), jpeg);
  }
}

/** Runs the section and prints its table. `smallFiles` defaults to 20,000 in the full run. */
export async function benchSync(options: { smallFiles: number; uploadFiles: number }): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'vetrina-bench-sync-'));
  const server = await startS3Server(['vetrina-small', 'aws-small', 'vetrina-upload', 'aws-upload']);
  const env = {
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    XDG_CACHE_HOME: join(root, 'cache'),
  };
  const vetrina = (tree: string, bucket: string) =>
    timed(
      'node',
      [
        'bin/vetrina.mjs',
        'sync',
        tree,
        `s3://${bucket}`,
        '--endpoint',
        server.endpoint,
        '--quiet',
        '--concurrency',
        '16',
      ],
      env,
    );
  const aws = (tree: string, bucket: string) =>
    timed(AWS, ['s3', 'sync', tree, `s3://${bucket}`, '--endpoint-url', server.endpoint, '--only-show-errors'], env);

  try {
    // The installed command runs the compiled CLI; build it so the figures are of this tree.
    process.stderr.write('  compiling the CLI (npm run build:lib)…\n');
    await run('npx', ['tsc', '-p', 'tsconfig.build.json']);
    const small = join(root, 'small');
    const upload = join(root, 'upload');
    process.stderr.write(`  making ${options.smallFiles} small files and ${options.uploadFiles} upload files…\n`);
    await makeTree(small, options.smallFiles, 16);
    await makeTree(upload, options.uploadFiles, 640);

    process.stderr.write('  first sync of the small tree with both tools (not timed as a result)…\n');
    await vetrina(small, 'vetrina-small');
    await aws(small, 'aws-small');
    const noChange = [await vetrina(small, 'vetrina-small'), await aws(small, 'aws-small')];
    const firstUpload = [await vetrina(upload, 'vetrina-upload'), await aws(upload, 'aws-upload')];

    printTable(
      `Sync to a local S3-compatible server (s3rver on 127.0.0.1), wall seconds including process start-up`,
      ['run', 'vetrina sync', 'aws s3 sync', 'aws/vetrina'],
      [
        [
          `no-change re-run, ${options.smallFiles} files`,
          fmt(noChange[0] ?? 0, 2),
          fmt(noChange[1] ?? 0, 2),
          `${fmt((noChange[1] ?? 0) / (noChange[0] ?? 1), 1)}×`,
        ],
        [
          `first upload, ${options.uploadFiles} files (vetrina validates each)`,
          fmt(firstUpload[0] ?? 0, 2),
          fmt(firstUpload[1] ?? 0, 2),
          `${fmt((firstUpload[1] ?? 0) / (firstUpload[0] ?? 1), 1)}×`,
        ],
      ],
    );
  } finally {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  }
}
