/**
 * The S3 store: the exchange and renditions buckets on AWS, or any S3-compatible server
 * (an endpoint plus path-style addressing).
 *
 * - Retries: the SDK's `standard` retry strategy, on purpose — it retries 500/503, `SlowDown`
 *   and other throttling answers, timeouts and dropped connections with exponential backoff and
 *   full jitter (base 100 ms, 500 ms for throttling). Puts send a Buffer, so a retry resends the
 *   same bytes; S3 writes whole objects only, so a reader never sees a partial one.
 * - A body that breaks off while it is being read is fetched again (the SDK's retries end when
 *   the headers arrive), and a body shorter than its `Content-Length` is never returned.
 * - Checksums are computed only where S3 requires them, so S3-compatible servers without the
 *   newer flexible checksums work; puts carry `Content-MD5` instead, which S3 verifies.
 * - Missing objects are `undefined`; a 403 on get/head counts as missing (S3 answers 403 for a
 *   missing key when the role may not list). Everything else is `VetrinaError('STORAGE_FAILED')`
 *   with the SDK error as `cause`.
 */
import { createHash } from 'node:crypto';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { VetrinaError } from '../../../sdk/ts/src/errors.js';
import { isConflict, isMissing, storageFailed, WriteConflictError } from './s3-errors.js';
import type { ListPage, PutOptions, Storage, StoredObject, StoredObjectInfo } from './types.js';

/** Where the store lives and how its client behaves. */
export interface S3StorageOptions {
  readonly bucket: string;
  /** Prepended to every key, e.g. `renditions/`; empty by default. Listed keys come back without it. */
  readonly prefix?: string;
  /** A ready client (tests, or sharing one client between stores); the options below are then ignored. */
  readonly client?: S3Client;
  /** An S3-compatible endpoint such as `http://127.0.0.1:4568`; AWS's own by default. */
  readonly endpoint?: string;
  /** Path-style URLs (`endpoint/bucket/key`); most S3-compatible servers need it. Default: true with an endpoint. */
  readonly forcePathStyle?: boolean;
  /** Default `us-east-1`. */
  readonly region?: string;
  /** Static credentials; the SDK's default chain otherwise. */
  readonly credentials?: S3ClientConfig['credentials'];
  /** Attempts per call including the first, 1–10; default 4. */
  readonly maxAttempts?: number;
  /** Longest wait for a TCP connection, in ms; default 2000. */
  readonly connectTimeoutMs?: number;
  /** Longest wait for a whole request/response, in ms, before it is abandoned and retried; default 10000. */
  readonly requestTimeoutMs?: number;
}

const clients = new Map<string, S3Client>();

/**
 * The S3 client for a set of options, made once per module and options so that Lambda
 * invocations reuse its connections.
 */
export function s3Client(options: Omit<S3StorageOptions, 'bucket' | 'prefix' | 'client'>): S3Client {
  const maxAttempts = options.maxAttempts ?? 4;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 10) {
    throw new Error(`s3 maxAttempts: expected an integer 1 to 10, got ${maxAttempts}`);
  }
  const config: S3ClientConfig = {
    region: options.region ?? 'us-east-1',
    maxAttempts,
    retryMode: 'standard',
    // S3-compatible servers reject or ignore the newer CRC checksums; S3 itself only needs
    // them where the API requires one (DeleteObjects).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: {
      connectionTimeout: options.connectTimeoutMs ?? 2_000,
      requestTimeout: options.requestTimeoutMs ?? 10_000,
      throwOnRequestTimeout: true,
    },
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
  if (options.credentials) return new S3Client(config);

  const cacheKey = JSON.stringify([
    config.region,
    options.endpoint,
    config.forcePathStyle,
    maxAttempts,
    options.connectTimeoutMs,
    options.requestTimeoutMs,
  ]);
  let client = clients.get(cacheKey);
  if (!client) {
    client = new S3Client(config);
    clients.set(cacheKey, client);
  }
  return client;
}

/** S3 lets DeleteObjects name at most this many keys. */
const DELETE_BATCH = 1000;
/** Whole-get attempts when a body breaks off after the headers came. */
const BODY_ATTEMPTS = 3;

/**
 * A {@link Storage} on one S3 bucket (and optional key prefix).
 *
 * @throws Error when `bucket` is empty or `maxAttempts` is out of range.
 */
