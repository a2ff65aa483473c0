#!/usr/bin/env node
// `npm run build`: one deployable artifact per function, built with esbuild into dist/bundles/.
//
//   viewer-request/index.js   CloudFront Function (cloudfront-js-2.0): one script, a top-level
//                             `function handler(event)`, only `require('crypto')`; ≤ 10 KB.
//   origin-response/          Lambda@Edge (Node.js 22, x86_64): index.mjs + node_modules with
//                             sharp and its linux-x64 binaries only; zipped as origin-response.zip.
//   s3-event/                 regional Lambda (Node.js 22, x86_64), same layout; s3-event.zip.
//   audit/, backfill/         regional Lambdas, when their entries exist under edge/src/aws/.
//
// The edge configuration is baked in from a deployment file (Lambda@Edge and CloudFront
// Functions have no environment): `--edge-config FILE` or VETRINA_EDGE_CONFIG; without either,
// the example edge/src/aws/edge-deployment.json is baked and a warning is printed.
// Other flags: `--out DIR` (default dist/bundles), `--only name,name`.
// Ends with a size report and writes it to {out}/sizes.json; exits 1 when a bundle is over its
// platform limit.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(new URL('..', import.meta.url).pathname);
const MB = 1024 * 1024;

/** Platform limits in bytes (CloudFront and Lambda quotas). */
const LIMITS = {
  cloudFrontFunction: 10 * 1024,
  edgeZipped: 50 * MB,
  regionalZipped: 50 * MB,
  regionalUnzipped: 250 * MB,
};

/** Packages a sharp bundle ships besides sharp's own dependencies: Linux x86_64 glibc only. */
const SHARP_PLATFORM = ['@img/sharp-linux-x64', '@img/sharp-libvips-linux-x64'];

const LAMBDAS = [
  { name: 'origin-response', entry: 'edge/src/aws/origin-response.ts', sharp: true, edge: true },
  { name: 's3-event', entry: 'edge/src/aws/s3-event.ts', sharp: true, edge: false },
  { name: 'backfill', entry: 'edge/src/aws/backfill.ts', sharp: true, edge: false, optional: true },
  { name: 'audit', entry: 'edge/src/aws/audit.ts', sharp: false, edge: false, optional: true },
];

function parseArgs(argv) {
  const options = { out: 'dist/bundles', edgeConfig: process.env.VETRINA_EDGE_CONFIG, only: undefined };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--out' && value) options.out = value;
    else if (flag === '--edge-config' && value) options.edgeConfig = value;
    else if (flag === '--only' && value) options.only = value.split(',');
    else {
      process.stderr.write(`build-bundles: unknown or incomplete flag "${flag}"; use --out, --edge-config, --only\n`);
      process.exit(2);
    }
    i += 1;
  }
  return options;
}

/** esbuild plugin: the deployment file replaces the example `edge-deployment.json`. */
function bakedConfig(file) {
  return {
    name: 'baked-edge-config',
    setup(b) {
      b.onResolve({ filter: /edge-deployment\.json$/ }, () => ({ path: file }));
    },
  };
}

/** esbuild plugin: `node:crypto` becomes the CloudFront Functions shim module. */
function cloudFrontCrypto() {
  return {
    name: 'cloudfront-crypto',
    setup(b) {
      b.onResolve({ filter: /^(node:)?crypto$/ }, () => ({ path: join(root, 'edge/src/aws/cf-function-shims.ts') }));
    },
  };
}

/** The viewer's configuration, resolved and validated here in Node so the function need not. */
async function resolvedViewerConfig(edgeConfig) {
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['edge/src/aws/viewer-config.ts'],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    plugins: [bakedConfig(edgeConfig)],
    logLevel: 'warning',
  });
  const url = `data:text/javascript;base64,${Buffer.from(result.outputFiles[0].text).toString('base64')}`;
  const { presets, widthLadder, quality, signing, cacheControl } = (await import(url)).viewerConfig;
  // Only what the parser and the viewer handler read: the function has 10 KB in all.
  return {
    presets: Object.fromEntries(Object.entries(presets).map(([name, { eager, ...preset }]) => [name, preset])),
    widthLadder,
    quality,
    signing,
    cacheControl: { error: cacheControl.error },
  };
}

/** esbuild plugin: the viewer-config module becomes a literal of the resolved configuration. */
function literalViewerConfig(config) {
  return {
    name: 'literal-viewer-config',
    setup(b) {
      b.onResolve({ filter: /viewer-config\.js$/ }, () => ({ path: 'viewer-config', namespace: 'vetrina' }));
      b.onLoad({ filter: /.*/, namespace: 'vetrina' }, () => ({
        contents: `export const viewerConfig = ${JSON.stringify(config)};`,
        loader: 'js',
      }));
    },
  };
}

/**
 * esbuild plugin: the error catalogue without its `cause` texts, which only documentation
 * reads, and without the codes only the origin can answer (originals, render, storage).
 */
function slimCatalogue() {
  return {
    name: 'slim-catalogue',
    setup(b) {
      b.onLoad({ filter: /sdk\/ts\/src\/errors\.ts$/ }, (args) => ({
        contents: readFileSync(args.path, 'utf8')
          .replace(/, cause: '[^']*'/g, '')
          .replace(/^\s*(ORIGINAL_\w+|RENDER_FAILED|STORAGE_FAILED): \{ status: \d+ \},\n/gm, ''),
        loader: 'ts',
      }));
    },
  };
}

