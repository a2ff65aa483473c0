/**
 * The S3-event handler: keeps an original's renditions in step with the exchange bucket.
 *
 * S3 notifications arrive at least once and in any order, so the handler never trusts the
 * event's view of the world: it reads the original's current state (HEAD) and acts on that.
 * A late PUT for a deleted original finds nothing and is acknowledged; a late DELETE for a
 * re-uploaded original finds it and does nothing; a duplicate PUT finds every eager rendition
 * already made from the same ETag and writes nothing. It never writes to the exchange store,
 * and ignores other buckets and keys with a `_r` segment, so its own output cannot trigger it
 * (CASES.md cases 19 and 20).
 *
 * Known gap: a crash after the renditions were replaced but before `invalidate` ran leaves
 * nothing for a retry to detect, so that invalidation is lost; URLs with a version token
 * (SPEC.md §7) are not affected, and the audit tool reports the renditions as current.
 */
import { VetrinaError } from '../../../sdk/ts/src/errors.js';
import { cacheTag, renditionKey, renditionPrefix } from '../../../sdk/ts/src/rendition.js';
import type { EdgeConfig } from '../config.js';
import { renderMany } from '../engine/index.js';
import type { LogFields, Logger } from '../log.js';
import { eagerTargets, renditionMetadata } from '../renditions/eager.js';
import type { Storage, StoredObjectInfo } from '../storage/types.js';
import { checkKey } from '../url/key-decoding.js';
import type { S3Event, S3EventRecord, S3EventResult } from './aws-events.js';

/** What {@link handleS3Event} works with. */
export interface S3EventDeps {
  /** The originals. Only read: the handler never writes here. */
  readonly exchange: Storage;
  readonly renditions: Storage;
  readonly config: EdgeConfig;
  readonly log: Logger;
  /** The exchange bucket's name; records of any other bucket are ignored. */
  readonly exchangeBucket: string;
  /** Purges an original's renditions from the CDN; called at most once per record. */
  readonly invalidate?: (cacheTag: string, sourceKey: string) => Promise<void>;
  /** The engine call used; the real engine by default. Wrap it to count renders. */
  readonly engine?: { readonly renderMany: typeof renderMany };
}

/** Codes of originals that will never render; their records are acknowledged, not retried. */
const BAD_ORIGINAL: ReadonlySet<string> = new Set([
  'ORIGINAL_EMPTY',
  'ORIGINAL_UNSUPPORTED',
  'ORIGINAL_CORRUPT',
  'ORIGINAL_TOO_LARGE',
]);

/** Most listing pages read for one original (1000 keys each). */
const MAX_LIST_PAGES = 100;

/**
 * Decodes a key as S3 writes it into notifications: form encoding, `+` for a space.
 *
 * @throws URIError for a malformed `%` sequence.
 * @example decodeEventKey('fahrzeuge/E%2BP+1.jpg') // 'fahrzeuge/E+P 1.jpg'
 */
export function decodeEventKey(raw: string): string {
  return decodeURIComponent(raw.replace(/\+/g, ' '));
}

async function listAll(store: Storage, prefix: string): Promise<StoredObjectInfo[]> {
  const objects: StoredObjectInfo[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_LIST_PAGES; page++) {
    const result = await store.list(prefix, token ? { continuationToken: token } : {});
    objects.push(...result.objects);
    token = result.continuationToken;
    if (!token) break;
  }
  return objects;
}

type Report = LogFields & { outcome: string };

async function created(key: string, deps: S3EventDeps): Promise<Report> {
  const { exchange, renditions, config } = deps;
  const head = await exchange.head(key);
  if (!head) return { outcome: 'skipped', reason: 'original missing (deleted since)' };
  // Zero bytes never reach the engine: CASES.md case 10 wants no decode at all.
  if (head.size === 0) return { outcome: 'rejected', code: 'ORIGINAL_EMPTY', reason: 'empty object' };

  const existing = await listAll(renditions, renditionPrefix(key));
  const stale = existing.filter((object) => object.metadata['source-etag'] !== head.etag);
  const current = new Set(existing.filter((object) => !stale.includes(object)).map((object) => object.key));
  const pending = eagerTargets(config).filter((target) => !current.has(renditionKey(key, target.params)));

  const written: string[] = [];
  if (pending.length > 0) {
    const original = await exchange.get(key);
    if (!original) return { outcome: 'skipped', reason: 'original missing (deleted since)' };
    if (original.etag !== head.etag) return { outcome: 'superseded', reason: 'original replaced during the run' };

    let images: Awaited<ReturnType<typeof renderMany>>;
    try {
      const params = pending.map((target) => target.params);
      images = await (deps.engine?.renderMany ?? renderMany)(original.body, params, config);
    } catch (error) {
      if (error instanceof VetrinaError && BAD_ORIGINAL.has(error.code)) {
        return { outcome: 'rejected', code: error.code, reason: error.message };
      }
      throw error;
    }

    // A newer upload during rendering owns the renditions; its own event will make them.
    const now = await exchange.head(key);
    if (now?.etag !== original.etag) return { outcome: 'superseded', reason: 'original replaced during rendering' };

    for (const [index, target] of pending.entries()) {
      const image = images[index];
      if (!image)
        throw new VetrinaError('RENDER_FAILED', `render: expected ${pending.length} images, got ${images.length}`);
      const targetKey = renditionKey(key, target.params);
      await renditions.put(targetKey, image.data, {
        contentType: image.contentType,
        cacheControl: config.cacheControl.rendition,
        metadata: renditionMetadata(key, original.etag, image),
      });
      written.push(targetKey);
    }
  }

  const obsolete = stale.map((object) => object.key).filter((object) => !written.includes(object));
  if (obsolete.length > 0) await renditions.delete(obsolete);
  const invalidated = stale.length > 0 && deps.invalidate !== undefined;
  if (invalidated) await deps.invalidate?.(cacheTag(key), key);

  const outcome = written.length > 0 || stale.length > 0 ? 'rendered' : 'unchanged';
  return { outcome, written: written.length, deleted: obsolete.length, invalidated };
}

