/**
 * Bounded concurrency for the CLI's bulk work: a worker pool over a list, and a limiter for
 * the CPU-heavy step inside it (decoding), so that many cheap checks can be in flight while
 * only as many images are decoded as there are cores.
 */

/**
 * Runs `work` over `items` with at most `concurrency` (≥ 1) calls in flight, starting them in
 * input order. Stops taking new items once `signal` aborts or a call throws; the calls in
 * flight are awaited either way, then the first error is rethrown. `work` that must not stop
 * the run catches its own errors.
 */
export async function runPool<T>(
  items: Iterable<T>,
  concurrency: number,
  work: (item: T) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const iterator = items[Symbol.iterator]();
  let failure: { error: unknown } | undefined;

  const worker = async () => {
    while (!signal?.aborted && !failure) {
      const step = iterator.next();
      if (step.done) return;
      try {
        await work(step.value);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.trunc(concurrency)) }, worker));
  if (failure) throw failure.error;
}

/** Runs a task when one of the limiter's slots is free. */
export type Limiter = <R>(task: () => Promise<R>) => Promise<R>;

/** A limiter with `slots` (≥ 1) tasks running at once; waiting tasks start in call order. */
export function createLimiter(slots: number): Limiter {
  const capacity = Math.max(1, Math.trunc(slots));
  const waiting: Array<() => void> = [];
  let running = 0;

  return async (task) => {
    if (running >= capacity) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter, so `running` never dips and overshoots.
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}
