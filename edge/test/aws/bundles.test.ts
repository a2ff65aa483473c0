import { spawnSync } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signMessage } from '../../../sdk/ts/src/signing.js';

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

/** Runs the shipped viewer-request file with only what CloudFront Functions provide. */
function loadViewerFunction(): (event: unknown) => Record<string, unknown> {
  const code = readFileSync(join(out, 'viewer-request/index.js'), 'utf8');
  const cloudFrontCrypto = { createHash, createHmac };
  const context = createContext({
    require: (name: string) => {
      if (name === 'crypto') return cloudFrontCrypto;
      throw new Error(`module "${name}" is not available in CloudFront Functions`);
    },
    Buffer,
    console: { log() {} },
  });
  runInContext(code, context, { filename: 'viewer-request/index.js' });
  return runInContext('handler', context) as (event: unknown) => Record<string, unknown>;
}

function viewerEvent(uri: string, query: Record<string, string>, headers: Record<string, string>) {
  const wrap = (record: Record<string, string>) =>
    Object.fromEntries(Object.entries(record).map(([name, value]) => [name, { value }]));
  return {
    version: '1.0',
    context: { eventType: 'viewer-request', requestId: 'req-1', distributionId: 'E1' },
    viewer: { ip: '127.0.0.1' },
    request: { method: 'GET', uri, querystring: wrap(query), headers: wrap(headers), cookies: {} },
  };
}

describe('build-bundles', () => {
  it('keeps every bundle within its platform limit', () => {
    const report = sizes.map(
      (b) => `${b.name} ${b.bytes}/${b.zipBytes ?? '-'} bytes, limits ${JSON.stringify(b.limits)}`,
    );

    expect(sizes.map((b) => b.name)).toEqual(expect.arrayContaining(['viewer-request', 'origin-response', 's3-event']));
    expect(
      sizes.filter((b) => !b.ok).map((b) => b.name),
      report.join('\n'),
    ).toEqual([]);
    expect(buildOutput).toContain('origin-response');
  });

  it('ships sharp with its linux-x64 binaries and no other platform in the Lambda zips', () => {
    for (const name of ['origin-response', 's3-event']) {
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

  it('makes the s3-event bundle fail fast naming a missing environment variable', () => {
    const script = `
      const { handler } = await import(${JSON.stringify(join(out, 's3-event/index.mjs'))});
      await handler({ Records: [] }).catch((error) => process.stdout.write(error.message));`;

    const run = spawnSync('node', ['--input-type=module', '-e', script], {
      cwd: scratch,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });

    expect(run.stdout).toBe('environment variable EXCHANGE_BUCKET is required but not set');
  });
});

describe('viewer-request CloudFront Function file', () => {
  it('is one script with a top-level handler and no module but crypto', () => {
    const code = readFileSync(join(out, 'viewer-request/index.js'), 'utf8');

    expect(code.startsWith("var crypto = require('crypto');\n")).toBe(true);
    expect(code).toMatch(/\nfunction handler\(event\) \{\n/);
    expect(code.match(/require\(/g)).toHaveLength(1);
    expect(code).not.toMatch(/\b(import|export)\s/);
    expect(code).not.toContain('process.');
  });

  it('rewrites a request to its canonical rendition URI in a CloudFront-like sandbox', () => {
    const handler = loadViewerFunction();

    const result = handler(viewerEvent('/w700/fahrzeuge/E%2BP%201.jpg', { v: '17' }, { accept: 'image/webp,*/*' }));

    expect(result.uri).toBe('/fahrzeuge/E%2BP%201.jpg/_r/w800-q78.webp');
    expect(result.querystring).toEqual({ v: { value: '17' } });
    expect((result.headers as Record<string, { value: string }>)['x-vetrina-public-uri']?.value).toBe(
      '/w700/fahrzeuge/E%2BP%201.jpg?v=17',
    );
  });

  it('verifies an HMAC signature with the baked key ring and rejects an unsigned custom option with 403', () => {
    const handler = loadViewerFunction();
    const signature = signMessage('w640,q50/fahrzeuge/K%C3%BChler.jpg', 'k1', 'vetrina-test-secret-1');

    const signed = handler(viewerEvent('/w640,q50/fahrzeuge/K%C3%BChler.jpg', { s: signature }, {}));
    const unsigned = handler(viewerEvent('/w640,q50/fahrzeuge/K%C3%BChler.jpg', {}, {}));
    const forged = handler(
      viewerEvent('/w640,q50/fahrzeuge/K%C3%BChler.jpg', { s: `${signature.slice(0, -2)}AA` }, {}),
    );

    expect(signed.uri).toBe('/fahrzeuge/K%C3%BChler.jpg/_r/w640-q50.jpg');
    expect(unsigned.statusCode).toBe(403);
    expect(JSON.parse(unsigned.body as string).error.code).toBe('SIGNATURE_REQUIRED');
    expect((unsigned.headers as Record<string, { value: string }>)['cache-control']?.value).toBe('no-store');
    expect(forged.statusCode).toBe(403);
    expect(JSON.parse(forged.body as string).error.code).toBe('BAD_SIGNATURE');
  });

  it('answers a bad path with the coded 400 JSON error', () => {
    const handler = loadViewerFunction();

    const result = handler(viewerEvent('/w2561/a.jpg', {}, {}));

    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body as string)).toMatchObject({ error: { code: 'WIDTH_OUT_OF_RANGE', status: 400 } });
  });
});
