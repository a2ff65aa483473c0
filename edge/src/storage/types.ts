/**
 * The storage interface every store implements: the local folder (emulator, CLI) and S3.
 * Keys are S3 keys, used byte for byte; a store never interprets them as paths.
 */

/** Metadata kept with an object. Rendition metadata keys are listed in SPEC.md §9. */
export interface StoredObjectInfo {
  readonly key: string;
  /** Size in bytes. */
  readonly size: number;
  /** Opaque version of the bytes (S3 ETag with quotes stripped, or a content hash). */
  readonly etag: string;
  readonly lastModified: Date;
  readonly contentType?: string;
  readonly cacheControl?: string;
  /** User metadata, lower-case keys, ASCII values (S3 `x-amz-meta-*`). */
  readonly metadata: Readonly<Record<string, string>>;
}

/** An object with its bytes. */
export interface StoredObject extends StoredObjectInfo {
  readonly body: Buffer;
}

/** What a put writes besides the bytes. */
export interface PutOptions {
  readonly contentType?: string;
  readonly cacheControl?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  /**
   * Write only if the object's current ETag is this one (S3 `If-Match`); otherwise the put
   * throws a `STORAGE_FAILED` whose `name` is `WriteConflictError` and nothing is written.
   */
  readonly ifMatch?: string;
  /** `'*'`: write only if no object has this key yet (S3 `If-None-Match: *`); same failure. */
  readonly ifNoneMatch?: '*';
}

/** One page of a listing. */
export interface ListPage {
  readonly objects: readonly StoredObjectInfo[];
  /** Pass back to get the next page; absent on the last page. */
  readonly continuationToken?: string;
}

/**
 * A bucket-like store. Missing objects are `undefined`, never an exception; failures of the
 * store itself throw `VetrinaError('STORAGE_FAILED')`.
 */
export interface Storage {
  /** Human-readable location for logs, e.g. `file:///srv/renditions` or `s3://bucket`. */
  readonly location: string;
  get(key: string): Promise<StoredObject | undefined>;
  head(key: string): Promise<StoredObjectInfo | undefined>;
  /** Writes atomically: readers see the old object or the new one, never a partial one. */
  put(key: string, body: Buffer, options?: PutOptions): Promise<StoredObjectInfo>;
  /** Keys in ascending UTF-8 byte order, at most `limit` (default 1000) per page. */
  list(prefix: string, options?: { continuationToken?: string; limit?: number }): Promise<ListPage>;
  /** Deletes the keys that exist; missing keys are not an error. Returns how many were deleted. */
  delete(keys: readonly string[]): Promise<number>;
}
