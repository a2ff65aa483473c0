import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { VetrinaError } from '../../../sdk/ts/src/errors.js';
import { DEFAULT_CONFIG, resolveConfig } from '../../src/config.js';
import { probe } from '../../src/engine/index.js';
import { fixture, original } from './helpers.js';

async function refusal(promise: Promise<unknown>): Promise<VetrinaError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(VetrinaError);
  return error as VetrinaError;
}

describe('probe', () => {
  it('reads format, displayed size, alpha and frames from the header', async () => {
    const png = await probe(fixture('logo-alpha.png'), DEFAULT_CONFIG);
    const gif = await probe(fixture('animated.gif'), DEFAULT_CONFIG);

    expect(png).toEqual({ format: 'png', width: 64, height: 48, hasAlpha: true, pages: 1, bytes: 172 });
    expect(gif).toMatchObject({ format: 'gif', width: 32, height: 24, pages: 3 });
  });

  it('reports the size after EXIF orientation (case 1)', async () => {
    const tagged = await probe(fixture('car-o6.jpg'), DEFAULT_CONFIG);
    const sample = await probe(original('exif-orientation-8-waterfall.jpg'), DEFAULT_CONFIG);

    expect([tagged.width, tagged.height]).toEqual([48, 64]);
    expect([sample.width, sample.height]).toEqual([1800, 1200]);
  });

  it('refuses a zero-byte original as ORIGINAL_EMPTY "empty object" with status 415 (case 10)', async () => {
    const error = await refusal(probe(Buffer.alloc(0), DEFAULT_CONFIG));

    expect(error.code).toBe('ORIGINAL_EMPTY');
    expect(error.status).toBe(415);
    expect(error.message).toContain('empty object');
  });

  it('refuses bytes with no image signature as ORIGINAL_UNSUPPORTED "not an image"', async () => {
    const error = await refusal(probe(Buffer.from('<html>not a picture</html>'), DEFAULT_CONFIG));

    expect(error.code).toBe('ORIGINAL_UNSUPPORTED');
    expect(error.message).toContain('not an image');
  });

  it('refuses HEVC-coded HEIC as ORIGINAL_UNSUPPORTED "unsupported: HEIC/HEVC" (case 12)', async () => {
    const error = await refusal(probe(fixture('car.heic'), DEFAULT_CONFIG));

    expect(error.code).toBe('ORIGINAL_UNSUPPORTED');
    expect(error.status).toBe(415);
    expect(error.message).toContain('unsupported: HEIC/HEVC');
  });

  it('refuses an original over maxInputBytes as ORIGINAL_TOO_LARGE before reading it', async () => {
    const config = resolveConfig({ limits: { maxInputBytes: 100 } });

    const error = await refusal(probe(fixture('base.jpg'), config));

    expect(error.code).toBe('ORIGINAL_TOO_LARGE');
    expect(error.message).toBe('original: 309 bytes, expected at most 100 bytes');
  });

  it('refuses a JPEG whose header is cut short as ORIGINAL_CORRUPT "truncated/corrupt"', async () => {
    const error = await refusal(probe(fixture('base.jpg').subarray(0, 20), DEFAULT_CONFIG));

    expect(error.code).toBe('ORIGINAL_CORRUPT');
    expect(error.status).toBe(422);
    expect(error.message).toContain('truncated/corrupt');
  });

  it('refuses a 20000×20000 PNG from its header as ORIGINAL_TOO_LARGE "pixel limit" (case 13)', async () => {
    const started = performance.now();

    const error = await refusal(probe(fixture('bomb.png'), DEFAULT_CONFIG));

    expect(error.code).toBe('ORIGINAL_TOO_LARGE');
    expect(error.message).toBe('original: 20000×20000 px is over the pixel limit of 100000000 pixels');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('stays under 200 MB of RSS while refusing the bomb in probe and render (case 13)', () => {
    const output = execFileSync(
      'node',
      ['--import', 'tsx', new URL('rss-worker.ts', import.meta.url).pathname, 'bomb'],
      {
        encoding: 'utf8',
      },
    );

    const result = JSON.parse(output);

    expect(result.outcome).toBe('ORIGINAL_TOO_LARGE');
    expect(result.renderOutcome).toBe('ORIGINAL_TOO_LARGE');
    expect(result.peakRss).toBeLessThan(200 * 1024 * 1024);
    expect(result.ms).toBeLessThan(2000);
  });
});
