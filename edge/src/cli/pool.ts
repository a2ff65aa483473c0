/**
 * A bounded worker pool: runs `work` over items with at most `concurrency` in flight, in
 * input order of start, and stops taking new items once `signal` aborts.
 */
export async function runPool<T>(
  items: Iterable<T> | AsyncIterable<T>,
  concurrency: number,
  work: (item: T) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const iterator =
    Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : (items as Iterable<T>)[Symbol.iterator]();
  const next = async (): Promise<IteratorResult<T>> => iterator.next();

  const worker = async () => {
    while (!signal?.aborted) {
      const step = await next();
      if (step.done) return;
      await work(step.value);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}
