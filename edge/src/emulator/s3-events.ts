/**
 * S3 event notification records as S3 itself writes them, so the S3-event handler sees in
 * the emulator exactly what it sees on AWS: form-encoded keys, increasing sequencers.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
 */

/** The two kinds of change the watcher reports. */
export type S3EventName = 'ObjectCreated:Put' | 'ObjectRemoved:Delete';

/** One record of an S3 event notification (schema 2.1), with the fields vetrina reads. */
export interface S3EventRecord {
  eventVersion: '2.1';
  eventSource: 'aws:s3';
  awsRegion: string;
  /** ISO 8601 time of the change. */
  eventTime: string;
  eventName: S3EventName;
  s3: {
    s3SchemaVersion: '1.0';
    configurationId: string;
    bucket: { name: string; arn: string };
    /** `key` is form-encoded; `size` and `eTag` are absent for deletions. */
    object: { key: string; size?: number; eTag?: string; sequencer: string };
  };
}

/** An S3 event notification: a batch of records. */
export interface S3Event {
  Records: S3EventRecord[];
}

/**
 * Encodes a key the way S3 writes it into event notifications: form encoding, so a space is
 * `+` and a literal `+` is `%2B`; `/` stays literal as in S3's own records, and `!'()*` are
 * escaped too. Decoding (`+` → space, then percent-decoding) gives the key back.
 *
 * @example formEncodeKey('fahrzeuge/some name (1).png') // 'fahrzeuge/some+name+%281%29.png'
 */
export function formEncodeKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+')
    .replace(/%2F/g, '/');
}

/**
 * Makes sequencers that increase across calls: 18 upper-case hex digits, the first 12 the
 * time in ms and the last 6 a counter, so records of one key sort in the order they were made
 * (SPEC for S3: compare after right-padding with zeros).
 */
export function createSequencer(now: () => number = Date.now): () => string {
  let last = 0n;
  return () => {
    let next = BigInt(now()) << 24n;
    if (next <= last) next = last + 1n;
    last = next;
    return next.toString(16).toUpperCase().padStart(18, '0');
  };
}

/** Builds one record for `bucket`; `object.key` is form-encoded here, pass the raw key. */
export function s3Record(
  eventName: S3EventName,
  bucket: string,
  object: { key: string; size?: number; eTag?: string; sequencer: string },
  time: Date = new Date(),
): S3EventRecord {
  const encoded: S3EventRecord['s3']['object'] = { key: formEncodeKey(object.key), sequencer: object.sequencer };
  if (eventName === 'ObjectCreated:Put') {
    if (object.size !== undefined) encoded.size = object.size;
    if (object.eTag !== undefined) encoded.eTag = object.eTag;
  }

  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'us-east-1',
    eventTime: time.toISOString(),
    eventName,
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'vetrina-emulator',
      bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
      object: encoded,
    },
  };
}
