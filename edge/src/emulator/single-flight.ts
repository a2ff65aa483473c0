/**
 * Request collapsing: concurrent callers for the same key share one run, as CloudFront
 * collapses simultaneous cache misses for one cache key into one origin request.
 */

/** Runs at most one task per key at a time; callers that arrive meanwhile share its promise. */
export interface SingleFlight<T> {
  /**
   * Runs `task` unless a task for `key` is already running, in which case its promise is
   * returned. `shared` tells the caller whether it joined a run started by another.
   */
  run(key: string, task: () => Promise<T>): Promise<{ value: T; shared: boolean }>;
  /** Keys with a task in flight. */
  readonly size: number;
}

/** Creates an empty {@link SingleFlight}. */
export function createSingleFlight<T>(): SingleFlight<T> {
  const inFlight = new Map<string, Promise<T>>();

  return {
    async run(key, task) {
      const running = inFlight.get(key);
      if (running) return { value: await running, shared: true };

      const started = task().finally(() => inFlight.delete(key));
      inFlight.set(key, started);
      return { value: await started, shared: false };
    },
    get size() {
      return inFlight.size;
    },
  };
}