async function removed(key: string, deps: S3EventDeps): Promise<Report> {
  if (await deps.exchange.head(key)) return { outcome: 'skipped', reason: 'original exists (uploaded again since)' };

  const existing = await listAll(deps.renditions, renditionPrefix(key));
  if (existing.length === 0) return { outcome: 'unchanged', deleted: 0 };

  const deleted = await deps.renditions.delete(existing.map((object) => object.key));
  const invalidated = deps.invalidate !== undefined;
  if (invalidated) await deps.invalidate?.(cacheTag(key), key);
  return { outcome: 'deleted', deleted, invalidated };
}

async function handleRecord(record: S3EventRecord, deps: S3EventDeps): Promise<Report & { key?: string }> {
  const bucket = record?.s3?.bucket?.name;
  if (bucket !== deps.exchangeBucket)
    return { outcome: 'ignored', reason: `bucket "${bucket}" is not the exchange bucket` };

  let key: string;
  try {
    key = decodeEventKey(record.s3.object.key);
  } catch {
    return { outcome: 'ignored', reason: 'key is not valid form encoding' };
  }
  if (key.split('/').includes('_r'))
    return { key, outcome: 'ignored', reason: 'a rendition key (holds a "_r" segment)' };
  try {
    checkKey(key);
  } catch (error) {
    const code = error instanceof VetrinaError ? error.code : 'BAD_KEY';
    return { key, outcome: 'ignored', code, reason: error instanceof Error ? error.message : String(error) };
  }

  const name = record.eventName ?? '';
  if (name.startsWith('ObjectCreated:')) return { key, ...(await created(key, deps)) };
  if (name.startsWith('ObjectRemoved:') || name.startsWith('LifecycleExpiration:')) {
    return { key, ...(await removed(key, deps)) };
  }
  return { key, outcome: 'ignored', reason: `event "${name}" changes no object` };
}

/**
 * Handles a batch of S3 notification records, one after the other.
 *
 * `ObjectCreated:*`: renders every eager preset (desktop width, `config.eagerFormat`, its
 * desktop quality) from one read with `renderMany`, skipping renditions whose `source-etag`
 * already equals the original's ETag; abandons the record if the original changed while
 * rendering; then deletes every other rendition made from other bytes and calls `invalidate`
 * once when something was replaced. `ObjectRemoved:*`: unless the original exists again,
 * deletes every rendition under its prefix and invalidates once.
 *
 * Bad originals (empty, corrupt, unsupported such as HEIC, over the pixel limit) are logged
 * with the key and the engine's reason and acknowledged; nothing is written. A record that
 * fails otherwise (store down, render failure) is returned in `batchItemFailures` by its index
 * in `event.Records`, so it is retried. Logs one JSON line per record; never throws.
 */
export async function handleS3Event(event: S3Event, deps: S3EventDeps): Promise<S3EventResult> {
  const batchItemFailures: Array<{ itemIdentifier: string }> = [];
  const records = Array.isArray(event?.Records) ? event.Records : [];

  for (const [index, record] of records.entries()) {
    const started = performance.now();
    const eventName = record?.eventName;
    try {
      const report = await handleRecord(record, deps);
      const fields = { ...report, eventName, ms: Math.round(performance.now() - started) };
      if (report.outcome === 'rejected') deps.log.warn('s3-event', fields);
      else deps.log.info('s3-event', fields);
    } catch (error) {
      const code = error instanceof VetrinaError ? error.code : undefined;
      deps.log.error('s3-event', {
        eventName,
        rawKey: record?.s3?.object?.key,
        outcome: 'failed',
        code,
        reason: error instanceof Error ? error.message : String(error),
        ms: Math.round(performance.now() - started),
      });
      batchItemFailures.push({ itemIdentifier: String(index) });
    }
  }
  return { batchItemFailures };
}
