import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USAGE } from '../../src/cli/args.js';
import { cleanup, jpeg, runCli, tempDir, writeTree } from './helpers.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

let photo: Buffer;

beforeAll(async () => {
  photo = await jpeg(48, 36);
  // The default credential chain stops at these variables and never probes a metadata endpoint.
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
});

afterAll(() => cleanup());

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('vetrina usage errors', () => {
  it.each([
    ['an unknown command', ['publish', 'a', 'b'], 'unknown command "publish"'],
    ['a missing location', ['sync', 'only-one'], 'sync takes exactly two locations'],
    ['no command at all', [], 'missing command'],
    ['an unknown option', ['audit', 'a', 'b', '--force'], "Unknown option '--force'"],
    ['a concurrency of 0', ['backfill', 'a', 'b', '--concurrency', '0'], '--concurrency must be an integer'],
    ['a concurrency that is not a number', ['sync', 'a', 'b', '--concurrency', 'many'], 'got "many"'],
    ['an endpoint that is not a URL', ['backfill', 'a', 'b', '--endpoint', 'localhost:9000'], '--endpoint must be'],
    ['an ftp endpoint', ['backfill', 'a', 'b', '--endpoint', 'ftp://127.0.0.1'], '--endpoint must be'],
    ['an option of another command', ['backfill', 'a', 'b', '--fix'], '--fix applies to audit only'],
  ])('exits 2 with one line and no stack trace for %s', async (_, argv, message) => {
    const run = await runCli(argv);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout).toBe('');
  });

  it('exits 2 for a malformed s3 URL and for a missing export folder', async () => {
    const exportDir = tempDir('usage');

    const badBucket = await runCli(['sync', exportDir, 's3://Upper_Case/x']);
    const badScheme = await runCli(['sync', exportDir, 's3:/bucket/x']);
    const noFolder = await runCli(['sync', join(exportDir, 'nope'), join(exportDir, 'dest')]);

    expect(badBucket.code).toBe(2);
    expect(badBucket.stderr).toContain('bucket of 3-63 a-z 0-9 . -, got "Upper_Case"');
    expect(badScheme.code).toBe(2);
    expect(badScheme.stderr).toContain('expected a folder or s3://bucket[/prefix]');
    expect(noFolder.code).toBe(2);
    expect(noFolder.stderr).toContain(`export folder ${join(exportDir, 'nope')} does not exist`);
  });

  it('prints the usage on stdout and exits 0 for --help and help', async () => {
    const flag = await runCli(['--help']);
    const word = await runCli(['help']);

    expect(flag.code).toBe(0);
    expect(flag.stdout).toBe(USAGE);
    expect(word.stdout).toBe(USAGE);
    expect(flag.stderr).toBe('');
  });

  it('documents exactly the options the parser accepts', async () => {
    const documented = [...new Set(USAGE.match(/--[a-z-]+/g))].sort();

    const refused: string[] = [];
    for (const option of documented) {
      const run = await runCli(['audit', 'a', 'b', option, '1']);
      if (run.stderr.includes('Unknown option')) refused.push(option);
    }

    expect(documented).toEqual([
      '--concurrency',
      '--config',
      '--delete',
      '--dry-run',
      '--endpoint',
      '--fix',
      '--help',
      '--json',
      '--manifest',
      '--prefix',
      '--quiet',
      '--region',
      '--report',
    ]);
    expect(refused).toEqual([]);
  });
});

