#!/usr/bin/env node
// `npm run build`: one deployable artifact per function, built with esbuild into dist/bundles/.
//
//   viewer-request/index.js   CloudFront Function (cloudfront-js-2.0): ES 5.1 code, the one
//                             `import cf from 'cloudfront'` (KeyValueStore with the signing
//                             keys), `require('crypto')`, a top-level `async function
//                             handler(event)`; ≤ 10 KB, no secret.
//   origin-response/          Lambda@Edge (Node.js 22, x86_64): index.mjs + node_modules with
//                             sharp and its linux-x64 binaries only; zipped as origin-response.zip.
//   s3-event/                 regional Lambda (Node.js 22, x86_64), same layout; s3-event.zip.
//   backfill/                 regional Lambda, same layout as s3-event; backfill.zip.
//   audit/                    regional Lambda, index.mjs only (it never renders: no sharp).
//   The origin-response function reads `vetrina-edge.json` next to its index.mjs at cold start
//   (the CDK app writes it); the deployment baked in below is only its fallback.
//
// The edge configuration (without signing keys for the viewer) is baked in from a deployment
// file (Lambda@Edge and CloudFront Functions have no environment): `--edge-config FILE` or VETRINA_EDGE_CONFIG; without either,
// the example edge/src/aws/edge-deployment.json is baked and a warning is printed.
// Other flags: `--out DIR` (default dist/bundles), `--only name,name`.
// Ends with a size report and writes it to {out}/sizes.json; exits 1 when a bundle is over its
// platform limit.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { build, transform } from 'esbuild';
import { minify } from 'terser';
import ts from 'typescript';

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
  { name: 'backfill', entry: 'edge/src/aws/backfill.ts', sharp: true, edge: false },
  { name: 'audit', entry: 'edge/src/aws/audit.ts', sharp: false, edge: false },
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

/**
 * esbuild plugin for a Lambda shipped without sharp: `sharp` becomes a module that throws when
 * used. The audit reaches the engine's modules only through code it never runs (the CLI
 * audit's --fix), but their top-level `import sharp` would fail the function at load.
 */
