import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const scratch = mkdtempSync(join(tmpdir(), 'vetrina-bundles-'));
const out = join(scratch, 'bundles');
const deployment = {
  exchange: { bucket: 'erp-car-photos', region: 'eu-central-1' },
  renditions: { bucket: 'erp-car-thumbs', region: 'eu-central-1' },
  edge: { signing: { keys: { k1: 'vetrina-test-secret-1' } } },
};

interface SizeEntry {
  name: string;
  kind: string;
  bytes: number;
  zipBytes?: number;
  limits: Record<string, number>;
  ok: boolean;
}

let sizes: SizeEntry[];
let buildOutput: string;

beforeAll(() => {
  writeFileSync(join(scratch, 'deployment.json'), JSON.stringify(deployment));
  const build = spawnSync(
    'node',
    ['scripts/build-bundles.mjs', '--out', out, '--edge-config', join(scratch, 'deployment.json')],
    { cwd: root, encoding: 'utf8' },
  );
  buildOutput = build.stdout + build.stderr;
  sizes = JSON.parse(readFileSync(join(out, 'sizes.json'), 'utf8'));
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('build-bundles', () => {
  it('keeps every bundle within its platform limit', () => {
    const report = sizes.map(
      (b) => `${b.name} ${b.bytes}/${b.zipBytes ?? '-'} bytes, limits ${JSON.stringify(b.limits)}`,
    );

    expect(sizes.map((b) => b.name)).toEqual(
      expect.arrayContaining(['viewer-request', 'origin-response', 's3-event', 'backfill', 'audit']),
    );
    expect(
      sizes.filter((b) => !b.ok).map((b) => b.name),
      report.join('\n'),
    ).toEqual([]);
    expect(buildOutput).toContain('origin-response');
  });

  it('ships sharp with its linux-x64 binaries and no other platform in the Lambda zips', () => {
    for (const name of ['origin-response', 's3-event', 'backfill']) {
      const listing = spawnSync('unzip', ['-Z1', join(out, `${name}.zip`)], { encoding: 'utf8' }).stdout.split('\n');

      expect(listing).toContain('index.mjs');
      expect(listing).toContain('node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64.node');
      expect(listing.some((f) => /node_modules\/@img\/sharp-libvips-linux-x64\/lib\/libvips-cpp\.so/.test(f))).toBe(
        true,
      );
      expect(listing.filter((f) => /darwin|arm64|linuxmusl|win32|wasm32/.test(f))).toEqual([]);
    }
  });

  it('bakes the deployment file into the origin-response bundle', () => {
    const code = readFileSync(join(out, 'origin-response/index.mjs'), 'utf8');

    expect(code).toContain('erp-car-photos');
    expect(code).not.toContain('vetrina-example-originals');
  });

  it('loads the origin-response bundle with its own sharp and passes a 200 from the origin through', () => {
    const script = `
      const { handler } = await import(${JSON.stringify(join(out, 'origin-response/index.mjs'))});
      const event = { Records: [{ cf: {
        config: { eventType: 'origin-response', requestId: 'r1', distributionId: 'E1' },
        request: { method: 'GET', uri: '/a.jpg/_r/w320-q80.jpg', querystring: '', headers: {} },
        response: { status: '200', statusDescription: 'OK', headers: { etag: [{ key: 'ETag', value: '"x"' }] } } } }] };
      const result = await handler(event);
      process.stdout.write(JSON.stringify({ status: result.status, etag: result.headers.etag[0].value }));`;

    const run = spawnSync('node', ['--input-type=module', '-e', script], { cwd: scratch, encoding: 'utf8' });

    expect(run.stderr).not.toMatch(/Error/);
    expect(JSON.parse(run.stdout.trim().split('\n').pop() as string)).toEqual({ status: '200', etag: '"x"' });
  });

  it.each([
    ['s3-event', { Records: [] }],
    ['backfill', { Items: [] }],
    ['audit', {}],
  ])('makes the %s bundle load and fail fast naming a missing environment variable', (name, event) => {
    const script = `
      const { handler } = await import(${JSON.stringify(join(out, `${name}/index.mjs`))});
      await handler(${JSON.stringify(event)}).catch((error) => process.stdout.write(error.message));`;

    const run = spawnSync('node', ['--input-type=module', '-e', script], {
      cwd: scratch,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });

    expect(run.stdout).toBe('environment variable EXCHANGE_BUCKET is required but not set');
  });

  it('ships the audit, which never renders, without sharp', () => {
    const listing = spawnSync('unzip', ['-Z1', join(out, 'audit.zip')], { encoding: 'utf8' })
      .stdout.trim()
      .split('\n');
    const audit = sizes.find((b) => b.name === 'audit');

    expect(listing.sort()).toEqual(['index.mjs', 'package.json']);
    expect(audit?.zipBytes).toBeLessThan(1024 * 1024);
  });
});