describe('vetrina with an unreachable store', () => {
  it.each([
    [
      'backfill',
      (dir: string, port: number) => ['backfill', 's3://exchange/x', dir, '--endpoint', `http://127.0.0.1:${port}`],
    ],
    [
      'sync',
      (dir: string, port: number) => [
        ...['sync', dir, 's3://exchange/x', '--endpoint', `http://127.0.0.1:${port}`],
        ...['--manifest', join(dir, '.manifest.json')],
      ],
    ],
  ])('%s exits 3 within seconds when the endpoint refuses connections', async (_, argv) => {
    const dir = tempDir('unreachable');
    writeTree(dir, { 'a.jpg': photo, 'b.jpg': photo });
    const port = await closedPort();
    const started = Date.now();

    const run = await runCli([...argv(dir, port), '--quiet']);

    expect(run.code).toBe(3);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(run.stderr).toContain('ECONNREFUSED');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('vetrina progress', () => {
  it('writes plain progress lines with counts when stderr is not a terminal, and none with --quiet', async () => {
    const dir = tempDir('progress');
    writeTree(dir, { 'export/a.jpg': photo, 'export/b.jpg': photo, 'export/c.txt': 'text' });
    const sync = (destination: string, ...extra: string[]) =>
      runCli([
        'sync',
        join(dir, 'export'),
        join(dir, destination),
        '--manifest',
        join(dir, `${destination}.json`),
        ...extra,
      ]);

    const loud = await sync('one');
    const quiet = await sync('two', '--quiet');

    expect(loud.stderr.split('\n')).toEqual([
      'sync [........................] 0/3 (0.0/s) ',
      expect.stringMatching(/^sync \[#{24}\] 3\/3 \(\d+\.\d\/s\) rejected 1, uploaded 2$/),
      'sync: 2 uploaded, 0 unchanged, 1 rejected, 0 deleted, 0 failed',
      '  rejected c.txt: ORIGINAL_UNSUPPORTED original: not an image (no JPEG, PNG, WebP, AVIF, HEIF, GIF, TIFF or SVG signature)',
      '',
    ]);
    expect(loud.stderr).not.toContain('\r');
    expect(quiet.code).toBe(1);
    expect(quiet.stderr).toBe('');
  });
});

describe('vetrina as a child process', () => {
  const run = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        join(ROOT, 'node_modules', '.bin', 'tsx'),
        [join(ROOT, 'edge/src/cli/bin.ts'), ...args],
        { cwd: ROOT, timeout: 60_000, env: { ...process.env, NODE_OPTIONS: '' } },
        (error, stdout, stderr) => resolve({ code: error ? (error.code as number | null) : 0, stdout, stderr }),
      );
    });

  it('sets the process exit code: 0 for help, 2 for a usage error, 1 for a rejected file', async () => {
    const dir = tempDir('child');
    writeTree(dir, { 'export/ok.jpg': photo, 'export/empty.jpg': '' });

    const help = await run(['--help']);
    const usage = await run(['sync']);
    const sync = await run([
      'sync',
      join(dir, 'export'),
      join(dir, 'dest'),
      '--manifest',
      join(dir, 'm.json'),
      '--json',
    ]);

    expect(help.code).toBe(0);
    expect(help.stdout).toBe(USAGE);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe(
      'vetrina: sync takes exactly two locations, <export-dir> <destination>; got 0 (see vetrina --help)\n',
    );
    expect(sync.code).toBe(1);
    expect(JSON.parse(sync.stdout)).toMatchObject({
      uploaded: ['ok.jpg'],
      rejected: [{ key: 'empty.jpg', code: 'ORIGINAL_EMPTY' }],
    });
  });

  it('stops on SIGINT with exit 130 and a report, and a re-run uploads only the rest', async () => {
    const dir = tempDir('sigint');
    const files = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`export/car ${i}.jpg`, photo]));
    writeTree(dir, files);
    const args = ['sync', join(dir, 'export'), join(dir, 'dest'), '--manifest', join(dir, 'm.json')];
    const child = spawn(
      join(ROOT, 'node_modules', '.bin', 'tsx'),
      [join(ROOT, 'edge/src/cli/bin.ts'), ...args, '--concurrency', '1', '--report', join(dir, 'first.json')],
      {
        cwd: ROOT,
        env: { ...process.env, NODE_OPTIONS: '' },
      },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // The first progress line comes after the listing, before the uploads; interrupt there.
    child.stderr.once('data', () => child.kill('SIGINT'));

    const code = await exited;
    const first = JSON.parse(readFileSync(join(dir, 'first.json'), 'utf8'));
    const resumed = await runCli([...args, '--json']);

    expect(code).toBe(130);
    expect(first.interrupted).toBe(true);
    expect(first.uploaded.length).toBeLessThan(60);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ unchanged: first.uploaded.length, interrupted: false });
    expect(JSON.parse(resumed.stdout).uploaded).toHaveLength(60 - first.uploaded.length);
  });
});
