/**
 * CloudWatch metrics in Embedded Metric Format: one JSON line per dimension set, written to
 * stdout at the end of an invocation, which CloudWatch Logs turns into metrics without an API
 * call. Lambda@Edge writes its logs, and so its metrics, in the region nearest the viewer.
 *
 * Metrics: `RenditionsMade` (count), `BytesIn` (original bytes read), `BytesOut` (rendition
 * bytes written), `RenderMs` (the handler's time for read + render + store, per rendition or
 * record), `Errors` by `code`, `Invalidations` (count).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
import { jsonLogger, type LogFields, type Logger } from '../log.js';
import type { Storage } from '../storage/types.js';

/** CloudWatch units vetrina uses. */
export type MetricUnit = 'Count' | 'Bytes' | 'Milliseconds';

/** Collects values during an invocation and writes them as EMF on `flush`. */
export interface Metrics {
  /** Adds one value; `dimensions` beyond `service` split the metric (e.g. `{ code }`). */
  add(name: string, unit: MetricUnit, value: number, dimensions?: Readonly<Record<string, string>>): void;
  /** Writes everything collected since the last flush and forgets it; writes nothing when empty. */
  flush(): void;
}

/** Default CloudWatch namespace of every vetrina metric. */
export const METRICS_NAMESPACE = 'Vetrina';

/**
 * An EMF writer for one function (`service` is its dimension, e.g. `origin-response`).
 *
 * @param write receives one JSON line per dimension set; stdout by default.
 */
export function emfMetrics(
  service: string,
  namespace: string = METRICS_NAMESPACE,
  write: (line: string) => void = (line) => process.stdout.write(line),
): Metrics {
  // Grouped by dimension set: EMF puts one set of dimension values in each document.
  let groups = new Map<
    string,
    { dimensions: Record<string, string>; metrics: Map<string, { unit: MetricUnit; values: number[] }> }
  >();

  return {
    add(name, unit, value, dimensions = {}) {
      const all = { service, ...dimensions };
      const id = JSON.stringify(Object.entries(all).sort());
      let group = groups.get(id);
      if (!group) {
        group = { dimensions: all, metrics: new Map() };
        groups.set(id, group);
      }
      const metric = group.metrics.get(name) ?? { unit, values: [] };
      metric.values.push(value);
      group.metrics.set(name, metric);
    },
    flush() {
      const timestamp = Date.now();
      for (const { dimensions, metrics } of groups.values()) {
        const document: Record<string, unknown> = {
          _aws: {
            Timestamp: timestamp,
            CloudWatchMetrics: [
              {
                Namespace: namespace,
                Dimensions: [Object.keys(dimensions)],
                Metrics: [...metrics].map(([name, { unit }]) => ({ Name: name, Unit: unit })),
              },
            ],
          },
          ...dimensions,
        };
        for (const [name, { values }] of metrics) document[name] = values.length === 1 ? values[0] : values;
        write(`${JSON.stringify(document)}\n`);
      }
      groups = new Map();
    },
  };
}

/**
 * Wraps a store so reads count as `BytesIn` (`role: 'source'`) or writes count as
 * `RenditionsMade` and `BytesOut` (`role: 'renditions'`).
 */
export function measuredStorage(inner: Storage, role: 'source' | 'renditions', metrics: Metrics): Storage {
  return {
    location: inner.location,
    head: (key) => inner.head(key),
    list: (prefix, options) => inner.list(prefix, options),
    delete: (keys) => inner.delete(keys),
    async get(key) {
      const object = await inner.get(key);
      if (object && role === 'source') metrics.add('BytesIn', 'Bytes', object.body.length);
      return object;
    },
    async put(key, body, options) {
      const written = await inner.put(key, body, options);
      if (role === 'renditions') {
        metrics.add('RenditionsMade', 'Count', 1);
        metrics.add('BytesOut', 'Bytes', body.length);
      }
      return written;
    },
  };
}

/**
 * Wraps a logger so entries become metrics too: an entry with a `code` counts one `Errors`
 * for that code; an entry with `ms` and a `rendition` or `key` adds a `RenderMs` value.
 */
export function measuredLogger(inner: Logger, metrics: Metrics): Logger {
  const observe = (fields: LogFields | undefined) => {
    if (!fields) return;
    if (typeof fields.code === 'string') metrics.add('Errors', 'Count', 1, { code: fields.code });
    if (typeof fields.ms === 'number' && (fields.rendition !== undefined || fields.key !== undefined)) {
      metrics.add('RenderMs', 'Milliseconds', fields.ms);
    }
  };
  return {
    info(message, fields) {
      observe(fields);
      inner.info(message, fields);
    },
    warn(message, fields) {
      observe(fields);
      inner.warn(message, fields);
    },
    error(message, fields) {
      observe(fields);
      inner.error(message, fields);
    },
  };
}

/**
 * The metrics and the logger of one invocation of the Lambda `service`: JSON lines carrying the
 * function name and the request id, whose error codes and timings also become metrics.
 */
export function invocationTelemetry(
  service: string,
  requestId: string | undefined,
  write: (line: string) => void,
): { metrics: Metrics; log: Logger } {
  const metrics = emfMetrics(service, undefined, write);
  const log = measuredLogger(jsonLogger({ function: service, ...(requestId ? { requestId } : {}) }, write), metrics);
  return { metrics, log };
}
