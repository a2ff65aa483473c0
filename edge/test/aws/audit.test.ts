import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_METRICS as CDK_AUDIT_METRICS, METRICS_NAMESPACE as CDK_NAMESPACE } from '../../../infra/lib/audit.js';
import { AUDIT_METRICS, createAuditEntry } from '../../src/aws/audit.js';
import { createBackfillEntry } from '../../src/aws/backfill.js';
import type { Storage } from '../../src/storage/types.js';
import { jpeg } from '../cli/helpers.js';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.js';
import { type S3TestServer, startS3Server } from '../support/s3-server.js';

const SETTINGS = { exchangeBucket: 'exchange', renditionsBucket: 'renditions', region: 'us-east-1', edge: {} };

let server: S3TestServer;
let proxy: FaultProxy;

/** Stores under `seeded/` of each bucket, through the fault proxy. */
const storage = (bucket: string): Storage => server.storage(bucket, { endpoint: proxy.endpoint, prefix: 'seeded/' });

/**
 * Three originals with their eager renditions made by the backfill entry, then: one rendition
 * of b.jpg deleted (missing), c.jpg replaced by other bytes a second later (its three renditions
 * stale, and older than it), one rendition of an original that does not exist (orphaned).
 */
beforeAll(async () => {
  server = await startS3Server(['exchange', 'renditions']);
  proxy = await startFaultProxy(server.endpoint);
  const exchange = storage('exchange');
  const renditions = storage('renditions');
  const picture = await jpeg(400, 300);
  for (const key of ['a.jpg', 'b.jpg', 'c.jpg']) await exchange.put(key, picture, { contentType: 'image/jpeg' });
  // S3 keeps LastModified to the second: the renditions must be visibly younger than their originals.
  await sleep(1_100);
  const items = ['a.jpg', 'b.jpg', 'c.jpg'].map((Key) => ({ Key }));
  await createBackfillEntry(SETTINGS, { storage, write: () => {} })({ Items: items });
  await renditions.delete(['b.jpg/_r/w320-cover-4x3-q80.jpg']);
  await renditions.put('gone.jpg/_r/w320-cover-4x3-q80.jpg', picture, { metadata: { 'source-etag': 'x' } });
  await sleep(1_100);
  await exchange.put('c.jpg', await jpeg(400, 300, '#20a040'), { contentType: 'image/jpeg' });
});

afterAll(async () => {
  await proxy?.close();
  await server?.close();
});

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  return {
    lines,
    write: (line: string) => void lines.push(JSON.parse(line)),
    emf: () => lines.filter((l) => l._aws !== undefined),
  };
}

const headsSince = (start: number) => proxy.requests.slice(start).filter((r) => r.method === 'HEAD').length;

describe('audit Lambda entry', () => {
  it('publishes exact missing, stale, orphaned and audited counts in one EMF line, heading only renditions older than their original', async () => {
    const out = capture();
    const audit = createAuditEntry(SETTINGS, { storage, write: out.write, marginMs: 0 });
    const start = proxy.requests.length;

    const summary = await audit({}, { awsRequestId: 'req-9' });

    expect(out.emf()).toEqual([
      {
        _aws: {
          Timestamp: expect.any(Number),
          CloudWatchMetrics: [
            {
              Namespace: 'Vetrina',
              Dimensions: [['service']],
              Metrics: [
                { Name: 'MissingRenditions', Unit: 'Count' },
                { Name: 'StaleRenditions', Unit: 'Count' },
                { Name: 'OrphanedRenditions', Unit: 'Count' },
                { Name: 'OriginalsAudited', Unit: 'Count' },
              ],
            },
          ],
        },
        service: 'audit',
        MissingRenditions: 1,
        StaleRenditions: 3,
        OrphanedRenditions: 1,
        OriginalsAudited: 3,
      },
    ]);
    expect(summary).toMatchObject({ originals: 3, renditions: 9, missing: 1, stale: 3, orphaned: 1, headed: 3 });
    expect(headsSince(start)).toBe(3);
    const findings = out.lines.filter((l) => l.level === 'warn').map((l) => `${l.message}: ${l.rendition}`);
    expect(findings).toEqual([
      'missing rendition: b.jpg/_r/w320-cover-4x3-q80.jpg',
      'stale rendition: c.jpg/_r/w1600-q80.jpg',
      'stale rendition: c.jpg/_r/w320-cover-4x3-q80.jpg',
      'stale rendition: c.jpg/_r/w800-cover-4x3-q80.jpg',
      'orphaned rendition: gone.jpg/_r/w320-cover-4x3-q80.jpg',
    ]);
    expect(out.lines.find((l) => l.message === 'audit')).toMatchObject({ function: 'audit', requestId: 'req-9' });
  });

  it('heads every rendition written within the default 15-minute margin after its original, with the same counts', async () => {
    const out = capture();
    const audit = createAuditEntry(SETTINGS, { storage, write: out.write });
    const start = proxy.requests.length;

    const summary = await audit();

    expect(summary).toMatchObject({ missing: 1, stale: 3, orphaned: 1, originals: 3, headed: 8 });
    expect(headsSince(start)).toBe(8);
  });

  it('throws and publishes nothing when a listing keeps failing', async () => {
    const out = capture();
    const audit = createAuditEntry(SETTINGS, { storage, write: out.write });
    proxy.inject({ fault: 'internal-error', method: 'GET', path: /^\/renditions\/?\?/, times: 2 });

    const failed = audit();

    await expect(failed).rejects.toThrow(/list "s3:\/\/renditions\/seeded\/" failed \(InternalError, HTTP 500\)/);
    expect(out.emf()).toEqual([]);
    expect(out.lines.at(-1)).toMatchObject({ level: 'error', message: 'audit failed', code: 'STORAGE_FAILED' });
  });

  it('uses the metric names and namespace the CDK alarms read', () => {
    expect(AUDIT_METRICS).toEqual(CDK_AUDIT_METRICS);
    expect(CDK_NAMESPACE).toBe('Vetrina');
  });
});
