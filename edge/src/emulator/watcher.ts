/**
 * The emulator's S3 event notifications: watches the originals folder and turns additions,
 * replacements and deletions into `ObjectCreated:Put` / `ObjectRemoved:Delete` records for the
 * S3-event handler, so eager renditions appear and disappear as they do on AWS.
 *
 * Changes are found by listing the exchange store and comparing ETags with the last listing,
 * not by mapping file names to keys, so the store alone decides what a key is. A file system
 * event only says "look again"; a debounce lets a file being copied settle first.
 */
import { type FSWatcher, watch } from 'node:fs';
import { renditionKey } from '../../../sdk/ts/src/rendition.js';
import type { EdgeConfig } from '../config.js';
import type { Logger } from '../log.js';
import { eagerTargets } from '../renditions/eager.js';
import type { Storage } from '../storage/types.js';
import { createSequencer, type S3Event, type S3EventName, s3Record } from './s3-events.js';

/** The S3-event handler, bound to its dependencies. */
export type S3EventFunction = (event: S3Event) => Promise<{ batchItemFailures: Array<{ itemIdentifier: string }> }>;

/** What {@link createWatcher} needs. */
export interface WatcherOptions {
  /**
   * The folder `exchange` stores its objects in, watched recursively. Absent for a store with
   * no folder (S3): the store is then listed every `pollMs`.
   */
  readonly root?: string;
  /** Interval between listings of a store without a folder, in ms. Default 5000. */
  readonly pollMs?: number;
  readonly exchange: Storage;
  readonly renditions: Storage;
  readonly config: EdgeConfig;
  readonly log: Logger;
  /** Bucket name written into the records; the handler only reacts to this bucket. */
  readonly exchangeBucket: string;
  readonly handleEvent: S3EventFunction;
  /** Quiet time after the last file system event before the folder is listed again, in ms. Default 200. */
  readonly debounceMs?: number;
  /** Deliveries of a record that failed, including the first, before it is dropped. Default 3. */
  readonly maxAttempts?: number;
}

/** Counters of the watcher's work. */
export interface WatcherCounters {
  /** Records delivered to the handler (each attempt counts once). */
  deliveries: number;
  /** Records the handler reported as failed or threw on. */
  failures: number;
  /** Listings of the exchange store. */
  scans: number;
}

/** A running watcher. */
export interface Watcher {
  /**
   * Starts watching, then lists the store and delivers a Put for each original whose eager
   * renditions are missing or stale and a Delete for renditions without an original;
   * resolves when that start-up scan is done.
   */
  start(): Promise<void>;
  /** Stops watching and waits for queued records. */
  stop(): Promise<void>;
  /**
   * Resolves once every change made before the call has been seen and handled: waits the
   * debounce plus 100 ms for file system events to arrive, then until nothing is queued.
   */
  settled(): Promise<void>;
  /** Lists the store now and queues a record per difference; for callers that know a change happened. */
  rescan(): Promise<void>;
  readonly counters: Readonly<WatcherCounters>;
}

/** Listing pages read per scan at most (1000 keys each), so a scan stays bounded. */
const MAX_PAGES = 1000;