function withoutSharp(name) {
  return {
    name: 'without-sharp',
    setup(b) {
      b.onResolve({ filter: /^sharp$/ }, () => ({ path: 'sharp', namespace: 'without-sharp' }));
      b.onLoad({ filter: /.*/, namespace: 'without-sharp' }, () => ({
        contents: `const absent = () => { throw new Error('${name}: sharp is not shipped in this bundle'); };
export default new Proxy(absent, { get: absent, apply: absent });`,
        loader: 'js',
      }));
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
  // Only what the parser and the viewer handler read: the function has 10 KB in all. No key
  // ring: the function reads it from its KeyValueStore, so no secret is in the code.
  return {
    presets: Object.fromEntries(Object.entries(presets).map(([name, { eager, ...preset }]) => [name, preset])),
    widthLadder,
    quality,
    signing: { require: signing.require },
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
 * esbuild plugin: a smaller error status table for the viewer, derived from errors.ts. The
 * codes only the origin can answer (originals, render) go, since the viewer never raises
 * them; STORAGE_FAILED stays (the function answers it when its KeyValueStore cannot be read).
 * The 400s go too, and the lookup falls back to 400: the 10 KB limit counts every byte.
 *
 * @throws Error when errors.ts no longer has the shape this relies on.
 */
function slimCatalogue() {
  return {
    name: 'slim-catalogue',
    setup(b) {
      b.onLoad({ filter: /sdk\/ts\/src\/errors\.ts$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        const lookup = 'this.status = ERROR_STATUS[code];';
        const dropped = /^\s*(ORIGINAL_\w+|RENDER_FAILED|[A-Z_]+(?=: 400,)): \d+,\n/gm;
        if (!source.includes(lookup) || (source.match(dropped) ?? []).length < 10) {
          throw new Error('build-bundles: sdk/ts/src/errors.ts changed shape; update slimCatalogue()');
        }
        return {
          contents: source.replace(dropped, '').replace(lookup, 'this.status = ERROR_STATUS[code] || 400;'),
          loader: 'ts',
        };
      });
    },
  };
}

/**
 * What wraps the viewer code in the shipped file. CloudFront Functions call a top-level
 * `handler`; `cloudfront` (imported, the KeyValueStore) and `crypto` (required) are the only
 * modules they offer. The key ring is read per request and handed to the ES5 code, which
 * decides what a failed read means (see edge/src/aws/viewer-request-function.ts).
 */
const VIEWER_PRELUDE = `import cf from 'cloudfront';
var crypto = require('crypto'), kvs = cf.kvs(), vetrinaHandle;
`;
const VIEWER_HANDLER = `async function handler(event) {
var keys;
try { keys = await kvs.get('signing-keys', { format: 'json' }); } catch (e) {}
return vetrinaHandle(event, keys);
}
`;

/**
 * Internal property names of the viewer code that the build shortens to a letter or two
 * (esbuild `mangleProps`). Only names that never meet the outside (the event, the JSON error
 * body, the crypto and KVS APIs) and never serve as data keys: format and device names index
 * the quality table, so `mobile` is not here. The equivalence tests catch a wrong entry.
 */
const VIEWER_MANGLED_PROPS = new RegExp(
  `^(${[
    ...['size', 'preset', 'width', 'fit', 'mode', 'aspect', 'quality', 'density', 'format'],
    ...['sourceKey', 'params', 'renditionKey', 'canonicalUri', 'negotiated', 'deviceClass', 'version', 'signature'],
    ...['specSegment', 'encodedKey', 'path', 'query'],
    ...['presets', 'widthLadder', 'signing', 'require', 'cacheControl', 'desktopWidth', 'mobileWidth'],
  ].join('|')})$`,
);

/**
 * The only TypeScript helpers the downlevelled viewer code may use, in ES 5.1 plus the
 * documented `Object.create` (without properties list) and `Object.assign`. Smaller than
 * tslib's: no static inheritance, no polyfills for what the runtime has.
 */
const ES5_HELPERS = {
  __extends: 'function (d, b) { d.prototype = Object.create(b.prototype); d.prototype.constructor = d; }',
  __assign: 'Object.assign',
};

/** TypeScript transformer: template literals become `+` chains (ES5 has none; `.concat` is longer). */
function templatesToPlus(context) {
  const f = context.factory;
  const visit = (node) => {
    if (ts.isTaggedTemplateExpression(node)) {
      throw new Error('build-bundles: a tagged template cannot ship in the CloudFront Function');
    }
    if (ts.isNoSubstitutionTemplateLiteral(node)) return f.createStringLiteral(node.text);
    if (!ts.isTemplateExpression(node)) return ts.visitEachChild(node, visit, context);
    const parts = node.head.text === '' ? [] : [f.createStringLiteral(node.head.text)];
    for (const span of node.templateSpans) {
      parts.push(visit(span.expression));
      if (span.literal.text !== '') parts.push(f.createStringLiteral(span.literal.text));
    }
    // One of the first two operands must be a string, so every `+` concatenates.
    if (!ts.isStringLiteral(parts[0]) && !(parts.length > 1 && ts.isStringLiteral(parts[1]))) {
      parts.unshift(f.createStringLiteral(''));
    }
    return parts.reduce((sum, part) => f.createBinaryExpression(sum, ts.SyntaxKind.PlusToken, part));
  };
  return (file) => ts.visitNode(file, visit);
}

/**
 * esbuild's ES 2022 function wrapper in, ES 5.1 out, with the helpers it uses declared inside
 * the wrapper.
 *
 * @throws Error when the output needs a TypeScript helper not in ES5_HELPERS.
 */
function downlevelToEs5(code) {
  const { outputText, diagnostics } = ts.transpileModule(code, {
    fileName: 'viewer-request.js',
    reportDiagnostics: true,
    compilerOptions: {
      target: ts.ScriptTarget.ES5,
      module: ts.ModuleKind.CommonJS,
      allowJs: true,
      noEmitHelpers: true,
      removeComments: true,
      // No string or iterator protocol in the runtime: for-of stays an index loop over arrays.
      downlevelIteration: false,
    },
    transformers: { before: [templatesToPlus] },
  });
  if (diagnostics?.length) {
    throw new Error(`build-bundles: TypeScript could not downlevel the viewer code: ${diagnostics[0].messageText}`);
  }
  const used = [...new Set(outputText.match(/\b__[a-zA-Z]+\b/g) ?? [])];
  const unknown = used.filter((name) => !Object.hasOwn(ES5_HELPERS, name));
  if (unknown.length > 0) {
    throw new Error(
      `build-bundles: the viewer code needs TypeScript helpers ${unknown.join(', ')}; rewrite the source`,
    );
  }
  const helpers = used.map((name) => `var ${name} = ${ES5_HELPERS[name]};\n`).join('');
  // The helpers go inside esbuild's function wrapper. No "use strict": CloudFront Functions
  // always run in strict mode.
  const wrapper = /^(?:"use strict";\n)?\(function \(\) \{\n/;
  if (!wrapper.test(outputText)) throw new Error('build-bundles: the viewer code is not one function wrapper');
  return outputText.replace(wrapper, (start) => `${start.replace('"use strict";\n', '')}${helpers}`);
}

async function buildViewerRequest(out, edgeConfig) {
  const bundled = await build({
    absWorkingDir: root,
    entryPoints: ['edge/src/aws/viewer-request-function.ts'],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'neutral',
    target: 'es2022',
    // esbuild lowers these two more tightly (`!= null`) than TypeScript would.
    supported: { 'optional-chain': false, 'nullish-coalescing': false },
    mangleProps: VIEWER_MANGLED_PROPS,
    mangleQuoted: true,
    legalComments: 'none',
    // Stand-ins for Object.freeze and Object.hasOwn; node:crypto maps to the shim module too.
    inject: ['edge/src/aws/cf-function-shims.ts'],
    // Frozen tables nobody reads (the defaults the baked literal replaces) can then be dropped.
    pure: ['Object.freeze'],
    plugins: [literalViewerConfig(await resolvedViewerConfig(edgeConfig)), slimCatalogue(), cloudFrontCrypto()],
    logLevel: 'warning',
  });
  // ES 5.1 only, so nothing outside the runtime's documented syntax ships; esbuild's es5
  // target refuses anything newer that slipped through. terser then packs it ~4 % tighter
  // than esbuild's minifier, which the 10 KB limit needs.
  const es5 = await transform(downlevelToEs5(bundled.outputFiles[0].text), { target: 'es5' });
  const minified = await minify(es5.code, {
    ecma: 5,
    // pure_getters: no property read here has a side effect (no getters, no proxies).
    compress: { passes: 3, pure_getters: true },
    mangle: true,
    format: { ascii_only: false, comments: false },
  });
  const code = `${VIEWER_PRELUDE}${minified.code}\n${VIEWER_HANDLER}`;
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
    external: lambda.sharp ? ['sharp'] : [],
    // Bundled CommonJS (the AWS SDK) calls require() for Node built-ins.
    banner: {
      js: "import { createRequire as vetrinaRequire } from 'node:module'; const require = vetrinaRequire(import.meta.url);",
    },
    plugins: [...(lambda.edge ? [bakedConfig(edgeConfig)] : []), ...(lambda.sharp ? [] : [withoutSharp(lambda.name)])],
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
    if (!wanted(lambda.name)) continue;
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
