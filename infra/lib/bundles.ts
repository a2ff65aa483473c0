/**
 * Finds the bundles `npm run build` writes (scripts/build-bundles.mjs) and prepares the one that
 * needs deployment facts: Lambda@Edge has no environment variables, so the bucket names and the
 * contract overrides are written into the origin-response asset as `vetrina-edge.json`.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FileSystem } from 'aws-cdk-lib';
import { type EdgeDeployment, validateDeployment } from '../../edge/src/aws/deployment.js';

/** Where each bundle lives inside the bundles directory. */
export const BUNDLE_LAYOUT = Object.freeze({
  viewerRequest: 'viewer-request/index.js',
  originResponse: 'origin-response',
  s3Event: 's3-event',
  audit: 'audit',
  backfill: 'backfill',
});

/** File name of the deployment facts inside the origin-response asset. */
export const EDGE_CONFIG_FILE = 'vetrina-edge.json';

/** CloudFront Functions refuse code above 10 KB. */
export const VIEWER_FUNCTION_MAX_BYTES = 10 * 1024;

/** Absolute paths of the bundles plus the viewer-request source. */
export interface Bundles {
  /** Source of the CloudFront Function (cloudfront-js-2.0), at most 10 KB. */
  readonly viewerRequestCode: string;
  readonly originResponseDir: string;
  readonly s3EventDir: string;
  readonly auditDir: string;
  readonly backfillDir: string;
}

/**
 * Checks that every bundle exists and that the viewer function fits CloudFront's limit. Throws an
 * Error that says to run `npm run build` when the directory or a bundle is missing.
 */
export function locateBundles(bundlesDir: string): Bundles {
  const root = resolve(bundlesDir);
  if (!existsSync(root)) {
    throw new Error(`bundles directory "${root}" does not exist: run npm run build first`);
  }
  const path = (relative: string) => {
    const full = join(root, relative);
    if (!existsSync(full)) {
      throw new Error(`bundle "${full}" is missing: run npm run build first (it needs edge/src/aws/<name>.ts)`);
    }
    return full;
  };
  const viewerRequestPath = path(BUNDLE_LAYOUT.viewerRequest);
  const viewerBytes = statSync(viewerRequestPath).size;
  if (viewerBytes > VIEWER_FUNCTION_MAX_BYTES) {
    throw new Error(
      `bundle "${viewerRequestPath}": a CloudFront Function may hold at most ${VIEWER_FUNCTION_MAX_BYTES} bytes, got ${viewerBytes}`,
    );
  }

  return {
    viewerRequestCode: readFileSync(viewerRequestPath, 'utf8'),
    originResponseDir: path(BUNDLE_LAYOUT.originResponse),
    s3EventDir: path(BUNDLE_LAYOUT.s3Event),
    auditDir: path(BUNDLE_LAYOUT.audit),
    backfillDir: path(BUNDLE_LAYOUT.backfill),
  };
}

/**
 * Copies the origin-response bundle into a staging directory named by the hash of its content and
 * of `deployment` (the EdgeDeployment shape of edge/src/aws/deployment.ts), then writes
 * `vetrina-edge.json` there, for the entry to read at cold start in place of the build's example. The same inputs give the same directory, so
 * the asset hash (and the Lambda@Edge version) only changes when code or configuration does.
 * Bucket names must be plain strings (tokens cannot be written into a file at synth); throws if not.
 */
export function stageEdgeBundle(originResponseDir: string, deployment: EdgeDeployment, stagingRoot = tmpdir()): string {
  const json = `${JSON.stringify(validateDeployment(deployment, 'edge deployment'), null, 2)}\n`;
  const hash = FileSystem.fingerprint(originResponseDir, { extraHash: json }).slice(0, 16);
  const target = join(stagingRoot, `vetrina-origin-response-${hash}`);
  if (existsSync(join(target, EDGE_CONFIG_FILE))) return target;

  // Stage under a temporary name and rename, so a concurrent synth never sees a half-copied tree.
  const partial = `${target}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  cpSync(originResponseDir, partial, { recursive: true });
  writeFileSync(join(partial, EDGE_CONFIG_FILE), json);
  try {
    renameSync(partial, target);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(join(target, EDGE_CONFIG_FILE))) throw error;
  }
  return target;
}
