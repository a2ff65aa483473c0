#!/usr/bin/env node
// The one test command (`npm test`): type-check, lint, bundle build, offline CDK synth, the
// vitest suites and the PHP suite.
// It installs Debian's php-cli, phpunit and chromium when they are missing and it runs as
// root, and it ends with one `N passed, N failed` line that CI reads.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
let passed = 0;
let failed = 0;

function run(label, command, args, options = {}) {
  process.stdout.write(`\n== ${label}: ${command} ${args.join(' ')}\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  return result.status === 0;
}

function has(binary) {
  return spawnSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' }).status === 0;
}

function ensureDebianPackages() {
  const wanted = [
    ['php', 'php-cli'],
    ['phpunit', 'phpunit'],
    ['phpcs', 'php-codesniffer'],
    ['chromium', 'chromium'],
  ].filter(([binary]) => !has(binary));
  if (wanted.length === 0) return;
  if (process.getuid?.() !== 0) {
    process.stdout.write(`missing ${wanted.map(([b]) => b).join(', ')}; install them with apt-get as root\n`);
    return;
  }
  const packages = wanted.map(([, pkg]) => pkg);
  run('apt-get update', 'apt-get', ['update', '-qq']);
  run('install Debian packages', 'apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

function step(label, command, args) {
  if (run(label, command, args)) {
    passed += 1;
  } else {
    failed += 1;
    process.stdout.write(`!! ${label} failed\n`);
  }
}

ensureDebianPackages();
const scratch = mkdtempSync(join(tmpdir(), 'vetrina-test-'));
step('type-check', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
step('lint and format', 'npx', ['biome', 'check', '.']);
if (existsSync(join(root, 'sdk/php/phpcs.xml'))) step('PHP lint (PSR-12)', 'phpcs', ['--standard=sdk/php/phpcs.xml']);
step('build the Lambda and CloudFront bundles', 'node', ['scripts/build-bundles.mjs']);
step('cdk synth of the real bundles, offline', 'npx', ['cdk', 'synth', '--quiet', '-o', join(scratch, 'cdk.out')]);

const vitestReport = join(scratch, 'vitest.json');
const vitestOk = run(
  'vitest',
  'npx',
  ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`],
  { env: { ...process.env, NODE_OPTIONS: '--openssl-legacy-provider' } },
);
if (existsSync(vitestReport)) {
  const report = JSON.parse(readFileSync(vitestReport, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  // A run can fail without a failed test (an unhandled error, a suite that did not load).
  if (!vitestOk && report.numFailedTests === 0) {
    failed += 1;
    process.stdout.write('!! vitest failed outside the tests (see above)\n');
  }
} else {
  failed += 1;
}

if (existsSync(join(root, 'sdk/php/phpunit.xml'))) {
  const junit = join(scratch, 'phpunit.xml');
  run('phpunit', 'phpunit', ['-c', 'sdk/php/phpunit.xml', '--log-junit', junit]);
  if (existsSync(junit)) {
    // The first <testsuite> is the total; PHPUnit's attribute order varies between versions.
    const suite = /<testsuite\b[^>]*>/.exec(readFileSync(junit, 'utf8'))?.[0] ?? '';
    const count = (name) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(suite)?.[1] ?? Number.NaN);
    const [tests, failures, errors, skipped] = ['tests', 'failures', 'errors', 'skipped'].map(count);
    if ([tests, failures, errors, skipped].some(Number.isNaN)) {
      failed += 1;
      process.stdout.write('!! phpunit: no totals in its JUnit report\n');
    } else {
      // A skipped test is not a passed one.
      passed += tests - failures - errors - skipped;
      failed += failures + errors;
      if (skipped > 0) process.stdout.write(`!! phpunit skipped ${skipped} tests\n`);
    }
  } else {
    failed += 1;
  }
}
rmSync(scratch, { recursive: true, force: true });

process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
