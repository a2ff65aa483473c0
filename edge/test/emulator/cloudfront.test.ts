import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  EDGE_GENERATED_RESPONSE_LIMIT_BYTES,
  InvalidEdgeResultError,
  originResultToHttp,
  serializeQuery,
  toOriginResponseEvent,
  toViewerRequestEvent,
} from '../../src/emulator/cloudfront.js';
import { redBlueJpeg } from './helpers.js';

const jpegHeaders = { 'content-type': [{ key: 'Content-Type', value: 'image/jpeg' }] };

describe('toViewerRequestEvent', () => {
  it('keeps the uri and query values encoded, lower-cases headers and splits cookies', () => {
    const http = {
      method: 'get',
      url: '/w640/a%20b.jpg?v=3&s=k1.x%2By&v=4',
      headers: { Accept: 'image/webp', cookie: 'a=1; b=2' },
      ip: '127.0.0.1',
    };

    const event = toViewerRequestEvent(http, 'req-1');

    expect(event.request.method).toBe('GET');
    expect(event.request.uri).toBe('/w640/a%20b.jpg');
    expect(event.request.querystring).toEqual({
      v: { value: '3', multiValue: [{ value: '3' }, { value: '4' }] },
      s: { value: 'k1.x%2By' },
    });
    expect(event.request.headers).toEqual({ accept: { value: 'image/webp' } });
    expect(event.request.cookies).toEqual({ a: { value: '1' }, b: { value: '2' } });
    expect(event.context.requestId).toBe('req-1');
  });

  it('writes a query object back in its order, repeated values included', () => {
    const query = { v: { value: '3', multiValue: [{ value: '3' }, { value: '4' }] }, flag: { value: '' } };

    expect(serializeQuery(query)).toBe('v=3&v=4&flag');
    expect(serializeQuery('?v=1')).toBe('v=1');
  });
});

describe('toOriginResponseEvent', () => {
  it('carries the rewritten request and the origin status as Lambda@Edge shapes', () => {
    const request = {
      method: 'GET',
      uri: '/a.jpg/_r/w640-q80.jpg',
      querystring: { v: { value: '7' } },
      headers: { 'x-vetrina-public-uri': { value: '/w640/a.jpg?v=7' } },
      cookies: {},
    };

    const event = toOriginResponseEvent(
      request,
      { status: 404, statusDescription: 'Not Found', headers: { 'content-type': 'application/xml' } },
      'req-2',
      '127.0.0.1',
    );

    const cf = event.Records[0]?.cf;
    expect(cf?.request.uri).toBe('/a.jpg/_r/w640-q80.jpg');
    expect(cf?.request.querystring).toBe('v=7');
    expect(cf?.request.headers['x-vetrina-public-uri']).toEqual([
      { key: 'x-vetrina-public-uri', value: '/w640/a.jpg?v=7' },
    ]);
    expect(cf?.response.status).toBe('404');
    expect(cf?.config.eventType).toBe('origin-response');
  });
});

describe('originResultToHttp (CASES.md case 23)', () => {
  it('decodes a base64 body byte for byte when bodyEncoding is base64', async () => {
    const jpeg = await redBlueJpeg(24, 32);
    const result = {
      status: '200',
      headers: jpegHeaders,
      body: jpeg.toString('base64'),
      bodyEncoding: 'base64' as const,
    };

    const answer = originResultToHttp(result, Buffer.alloc(0));

    expect(createHash('sha256').update(answer.body).digest('hex')).toBe(
      createHash('sha256').update(jpeg).digest('hex'),
    );
    expect([...answer.body.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect(answer.body.length).toBe(jpeg.length);
  });

  it('rejects base64 image data without bodyEncoding base64', async () => {
    const jpeg = await redBlueJpeg(24, 32);
    const result = { status: '200', headers: {}, body: jpeg.toString('base64') };

    expect(() => originResultToHttp(result, Buffer.alloc(0))).toThrow(InvalidEdgeResultError);
    expect(() => originResultToHttp({ ...result, bodyEncoding: 'text' }, Buffer.alloc(0))).toThrow(
      /bodyEncoding is "text", expected "base64"/,
    );
  });

  it('rejects an image content type on a text body', () => {
    const result = { status: '200', headers: jpegHeaders, body: 'not really a jpeg' };

    expect(() => originResultToHttp(result, Buffer.alloc(0))).toThrow(/base64 image data/);
  });

  it('rejects a body flagged base64 that is not base64', () => {
    const result = { status: '200', headers: jpegHeaders, body: '%%%', bodyEncoding: 'base64' as const };

    expect(() => originResultToHttp(result, Buffer.alloc(0))).toThrow(/is not base64/);
  });

  it('sends a JSON error body as UTF-8 text', () => {
    const body = '{"error":{"code":"ORIGINAL_NOT_FOUND","status":404,"message":"ü"}}';
    const result = {
      status: '404',
      headers: { 'content-type': [{ value: 'application/json' }], 'cache-control': [{ value: 'public, max-age=10' }] },
      body,
    };

    const answer = originResultToHttp(result, Buffer.alloc(0));

    expect(answer.status).toBe(404);
    expect(answer.body.toString('utf8')).toBe(body);
    expect(answer.headers['cache-control']).toBe('public, max-age=10');
  });

  it('passes the origin body through when the result has none', () => {
    const origin = Buffer.from([1, 2, 3]);

    const answer = originResultToHttp({ status: '200', headers: jpegHeaders }, origin);

    expect(answer.body).toBe(origin);
    expect(answer.headers['content-type']).toBe('image/jpeg');
  });

  it('rejects a generated response over the Lambda@Edge size limit', () => {
    const body = Buffer.alloc((EDGE_GENERATED_RESPONSE_LIMIT_BYTES * 3) / 4 + 3).toString('base64');
    const result = { status: '200', headers: jpegHeaders, body, bodyEncoding: 'base64' as const };

    expect(() => originResultToHttp(result, Buffer.alloc(0))).toThrow(/over the Lambda@Edge limit of 1048576/);
  });

  it('rejects a status outside 100-599', () => {
    expect(() => originResultToHttp({ status: '99', headers: {} }, Buffer.alloc(0))).toThrow(/got "99"/);
  });
});
