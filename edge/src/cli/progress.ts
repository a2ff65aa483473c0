/**
 * Progress for long CLI work: a redrawn bar on a terminal, a plain line every few seconds
 * elsewhere (CI logs, pipes). Writes to stderr so stdout stays free for JSON.
 */

/** Counters shown on the progress line, e.g. `{ uploaded: 3, unchanged: 10 }`. */
export type Counters = Record<string, number>;

/** Where progress goes: stderr, or any stream with `write` (a TTY when `isTTY` is true). */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** A progress reporter. */
export interface Progress {
  /** Advances by one item and updates the counters. */
  tick(counter: string): void;
  /** Sets the total once it is known. */
  setTotal(total: number): void;
  readonly counters: Counters;
  /** Draws the final state and a newline. */
  done(): void;
}

/**
 * Creates a progress reporter for `label` (e.g. `sync`) writing to `stream` (default stderr).
 * On a TTY one bar line is redrawn at most every 100 ms; elsewhere a plain line with the
 * counts is written when the total is known, then at most every `intervalMs` (default
 * 5000 ms), and once at the end. `quiet` suppresses all output.
 */
export function createProgress(
  label: string,
  options: { stream?: ProgressStream; quiet?: boolean; intervalMs?: number } = {},
): Progress {
  const stream = options.stream ?? process.stderr;
  const isTty = Boolean(stream.isTTY);
  const intervalMs = options.intervalMs ?? (isTty ? 100 : 5_000);
  const counters: Counters = {};
  let total: number | undefined;
  let processed = 0;
  let lastDraw = 0;
  const started = Date.now();

  const line = () => {
    // Sorted, so the line reads the same whatever finished first.
    const parts = Object.keys(counters)
      .sort()
      .map((name) => `${name} ${counters[name]}`);
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0 ? (processed / seconds).toFixed(1) : '0.0';
    if (total === undefined) return `${label}: ${processed} done (${rate}/s) ${parts.join(', ')}`;
    const width = 24;
    const filled = total === 0 ? width : Math.round((processed / total) * width);
    const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
    return `${label} [${bar}] ${processed}/${total} (${rate}/s) ${parts.join(', ')}`;
  };

  const draw = (force: boolean) => {
    if (options.quiet) return;
    const now = Date.now();
    if (!force && now - lastDraw < intervalMs) return;
    lastDraw = now;
    stream.write(isTty ? `\r\x1b[K${line()}` : `${line()}\n`);
  };

  return {
    counters,
    tick(counter) {
      processed += 1;
      counters[counter] = (counters[counter] ?? 0) + 1;
      draw(false);
    },
    setTotal(value) {
      total = value;
      draw(true);
    },
    done() {
      if (options.quiet) return;
      stream.write(isTty ? `\r\x1b[K${line()}\n` : `${line()}\n`);
    },
  };
}
