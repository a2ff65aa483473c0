import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  EDGE_GENERATED_RESPONSE_LIMIT_BYTES,
  InvalidEdgeResultError,
  originResultToHttp,
} from '../../src/emulator/edge-result.js';
import { redBlueJpeg } from './helpers.js';

const jpegHeaders = { 'content-type': [{ key: 'Content-Type', value: 'image/jpeg' }] };

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
