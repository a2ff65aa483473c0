import { describe, expect, it } from 'vitest';
import { signMessage } from '../../../sdk/ts/src/signing.js';
import { resolveConfig } from '../../src/config.js';
import {
  type CfEvent,
  type CfRequest,
  type CfResponse,
  createViewerRequestHandler,
} from '../../src/handlers/viewer-request.js';
import { memoryLogger } from '../../src/log.js';

const KEY = 'fahrzeuge/4711/front.jpg';
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const config = resolveConfig({ signing: { keys: { k1: 'vetrina-test-secret-1' } } });

function event(
  uri: string,
  querystring: CfRequest['querystring'] = {},
  headers: Record<string, string> = {},
  method = 'GET',
): CfEvent {
  const cfHeaders: CfRequest['headers'] = {};
  for (const [name, value] of Object.entries(headers)) cfHeaders[name] = { value };
  return {
    version: '1.0',
    context: { eventType: 'viewer-request', requestId: 'req-1' },
    viewer: { ip: '127.0.0.1' },
    request: { method, uri, querystring, headers: cfHeaders, cookies: {} },
  };
}

describe('viewer-request handler', () => {
  const handle = createViewerRequestHandler(config);

  it('rewrites the URI to the canonical rendition and keeps only v in the query', () => {
    const input = event(`/w700/${KEY}`, { v: { value: '17' } }, { accept: 'image/webp,*/*' });

    const out = handle(input) as CfRequest;

    expect(out.uri).toBe(`/${KEY}/_r/w800-q78.webp`);
    expect(out.querystring).toEqual({ v: { value: '17' } });
    expect(out.headers['x-vetrina-public-uri']).toEqual({ value: `/w700/${KEY}?v=17` });
  });

  it('folds the device class into the URI (case 34)', () => {
    const phone = handle(event(`/auto/${KEY}`, {}, { 'user-agent': IPHONE })) as CfRequest;
    const desktop = handle(event(`/auto/${KEY}`, {}, { 'user-agent': 'Amazon CloudFront' })) as CfRequest;

    expect(phone.uri).toBe(`/${KEY}/_r/w640-q70.jpg`);
    expect(desktop.uri).toBe(`/${KEY}/_r/w1280-q80.jpg`);
  });

  it('drops CloudFront signed-URL parameters from the query but keeps them in the public URI', () => {
    const querystring = {
      v: { value: '17' },
      Expires: { value: '1767225600' },
      Signature: { value: 'abc~def' },
      'Key-Pair-Id': { value: 'KVETRINATEST01' },
    };

    const out = handle(event(`/w640/${KEY}`, querystring)) as CfRequest;

    expect(out.querystring).toEqual({ v: { value: '17' } });
    expect(out.headers['x-vetrina-public-uri']?.value).toBe(
      `/w640/${KEY}?v=17&Expires=1767225600&Signature=abc~def&Key-Pair-Id=KVETRINATEST01`,
    );
  });

  it('drops the signature once checked and sets no query without v', () => {
    const s = signMessage(`w640,q60/${KEY}`, 'k1', 'vetrina-test-secret-1');

    const out = handle(event(`/w640,q60/${KEY}`, { s: { value: s } })) as CfRequest;

    expect(out.uri).toBe(`/${KEY}/_r/w640-q60.jpg`);
    expect(out.querystring).toEqual({});
    expect(out.headers['x-vetrina-public-uri']?.value).toBe(`/w640,q60/${KEY}?s=${s}`);
  });

  it('prefers the raw query string when CloudFront offers it', () => {
    const input = event(`/w640/${KEY}`, { v: { value: '17' } });
    input.request.rawQueryString = () => 'v=17&debug=1';

    const out = handle(input) as CfResponse;

    expect(out.statusCode).toBe(400);
    expect(JSON.parse(out.body).error.code).toBe('UNKNOWN_QUERY');
  });

  it('reads every value of a repeated query parameter', () => {
    const input = event(`/w640/${KEY}`, { v: { value: '1', multiValue: [{ value: '1' }, { value: '2' }] } });

    const out = handle(input) as CfResponse;

    expect(out.statusCode).toBe(400);
    expect(JSON.parse(out.body).error.code).toBe('UNKNOWN_QUERY');
  });

  it('overwrites a public-URI header sent by the client', () => {
    const input = event(`/w640/${KEY}`, {}, { 'x-vetrina-public-uri': 'https://elsewhere.invalid/x' });

    const out = handle(input) as CfRequest;

    expect(out.headers['x-vetrina-public-uri']).toEqual({ value: `/w640/${KEY}` });
  });

  it('answers a width above the ladder with a no-store JSON 400', () => {
    const out = handle(event(`/w2561/${KEY}`)) as CfResponse;

    expect(out).toEqual({
      statusCode: 400,
      statusDescription: 'Bad Request',
      headers: { 'content-type': { value: 'application/json' }, 'cache-control': { value: 'no-store' } },
      body: JSON.stringify({
        error: {
          code: 'WIDTH_OUT_OF_RANGE',
          status: 400,
          message: 'width "w2561": expected w1 to w2560',
        },
      }),
    });
  });

  it('answers an unsigned custom option with 403 Forbidden', () => {
    const out = handle(event(`/w640,q60/${KEY}`)) as CfResponse;

    expect(out.statusCode).toBe(403);
    expect(out.statusDescription).toBe('Forbidden');
    expect(JSON.parse(out.body).error.code).toBe('SIGNATURE_REQUIRED');
  });

  it('answers POST with 405 and an Allow header', () => {
    const out = handle(event(`/w640/${KEY}`, {}, {}, 'POST')) as CfResponse;

    expect(out.statusCode).toBe(405);
    expect(out.statusDescription).toBe('Method Not Allowed');
    expect(out.headers.allow).toEqual({ value: 'GET, HEAD' });
  });

  it('answers a 961-byte key with 414 URI Too Long', () => {
    const out = handle(event(`/w640/${'a'.repeat(961)}`)) as CfResponse;

    expect(out.statusCode).toBe(414);
    expect(out.statusDescription).toBe('URI Too Long');
  });

  it('logs the code of a rejected request and nothing of the URL or signature', () => {
    const logger = memoryLogger();
    const logged = createViewerRequestHandler(config, logger);

    logged(event(`/w640,q60/${KEY}`, { s: { value: 'k1.secretish' } }));

    expect(logger.entries).toEqual([
      {
        level: 'info',
        message: 'request rejected',
        code: 'BAD_SIGNATURE',
        status: 403,
        outcome: 'rejected',
        requestId: 'req-1',
      },
    ]);
  });
});
