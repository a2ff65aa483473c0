/**
 * Stand-in bundles with the layout of scripts/build-bundles.mjs, so the CDK tests synth without
 * a build. The files are tiny but real: the viewer function is valid cloudfront-js-2.0 code.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Creates the stand-in bundles in a new temporary directory and returns its path. */
export function makeStandInBundles(): string {
  const root = mkdtempSync(join(tmpdir(), 'vetrina-bundles-'));
  mkdirSync(join(root, 'viewer-request'));
  writeFileSync(
    join(root, 'viewer-request/index.js'),
    "import cf from 'cloudfront';\nconst kvs = cf.kvs();\nasync function handler(event) {\n  await kvs.exists('signing-keys');\n  return event.request;\n}\n",
  );
  for (const name of ['origin-response', 's3-event', 'audit', 'backfill']) {
    mkdirSync(join(root, name));
    writeFileSync(join(root, name, 'index.mjs'), `export const handler = async () => ({ stand_in: '${name}' });\n`);
  }
  return root;
}
