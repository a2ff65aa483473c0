/**
 * The local emulator: a fastify server that runs every image request through the same chain
 * as CloudFront (viewer-request function → renditions bucket → origin-response trigger) and
 * feeds changes of the originals folder to the S3-event handler, all on local folders.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { EdgeConfig } from '../config.js';
import { configureSharp, renderMany, renderOnDemand } from '../engine/index.js';
import { handleOriginResponse } from '../handlers/origin-response.js';
import { handleS3Event } from '../handlers/s3-event.js';
import { createViewerRequestHandler } from '../handlers/viewer-request.js';
import { jsonLogger, type Logger } from '../log.js';
import { createLocalStorage } from '../storage/local.js';
import { openStore, parseStoreUrl } from '../storage/open.js';
import type { Storage } from '../storage/types.js';
import { type ChainCounters, createRequestChain, type EdgeFunctions, emptyCounters } from './chain.js';
import type { HttpAnswer } from './cloudfront.js';
import { countingStorage, emptyCalls } from './counting-storage.js';
import { renderGallery } from './gallery.js';
import { folderOverlap } from './options.js';
import { createWatcher, type S3EventFunction, type Watcher } from './watcher.js';

/** Everything {@link createEmulator} needs; paths may be relative to the working directory. */
export interface EmulatorOptions {
  /** Originals (the exchange bucket): a folder, or `s3://bucket[/prefix]`. */
  readonly originals: string;
  /** Renditions (the renditions bucket): a folder (created when missing), or `s3://bucket[/prefix]`. */
  readonly renditions: string;
  /** S3-compatible endpoint for `s3://` locations; AWS when absent. */
  readonly endpoint?: string;
  /** How often an S3 originals bucket is listed for changes, in ms. Default 5000. */
  readonly pollMs?: number;
  readonly config: EdgeConfig;
  /** Interface to listen on. Default `127.0.0.1`. */
  readonly host?: string;
  /** Port; 0 picks a free one. Default 8080. */
  readonly port?: number;
  /** Default: JSON lines on stdout. */
  readonly log?: Logger;
  /** Watch the originals folder and run the S3-event handler. Default true. */
  readonly watch?: boolean;
  /** Debounce of the originals watcher, in ms. Default 200. */
  readonly debounceMs?: number;
  /** Bucket name in the emulated S3 events. Default `vetrina-exchange`. */
  readonly exchangeBucket?: string;
  /**
   * Replaces the real handlers, for tests that need a handler to misbehave (CASES.md case 23).
   * Each gets the same events the real one would.
   */
  readonly functions?: Partial<EdgeFunctions> & { readonly s3Event?: S3EventFunction };
}

/** Counters of one emulator: requests, and the store calls the handlers really made. */
export interface EmulatorStats extends Readonly<ChainCounters> {
  /** Engine runs of the on-demand path (`renderOnDemand` calls). */
  readonly renders: number;
  /** Engine runs of the S3-event path (`renderMany` calls, one per original). */
  readonly eagerRenders: number;
  /** Renditions the on-demand path stored. */
  readonly puts: number;
  /** Renditions the S3-event path stored. */
  readonly eagerPuts: number;
  /** Renditions the S3-event path deleted. */
  readonly eagerDeletes: number;
  /** Keys stored: the S3-event path's, then the on-demand path's, each oldest first (the last 1000 of each). */
  readonly putKeys: readonly string[];
}

/** A created emulator. */
export interface Emulator {
  readonly app: FastifyInstance;
  /** The two stores the chain reads and writes (folders or S3 buckets). */
  readonly stores: { readonly exchange: Storage; readonly renditions: Storage };
  readonly watcher: Watcher;
  readonly stats: EmulatorStats;
  /** Listens, runs the start-up scan and starts watching; resolves to the base URL, e.g. `http://127.0.0.1:8080`. */
  start(): Promise<string>;
  /** Stops watching, waits for queued events and closes the server. */
  stop(): Promise<void>;
}

/** A folder (created for renditions) or an `s3://` bucket, as the same Storage interface. */
function openLocation(location: string, endpoint: string | undefined, create: boolean): Storage {
  if (parseStoreUrl(location)) return openStore(location, endpoint === undefined ? {} : { endpoint });
  const dir = resolve(location);
  if (create) mkdirSync(dir, { recursive: true });
  return createLocalStorage(dir);
}

/**
 * Builds the emulator; nothing listens until {@link Emulator.start}. Throws when one folder
 * contains the other (its own renditions would become originals).
 */
