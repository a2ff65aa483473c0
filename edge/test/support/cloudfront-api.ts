/**
 * A stand-in for CloudFront's API on 127.0.0.1 that accepts `CreateInvalidation` calls and
 * records their paths, so tests can point `@aws-sdk/client-cloudfront` at it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';

/** One recorded `CreateInvalidation`. */
export interface RecordedInvalidation {
  readonly distributionId: string;
  readonly paths: string[];
  readonly callerReference: string;
}

/** A running stand-in. */
export interface CloudFrontApi {
  readonly endpoint: string;
  readonly invalidations: RecordedInvalidation[];
  /** A client pointed at the stand-in with dummy credentials. */
  client(): CloudFrontClient;
  close(): Promise<void>;
}

const xmlText = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** Starts the stand-in on a free port. */
export async function startCloudFrontApi(): Promise<CloudFrontApi> {
  const invalidations: RecordedInvalidation[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const match = /^\/2020-05-31\/distribution\/([^/]+)\/invalidation$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !match) {
        res.writeHead(404).end();
        return;
      }
      const xml = Buffer.concat(chunks).toString('utf8');
      const paths = [...xml.matchAll(/<Path>([^<]*)<\/Path>/g)].map((m) => xmlText(m[1] as string));
      const callerReference = xmlText(/<CallerReference>([^<]*)<\/CallerReference>/.exec(xml)?.[1] ?? '');
      invalidations.push({ distributionId: match[1] as string, paths, callerReference });
      const id = `I${invalidations.length}`;
      const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Invalidation xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Id>${id}</Id><Status>InProgress</Status><CreateTime>2026-12-04T00:00:00Z</CreateTime><InvalidationBatch><Paths><Quantity>${paths.length}</Quantity></Paths><CallerReference>x</CallerReference></InvalidationBatch></Invalidation>`;
      res.writeHead(201, { 'content-type': 'text/xml', location: `http://127.0.0.1/${id}` }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    endpoint,
    invalidations,
    client: () =>
      new CloudFrontClient({
        region: 'us-east-1',
        endpoint,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        maxAttempts: 2,
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
