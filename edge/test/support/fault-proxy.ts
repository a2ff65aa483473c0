/**
 * A small HTTP proxy on 127.0.0.1 that stands in front of a test server (s3rver) and breaks
 * the first N requests matching a rule: S3 error answers, dropped or stalled connections, a
 * body cut short. Everything else is forwarded unchanged (headers included, so SigV4
 * signatures stay valid). Every request is recorded for assertions.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What to do to a matching request. */
export type Fault =
  /** 500 InternalError, nothing forwarded. */
  | 'internal-error'
  /** 503 SlowDown, nothing forwarded. */
  | 'slow-down'
  /** 412 PreconditionFailed, nothing forwarded. */
  | 'precondition-failed'
  /** The connection is closed before anything is forwarded. */
  | 'drop'
  /** Forwarded and completed upstream, then the client's connection is closed without an answer. */
  | 'drop-after-forward'
  /** Forwarded; the client gets the headers and half the body, then the connection closes. */
  | 'truncate-body'
  /** Never answered (the client must time out). */
  | 'stall';

/** Breaks the first `times` requests that match `method` and `path`. */
export interface FaultRule {
  readonly fault: Fault;
  /** Upper-case HTTP method; any when absent. */
  readonly method?: string;
  /** Matched against the request path and query as received (percent-encoded); any when absent. */
  readonly path?: RegExp;
  /** How many matching requests to break; default 1. */
  readonly times?: number;
}

/** One request the proxy saw. */
export interface ProxiedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** The fault applied, if any. */
  readonly fault?: Fault;
}

/** A running proxy. */
export interface FaultProxy {
  /** `http://127.0.0.1:{port}`. */
  readonly endpoint: string;
  readonly requests: ProxiedRequest[];
  /** Adds a rule; rules are tried in the order added, each until its count is used up. */
  inject(rule: FaultRule): void;
  /** Faults applied so far. */
  injected(): number;
  close(): Promise<void>;
}

const S3_ERRORS = {
  'internal-error': [500, 'InternalError', 'We encountered an internal error. Please try again.'],
  'slow-down': [503, 'SlowDown', 'Please reduce your request rate.'],
  'precondition-failed': [412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold'],
} as const;

/** Starts a proxy forwarding to `target` (e.g. `http://127.0.0.1:4568`). */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const rules: Array<{ rule: FaultRule; left: number }> = [];
  const requests: ProxiedRequest[] = [];
  let applied = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const url = req.url ?? '/';
      const slot = rules.find(
        ({ rule, left }) => left > 0 && (!rule.method || rule.method === method) && (!rule.path || rule.path.test(url)),
      );
      if (slot) {
        slot.left -= 1;
        applied += 1;
      }
      const fault = slot?.rule.fault;
      requests.push({ method, url, headers: req.headers, ...(fault ? { fault } : {}) });

      if (fault === 'drop') return void req.socket.destroy();
      if (fault === 'stall') return;
      if (fault === 'internal-error' || fault === 'slow-down' || fault === 'precondition-failed') {
        const [status, code, message] = S3_ERRORS[fault];
        const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>FAULT${applied}</RequestId></Error>`;
        res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) });
        return void res.end(method === 'HEAD' ? undefined : xml);
      }

      const forward = httpRequest(
        { host: upstream.hostname, port: upstream.port, method, path: url, headers: req.headers },
        (answer) => {
          const body: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => body.push(chunk));
          answer.on('end', () => {
            if (fault === 'drop-after-forward') return void req.socket.destroy();

            const bytes = Buffer.concat(body);
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            if (fault === 'truncate-body') {
              res.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
              // Let the half body leave before the connection goes.
              return void setTimeout(() => req.socket.destroy(), 20);
            }
            res.end(bytes);
          });
        },
      );
      forward.on('error', () => req.socket.destroy());
      forward.end(Buffer.concat(chunks));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    inject: (rule) => void rules.push({ rule, left: rule.times ?? 1 }),
    injected: () => applied,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