export function createEmulator(options: EmulatorOptions): Emulator {
  const config = options.config;
  const log = options.log ?? jsonLogger({ service: 'vetrina-emulator' });
  const overlap = folderOverlap(options.originals, options.renditions);
  if (overlap) throw new Error(`emulator options: ${overlap}`);
  configureSharp();

  const exchangeStore = openLocation(options.originals, options.endpoint, false);
  const renditionsStore = openLocation(options.renditions, options.endpoint, true);
  const originalsDir = parseStoreUrl(options.originals) ? undefined : resolve(options.originals);
  const onDemandRenditions = emptyCalls();
  const eagerRenditions = emptyCalls();
  const counters = emptyCounters();
  const exchangeBucket = options.exchangeBucket ?? 'vetrina-exchange';

  // Renders are counted by wrapping the engine calls the handlers make, not inferred.
  const renders = { onDemand: 0, eager: 0 };
  const onDemandEngine = {
    renderOnDemand: (...args: Parameters<typeof renderOnDemand>) => {
      renders.onDemand++;
      return renderOnDemand(...args);
    },
  };
  const eagerEngine = {
    renderMany: (...args: Parameters<typeof renderMany>) => {
      renders.eager++;
      return renderMany(...args);
    },
  };

  const functions: EdgeFunctions = {
    viewerRequest: options.functions?.viewerRequest ?? createViewerRequestHandler(config),
    originResponse:
      options.functions?.originResponse ??
      ((event) =>
        handleOriginResponse(event, {
          exchange: exchangeStore,
          renditions: countingStorage(renditionsStore, onDemandRenditions),
          config,
          log,
          engine: onDemandEngine,
        })),
  };
  const s3Event: S3EventFunction =
    options.functions?.s3Event ??
    ((event) =>
      handleS3Event(event, {
        exchange: exchangeStore,
        renditions: countingStorage(renditionsStore, eagerRenditions),
        config,
        log,
        exchangeBucket,
        engine: eagerEngine,
      }));

  const chain = createRequestChain({ functions, renditions: renditionsStore, log, counters });
  const watcher = createWatcher({
    ...(originalsDir === undefined ? {} : { root: originalsDir }),
    ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
    exchange: exchangeStore,
    renditions: renditionsStore,
    config,
    log,
    exchangeBucket,
    handleEvent: s3Event,
    ...(options.debounceMs === undefined ? {} : { debounceMs: options.debounceMs }),
  });

  const answerImage = async (request: FastifyRequest, reply: FastifyReply) => {
    const { answer } = await chain({
      method: request.raw.method ?? 'GET',
      url: request.raw.url ?? '/',
      headers: request.raw.headers,
      ip: request.ip,
    });
    writeAnswer(reply, request.raw.method === 'HEAD', answer);
  };

  const app = Fastify({
    logger: false,
    // Paths such as `%zz` or `%C3%28` must reach the viewer-request function, which answers
    // them with BAD_ENCODING, instead of fastify's own 400.
    frameworkErrors: (error, request, reply) => {
      if (error.code === 'FST_ERR_BAD_URL') return void answerImage(request, reply);
      const body = { error: { code: 'BAD_PATH', status: 400, message: `request: ${error.message}` } };
      writeAnswer(reply, false, {
        status: 400,
        headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
        body: Buffer.from(JSON.stringify(body), 'utf8'),
      });
    },
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { bodyLimit: 1024 * 1024 }, (_request, _payload, done) => done(null, undefined));

  app.get('/', async (_request, reply) => {
    const html = await renderGallery(exchangeStore, renditionsStore, config);
    reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
  });
  app.get('/healthz', async (_request, reply) => {
    reply.header('cache-control', 'no-store').send({ status: 'ok', originals: exchangeStore.location });
  });
  app.get('/favicon.ico', async (_request, reply) => reply.code(204).header('cache-control', 'no-store').send());
  app.all('/*', answerImage);

  const stats: EmulatorStats = {
    get requests() {
      return counters.requests;
    },
    get hits() {
      return counters.hits;
    },
    get generated() {
      return counters.generated;
    },
    get redirects() {
      return counters.redirects;
    },
    get rejected() {
      return counters.rejected;
    },
    get errors() {
      return counters.errors;
    },
    get collapsed() {
      return counters.collapsed;
    },
    get renders() {
      return renders.onDemand;
    },
    get eagerRenders() {
      return renders.eager;
    },
    get puts() {
      return onDemandRenditions.puts;
    },
    get eagerPuts() {
      return eagerRenditions.puts;
    },
    get eagerDeletes() {
      return eagerRenditions.deletes;
    },
    get putKeys() {
      return [...eagerRenditions.putKeys, ...onDemandRenditions.putKeys];
    },
  };

  return {
    app,
    stores: { exchange: exchangeStore, renditions: renditionsStore },
    watcher,
    stats,
    async start() {
      const url = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 8080 });
      if (options.watch !== false) await watcher.start();
      return url;
    },
    async stop() {
      await watcher.stop();
      await app.close();
    },
  };
}

/** Writes an answer byte for byte: no header is added or changed but what node itself needs. */
function writeAnswer(reply: FastifyReply, head: boolean, answer: HttpAnswer): void {
  reply.hijack();
  const headers = { ...answer.headers, 'content-length': String(answer.body.length) };
  reply.raw.writeHead(answer.status, headers);
  reply.raw.end(head ? undefined : answer.body);
}