/** Creates a watcher; nothing happens until {@link Watcher.start}. */
export function createWatcher(options: WatcherOptions): Watcher {
  const { exchange, renditions, config, log } = options;
  const debounceMs = options.debounceMs ?? 200;
  const maxAttempts = options.maxAttempts ?? 3;
  const sequencer = createSequencer();
  const counters: WatcherCounters = { deliveries: 0, failures: 0, scans: 0 };

  let known = new Map<string, { etag: string; size: number }>();
  let fsWatcher: FSWatcher | undefined;
  let poller: NodeJS.Timeout | undefined;
  let timer: NodeJS.Timeout | undefined;
  let tail: Promise<void> = Promise.resolve();
  let stopped = false;

  const enqueue = (work: () => Promise<void>): Promise<void> => {
    tail = tail.then(work).catch((error) => {
      log.error('watcher step failed', { reason: error instanceof Error ? error.message : String(error) });
    });
    return tail;
  };

  const deliver = async (eventName: S3EventName, key: string, info?: { etag: string; size: number }) => {
    const record = s3Record(eventName, options.exchangeBucket, {
      key,
      sequencer: sequencer(),
      ...(info ? { size: info.size, eTag: info.etag } : {}),
    });
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      counters.deliveries++;
      let failed: string;
      try {
        const { batchItemFailures } = await options.handleEvent({ Records: [record] });
        if (batchItemFailures.length === 0) return;
        failed = 'handler reported a batch item failure';
      } catch (error) {
        failed = error instanceof Error ? error.message : String(error);
      }
      counters.failures++;
      const last = attempt === maxAttempts;
      const fields = { key, event: eventName, attempt, reason: failed };
      if (last) {
        log.error('s3 event dropped after retries', fields);
        return;
      }
      log.warn('s3 event failed; retrying', fields);
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  };

  const listAll = async () => {
    counters.scans++;
    const objects = new Map<string, { etag: string; size: number }>();
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const listing = await exchange.list('', token === undefined ? {} : { continuationToken: token });
      for (const object of listing.objects) objects.set(object.key, { etag: object.etag, size: object.size });
      token = listing.continuationToken;
      if (token === undefined) break;
    }
    return objects;
  };

  const diff = async () => {
    const current = await listAll();
    const previous = known;
    known = current;
    for (const [key, info] of current) {
      if (previous.get(key)?.etag !== info.etag) await deliver('ObjectCreated:Put', key, info);
    }
    for (const key of previous.keys()) {
      if (!current.has(key)) await deliver('ObjectRemoved:Delete', key);
    }
  };

  const startupScan = async () => {
    known = await listAll();
    for (const [key, info] of known) {
      if (!(await eagerUpToDate(key, info.etag))) await deliver('ObjectCreated:Put', key, info);
    }
    for (const key of await orphanedSources()) {
      if (!known.has(key)) await deliver('ObjectRemoved:Delete', key);
    }
  };

  const eagerUpToDate = async (key: string, etag: string) => {
    for (const { params } of eagerTargets(config)) {
      const info = await renditions.head(renditionKey(key, params));
      if (info?.metadata['source-etag'] !== etag) return false;
    }
    return true;
  };

  // Renditions whose original was deleted while the emulator was not running.
  const orphanedSources = async () => {
    const sources = new Set<string>();
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const listing = await renditions.list('', token === undefined ? {} : { continuationToken: token });
      for (const object of listing.objects) {
        const at = object.key.lastIndexOf('/_r/');
        if (at > 0) sources.add(object.key.slice(0, at));
      }
      token = listing.continuationToken;
      if (token === undefined) break;
    }
    return sources;
  };

  const schedule = () => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void enqueue(diff);
    }, debounceMs);
  };

  return {
    counters,
    async start() {
      stopped = false;
      // Watch before the scan, so a change made while it runs queues a listing after it.
      if (options.root === undefined) {
        // No folder to watch (an S3 bucket): compare listings at an interval instead.
        poller = setInterval(schedule, options.pollMs ?? 5_000);
        poller.unref();
        await enqueue(startupScan);
        return;
      }
      try {
        fsWatcher = watch(options.root, { recursive: true }, schedule);
        fsWatcher.on('error', (error) => log.error('originals watcher failed', { reason: error.message }));
      } catch (error) {
        log.error('cannot watch the originals folder; changes need a restart', {
          location: options.root,
          reason: error instanceof Error ? error.message : String(error),
        });
      }
      await enqueue(startupScan);
    },
    async stop() {
      stopped = true;
      fsWatcher?.close();
      fsWatcher = undefined;
      if (poller) clearInterval(poller);
      poller = undefined;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await tail;
    },
    async settled() {
      await new Promise((resolve) => setTimeout(resolve, debounceMs + 100));
      for (;;) {
        if (timer) {
          await new Promise((resolve) => setTimeout(resolve, debounceMs));
          continue;
        }
        const waitingFor = tail;
        await waitingFor;
        if (waitingFor === tail && !timer) return;
      }
    },
    rescan() {
      return enqueue(diff);
    },
  };
}
