/**
 * Listing helpers for the CLI's bulk work.
 */
import type { Storage, StoredObjectInfo } from '../storage/types.js';

/** Every object under `prefix`, all pages. */
export async function listAll(store: Storage, prefix: string): Promise<StoredObjectInfo[]> {
  const all: StoredObjectInfo[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await store.list(prefix, continuationToken ? { continuationToken } : {});
    all.push(...page.objects);
    continuationToken = page.continuationToken;
  } while (continuationToken);
  return all;
}
