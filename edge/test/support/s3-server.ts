/**
 * An S3-compatible server for tests: s3rver on 127.0.0.1, a free port and a temporary folder,
 * with buckets made up front and the object events it emits kept in AWS's shape (keys
 * form-encoded the way S3 sends them), ready to hand to the S3-event handler.
 */
import { createCipheriv } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { createS3Storage, type S3StorageOptions } from '../../src/storage/s3.js';
import type { Storage } from '../../src/storage/types.js';
import { encodeEventKey } from './s3-event-key.js';

/** s3rver's fixed access key pair (not frozen: the SDK tags credential objects it is given). */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** One S3 event notification record as AWS delivers it (the fields vetrina reads, and a few more). */
export interface S3EventRecord {
  readonly eventVersion: string;
  readonly eventSource: 'aws:s3';
  readonly awsRegion: string;
  readonly eventTime: string;
  readonly eventName: string;
  readonly s3: {
    readonly s3SchemaVersion: string;
    readonly bucket: { readonly name: string; readonly arn: string };
    readonly object: {
      readonly key: string;
      readonly size?: number;
      readonly eTag?: string;
      readonly sequencer: string;
    };
  };
}

/** A running test server. */
export interface S3TestServer {
  /** `http://127.0.0.1:{port}`. */
  readonly endpoint: string;
  readonly port: number;
  /** Every object event so far, oldest first, keys encoded as S3 encodes them. */
  readonly events: S3EventRecord[];
  /** A client for this server (path style, s3rver's credentials, few retries). */
  client(endpoint?: string, options?: Partial<S3StorageOptions>): S3Client;
  /** A store on one bucket of this server, optionally through another endpoint (a fault proxy). */
  storage(bucket: string, options?: Partial<S3StorageOptions> & { endpoint?: string }): Storage;
  /** Removes and returns the events recorded so far. */
  takeEvents(): S3EventRecord[];
  close(): Promise<void>;
}

/**
 * Starts s3rver with the given buckets.
 *
 * @throws Error when the process lacks `--openssl-legacy-provider`: s3rver encrypts list
 *   continuation tokens with DES, which OpenSSL 3 only offers through its legacy provider.
 */
export async function startS3Server(buckets: readonly string[]): Promise<S3TestServer> {
  try {
    createCipheriv('des', Buffer.alloc(8), Buffer.alloc(8));
  } catch {
    throw new Error('s3rver needs NODE_OPTIONS=--openssl-legacy-provider for paginated lists (npm test sets it)');
  }

  const directory = await mkdtemp(join(tmpdir(), 'vetrina-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory,
    silent: true,
    configureBuckets: buckets.map((name) => ({ name, configs: [] })),
  });
  const events: S3EventRecord[] = [];
  let sequence = 0;
  server.on('event', (event: { Records: Array<Record<string, unknown> & { s3: { object: { key: string } } }> }) => {
    for (const record of event.Records) {
      sequence += 1;
      // s3rver writes raw keys and millisecond sequencers that collide; S3 encodes keys and
      // gives every change of one key a strictly larger sequencer.
      const object = {
        ...record.s3.object,
        key: encodeEventKey(record.s3.object.key),
        sequencer: sequence.toString(16).toUpperCase().padStart(18, '0'),
      };
      events.push({ ...record, s3: { ...record.s3, object } } as unknown as S3EventRecord);
    }
  });
  const address = (await server.run()) as AddressInfo;
  const endpoint = `http://127.0.0.1:${address.port}`;

  const client = (at = endpoint, options: Partial<S3StorageOptions> = {}) =>
    new S3Client({
      region: 'us-east-1',
      endpoint: at,
      forcePathStyle: true,
      credentials: S3RVER_CREDENTIALS,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: options.maxAttempts ?? 2,
    });

  return {
    endpoint,
    port: address.port,
    events,
    client,
    storage: (bucket, options = {}) =>
      createS3Storage({
        maxAttempts: 2,
        ...options,
        bucket,
        endpoint: options.endpoint ?? endpoint,
        forcePathStyle: true,
        credentials: S3RVER_CREDENTIALS,
      }),
    takeEvents: () => events.splice(0, events.length),
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