export function createS3Storage(options: S3StorageOptions): Storage {
  if (!options.bucket) throw new Error('s3 bucket: expected a bucket name, got an empty string');

  const client = options.client ?? s3Client(options);
  const Bucket = options.bucket;
  const prefix = options.prefix ?? '';
  const location = `s3://${Bucket}/${prefix}`;
  const full = (key: string) => prefix + key;

  async function head(key: string): Promise<StoredObjectInfo | undefined> {
    try {
      const out = await client.send(new HeadObjectCommand({ Bucket, Key: full(key) }));
      return info(key, out);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw storageFailed('head', `${location}${key}`, error);
    }
  }

  async function get(key: string): Promise<StoredObject | undefined> {
    for (let attempt = 1; ; attempt += 1) {
      let response: Awaited<ReturnType<typeof sendGet>>;
      try {
        response = await sendGet(key);
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw storageFailed('get', `${location}${key}`, error);
      }
      try {
        const body = Buffer.from((await response.Body?.transformToByteArray()) ?? new Uint8Array());
        if (response.ContentLength !== undefined && body.length !== response.ContentLength) {
          throw new Error(`body of ${body.length} bytes, Content-Length said ${response.ContentLength}`);
        }
        return { ...info(key, response), body };
      } catch (error) {
        if (attempt >= BODY_ATTEMPTS) throw storageFailed('get', `${location}${key}`, error);
      }
    }
  }

  function sendGet(key: string) {
    return client.send(new GetObjectCommand({ Bucket, Key: full(key) }));
  }

  async function put(key: string, body: Buffer, put: PutOptions = {}): Promise<StoredObjectInfo> {
    const metadata = { ...put.metadata };
    for (const [name, value] of Object.entries(metadata)) {
      // S3 sends user metadata as HTTP headers: anything else is refused or mangled.
      if (!/^[a-z0-9-]+$/.test(name) || !/^[\x20-\x7e]*$/.test(value)) {
        throw new VetrinaError(
          'STORAGE_FAILED',
          `put "${key}": metadata ${name} must have a lower-case name and a printable ASCII value, got "${value}"`,
        );
      }
    }

    try {
      const out = await client.send(
        new PutObjectCommand({
          Bucket,
          Key: full(key),
          Body: body,
          ContentLength: body.length,
          ContentMD5: createHash('md5').update(body).digest('base64'),
          ContentType: put.contentType,
          CacheControl: put.cacheControl,
          Metadata: metadata,
          ...(put.ifMatch === undefined ? {} : { IfMatch: quote(put.ifMatch) }),
          ...(put.ifNoneMatch === undefined ? {} : { IfNoneMatch: put.ifNoneMatch }),
        }),
      );
      return {
        key,
        size: body.length,
        etag: unquote(out.ETag) || createHash('md5').update(body).digest('hex'),
        lastModified: new Date(),
        ...(put.contentType ? { contentType: put.contentType } : {}),
        ...(put.cacheControl ? { cacheControl: put.cacheControl } : {}),
        metadata,
      };
    } catch (error) {
      if (isConflict(error)) {
        const condition = put.ifMatch === undefined ? 'If-None-Match: *' : `If-Match: ${put.ifMatch}`;
        throw new WriteConflictError(key, condition, { cause: error });
      }
      throw storageFailed('put', `${location}${key}`, error);
    }
  }

  async function list(keyPrefix: string, page: { continuationToken?: string; limit?: number } = {}): Promise<ListPage> {
    const limit = page.limit ?? 1000;
    try {
      const out = await client.send(
        new ListObjectsV2Command({
          Bucket,
          Prefix: full(keyPrefix),
          MaxKeys: limit,
          ...(page.continuationToken ? { ContinuationToken: page.continuationToken } : {}),
        }),
      );
      const objects = (out.Contents ?? []).map(
        (item): StoredObjectInfo => ({
          key: (item.Key ?? '').slice(prefix.length),
          size: item.Size ?? 0,
          etag: unquote(item.ETag),
          lastModified: item.LastModified ?? new Date(0),
          // A listing carries no metadata; head an object to read it.
          metadata: {},
        }),
      );
      return {
        objects,
        ...(out.IsTruncated && out.NextContinuationToken ? { continuationToken: out.NextContinuationToken } : {}),
      };
    } catch (error) {
      throw storageFailed('list', `${location}${keyPrefix}`, error);
    }
  }

  async function remove(keys: readonly string[]): Promise<number> {
    let deleted = 0;
    for (let start = 0; start < keys.length; start += DELETE_BATCH) {
      const batch = keys.slice(start, start + DELETE_BATCH);
      try {
        const out = await client.send(
          new DeleteObjectsCommand({
            Bucket,
            Delete: { Objects: batch.map((key) => ({ Key: full(key) })), Quiet: false },
          }),
        );
        const failed = out.Errors ?? [];
        if (failed.length > 0) {
          const first = failed[0];
          throw new VetrinaError(
            'STORAGE_FAILED',
            `delete in ${location}: ${failed.length} of ${batch.length} keys failed, first "${first?.Key}" (${first?.Code})`,
          );
        }
        deleted += out.Deleted?.length ?? batch.length;
      } catch (error) {
        throw storageFailed('delete', `${location} (${batch.length} keys)`, error);
      }
    }
    return deleted;
  }

  return { location, get, head, put, list, delete: remove };
}

interface ObjectHeaders {
  readonly ContentLength?: number | undefined;
  readonly ETag?: string | undefined;
  readonly LastModified?: Date | undefined;
  readonly ContentType?: string | undefined;
  readonly CacheControl?: string | undefined;
  readonly Metadata?: Record<string, string> | undefined;
}

function info(key: string, out: ObjectHeaders): StoredObjectInfo {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(out.Metadata ?? {})) metadata[name.toLowerCase()] = value;
  return {
    key,
    size: out.ContentLength ?? 0,
    etag: unquote(out.ETag),
    lastModified: out.LastModified ?? new Date(0),
    ...(out.ContentType ? { contentType: out.ContentType } : {}),
    ...(out.CacheControl ? { cacheControl: out.CacheControl } : {}),
    metadata,
  };
}

function unquote(etag: string | undefined): string {
  return (etag ?? '').replace(/^(W\/)?"|"$/g, '');
}

function quote(etag: string): string {
  return etag.startsWith('"') ? etag : `"${etag}"`;
}
