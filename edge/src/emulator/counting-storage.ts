/**
 * A Storage wrapper that counts what the handlers really do to a store, so the emulator's
 * counters come from the calls themselves rather than from guesses about them.
 */
import type { PutOptions, Storage } from '../storage/types.js';

/** How many written keys {@link StorageCalls.putKeys} remembers, so a long session stays small. */
export const PUT_KEYS_KEPT = 1000;

/** Calls counted by {@link countingStorage}. */
export interface StorageCalls {
  gets: number;
  /** Gets that returned an object (a missing key returns `undefined`). */
  found: number;
  heads: number;
  puts: number;
  deletes: number;
  /** The last {@link PUT_KEYS_KEPT} keys written, oldest first, for tests that ask what was stored. */
  readonly putKeys: string[];
}

/** Wraps `inner`, adding one to `calls` for each call before passing it on unchanged. */
export function countingStorage(inner: Storage, calls: StorageCalls): Storage {
  return {
    location: inner.location,
    async get(key: string) {
      calls.gets++;
      const object = await inner.get(key);
      if (object) calls.found++;
      return object;
    },
    head(key: string) {
      calls.heads++;
      return inner.head(key);
    },
    put(key: string, body: Buffer, options?: PutOptions) {
      calls.puts++;
      calls.putKeys.push(key);
      if (calls.putKeys.length > PUT_KEYS_KEPT) calls.putKeys.shift();
      return inner.put(key, body, options);
    },
    list(prefix, options) {
      return inner.list(prefix, options);
    },
    delete(keys) {
      calls.deletes += keys.length;
      return inner.delete(keys);
    },
  };
}

/** A fresh, zeroed {@link StorageCalls}. */
export function emptyCalls(): StorageCalls {
  return { gets: 0, found: 0, heads: 0, puts: 0, deletes: 0, putKeys: [] };
}
