/**
 * CDN invalidation of one original's renditions through CloudFront's `CreateInvalidation`.
 *
 * By tag (default): every rendition carries the original's cache tag in `x-amz-meta-cache-tag`
 * (SPEC.md §9), and a distribution with `CacheTagConfig { HeaderName: x-amz-meta-cache-tag }`
 * stores it with each cached object, so the single item `#{tag}` drops every cached rendition.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/invalidation-by-tags.html
 *
 * By path: for distributions without `CacheTagConfig`, `/{encoded source key}/_r/*` names the
 * same objects, because the canonical URI of every rendition starts with it. Both forms count
 * as one invalidation path.
 */
import { randomUUID } from 'node:crypto';
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { encodeKey } from '../../../sdk/ts/src/key-encoding.js';
import { renditionPrefix } from '../../../sdk/ts/src/rendition.js';

/** Invalidates every cached rendition of one original. */
export type Invalidate = (cacheTag: string, sourceKey: string) => Promise<void>;

/** How to reach CloudFront and what to invalidate. */
export interface InvalidatorOptions {
  readonly distributionId: string;
  /** `tag` (default) needs `CacheTagConfig` on the distribution; `path` works everywhere. */
  readonly by?: 'tag' | 'path';
  /** A ready client (tests: one pointed at a local stand-in). */
  readonly client?: CloudFrontClient;
}

let sharedClient: CloudFrontClient | undefined;

/** The module's CloudFront client (the API lives in us-east-1), made once. */
function defaultClient(): CloudFrontClient {
  sharedClient ??= new CloudFrontClient({ region: 'us-east-1', maxAttempts: 5, retryMode: 'standard' });
  return sharedClient;
}

/** The `Paths.Items` entry for one original. */
export function invalidationItem(cacheTag: string, sourceKey: string, by: 'tag' | 'path' = 'tag'): string {
  return by === 'tag' ? `#${cacheTag}` : `/${encodeKey(renditionPrefix(sourceKey))}*`;
}

/**
 * An {@link Invalidate} for one distribution.
 *
 * @throws Error when `distributionId` is empty.
 * @returns a function that throws an Error naming the item, with the SDK error as cause, when
 *   CloudFront refuses (after the SDK's retries), so the S3 event is retried.
 */
export function createInvalidator(options: InvalidatorOptions): Invalidate {
  if (!options.distributionId) throw new Error('invalidator distributionId: expected a CloudFront distribution id');

  const client = options.client ?? defaultClient();
  const by = options.by ?? 'tag';
  return async (cacheTag, sourceKey) => {
    const item = invalidationItem(cacheTag, sourceKey, by);
    try {
      await client.send(
        new CreateInvalidationCommand({
          DistributionId: options.distributionId,
          InvalidationBatch: {
            Paths: { Quantity: 1, Items: [item] },
            // Unique per call: a replaced original must invalidate again even with the same tag.
            CallerReference: `vetrina-${cacheTag}-${Date.now()}-${randomUUID().slice(0, 8)}`,
          },
        }),
      );
    } catch (error) {
      throw new Error(`invalidate "${item}" on distribution ${options.distributionId} failed: ${String(error)}`, {
        cause: error,
      });
    }
  };
}