async function buildViewerRequest(out, edgeConfig) {
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['edge/src/aws/viewer-request-function.ts'],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'neutral',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    inject: ['edge/src/aws/cf-function-shims.ts'],
    // Frozen tables nobody reads (the defaults the baked literal replaces) can then be dropped.
    pure: ['Object.freeze'],
    plugins: [literalViewerConfig(await resolvedViewerConfig(edgeConfig)), slimCatalogue(), cloudFrontCrypto()],
    logLevel: 'warning',
  });
  // CloudFront Functions call a top-level `handler`; `crypto` is the only module they offer.
  const code = `var crypto = require('crypto');\nvar vetrinaHandle;\n${result.outputFiles[0].text}function handler(event) {\n  return vetrinaHandle(event);\n}\n`;
  const dir = join(out, 'viewer-request');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.js'), code);
  return { name: 'viewer-request', kind: 'cloudfront-function', bytes: Buffer.byteLength(code) };
}

/** A package and every runtime dependency it needs, found from the repository's node_modules. */
function packageClosure(names, seen = new Set()) {
  for (const name of names) {
    if (seen.has(name)) continue;
    const manifest = join(root, 'node_modules', name, 'package.json');
    if (!existsSync(manifest)) {
      throw new Error(
        `build-bundles: ${name} is not installed; run npm ci on Linux x64 (or npm i --os=linux --cpu=x64)`,
      );
    }
    seen.add(name);
    const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
    packageClosure(Object.keys(pkg.dependencies ?? {}), seen);
  }
  return seen;
}

function copySharp(dir) {
  for (const name of packageClosure(['sharp', ...SHARP_PLATFORM])) {
    const from = join(root, 'node_modules', name);
    cpSync(from, join(dir, 'node_modules', name), {
      recursive: true,
      dereference: true,
      // sharp's C++ sources and install scripts are for building from source, not for running.
      filter: (path) => {
        const rel = relative(from, path);
        return !(name === 'sharp' && (rel === 'src' || rel === 'install'));
      },
    });
  }
}

function dirBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? dirBytes(path) : statSync(path).size;
  }
  return total;
}

async function buildLambda(out, edgeConfig, lambda) {
  const dir = join(out, lambda.name);
  mkdirSync(dir, { recursive: true });
  await build({
    absWorkingDir: root,
    entryPoints: [lambda.entry],
    outfile: join(dir, 'index.mjs'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    external: ['sharp'],
    // Bundled CommonJS (the AWS SDK) calls require() for Node built-ins.
    banner: {
      js: "import { createRequire as vetrinaRequire } from 'node:module'; const require = vetrinaRequire(import.meta.url);",
    },
    plugins: lambda.edge ? [bakedConfig(edgeConfig)] : [],
    logLevel: 'warning',
  });
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  if (lambda.sharp) copySharp(dir);

  const zip = join(out, `${lambda.name}.zip`);
  rmSync(zip, { force: true });
  const zipped = spawnSync('zip', ['-q', '-r', '-X', zip, '.'], { cwd: dir, stdio: 'inherit' });
  if (zipped.status !== 0) throw new Error('build-bundles: zip failed (install the zip tool)');
  return {
    name: lambda.name,
    kind: lambda.edge ? 'lambda-edge' : 'lambda',
    bytes: dirBytes(dir),
    zipBytes: statSync(zip).size,
  };
}

function limitsOf(bundle) {
  if (bundle.kind === 'cloudfront-function') return [['bytes', LIMITS.cloudFrontFunction]];
  if (bundle.kind === 'lambda-edge') return [['zipBytes', LIMITS.edgeZipped]];
  return [
    ['zipBytes', LIMITS.regionalZipped],
    ['bytes', LIMITS.regionalUnzipped],
  ];
}

function human(bytes) {
  return bytes >= MB ? `${(bytes / MB).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const out = resolve(root, options.out);
  let edgeConfig = options.edgeConfig ? resolve(options.edgeConfig) : undefined;
  if (!edgeConfig) {
    edgeConfig = join(root, 'edge/src/aws/edge-deployment.json');
    process.stderr.write('build-bundles: no --edge-config; baking the example edge/src/aws/edge-deployment.json\n');
  }
  if (!existsSync(edgeConfig)) {
    process.stderr.write(`build-bundles: --edge-config ${edgeConfig} does not exist\n`);
    process.exit(2);
  }
  const wanted = (name) => !options.only || options.only.includes(name);

  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const bundles = [];
  if (wanted('viewer-request')) bundles.push(await buildViewerRequest(out, edgeConfig));
  for (const lambda of LAMBDAS) {
    if (!wanted(lambda.name) || (lambda.optional && !existsSync(join(root, lambda.entry)))) continue;
    bundles.push(await buildLambda(out, edgeConfig, lambda));
  }

  const report = bundles.map((bundle) => {
    const over = limitsOf(bundle).filter(([field, limit]) => bundle[field] > limit);
    return { ...bundle, limits: Object.fromEntries(limitsOf(bundle)), ok: over.length === 0 };
  });
  writeFileSync(join(out, 'sizes.json'), `${JSON.stringify(report, null, 2)}\n`);

  process.stdout.write('\nbundle            kind                 unzipped     zipped       limit\n');
  for (const b of report) {
    const limit = limitsOf(b)
      .map(([field, value]) => `${field === 'zipBytes' ? 'zip' : 'size'} ≤ ${human(value)}`)
      .join(', ');
    process.stdout.write(
      `${b.name.padEnd(18)}${b.kind.padEnd(21)}${human(b.bytes).padEnd(13)}${(b.zipBytes ? human(b.zipBytes) : '-').padEnd(13)}${limit}${b.ok ? '' : '  OVER LIMIT'}\n`,
    );
  }
  process.stdout.write(`\nwritten to ${relative(process.cwd(), out) || '.'}\n`);
  if (report.some((b) => !b.ok)) process.exit(1);
}

main().catch((error) => {
  process.stderr.write(`build-bundles: ${error.stack ?? error}\n`);
  process.exit(1);
});
