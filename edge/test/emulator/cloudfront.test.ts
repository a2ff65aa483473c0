import { describe, expect, it } from 'vitest';
import { serializeQuery, toOriginResponseEvent, toViewerRequestEvent } from '../../src/emulator/cloudfront.js';

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
