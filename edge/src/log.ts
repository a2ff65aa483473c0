/**
 * Structured logs: one JSON line per event with fixed keys. Never whole events, image bytes
 * or signatures.
 */

/** Fields every entry may carry; extra fields are allowed but must be small scalars. */
export interface LogFields {
  readonly key?: string;
  readonly rendition?: string;
  readonly requestId?: string;
  readonly ms?: number;
  readonly outcome?: string;
  readonly code?: string;
  readonly [field: string]: string | number | boolean | undefined;
}

/** The logger the core writes to. Handlers pass one in; tests capture it. */
export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** A logger writing one JSON line per entry to a stream (stdout by default). */
export function jsonLogger(
  base: LogFields = {},
  write: (line: string) => void = (line) => process.stdout.write(line),
): Logger {
  const emit = (level: string, message: string, fields?: LogFields) => {
    write(`${JSON.stringify({ time: new Date().toISOString(), level, message, ...base, ...fields })}\n`);
  };
  return {
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
  };
}

/** A logger that keeps entries in memory, for tests. */
export function memoryLogger(): Logger & { readonly entries: Array<{ level: string; message: string } & LogFields> } {
  const entries: Array<{ level: string; message: string } & LogFields> = [];
  const push = (level: string) => (message: string, fields?: LogFields) => {
    entries.push({ level, message, ...fields });
  };
  return { entries, info: push('info'), warn: push('warn'), error: push('error') };
}

/** Logs nothing. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
