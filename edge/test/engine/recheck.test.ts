import { describe, expect, it } from 'vitest';
import { VetrinaError } from '../../../sdk/ts/src/errors.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { BudgetExceeded } from '../../src/engine/failures.js';
import { probe, render, renderMany } from '../../src/engine/index.js';
import { explainFailure } from '../../src/engine/recheck.js';
import { boxed, fixture, inside } from './helpers.js';

/** The code of each settled promise, or "ok". */
async function outcomes(promises: Promise<unknown>[]): Promise<string[]> {
  const settled = await Promise.allSettled(promises);
  return settled.map((s) => (s.status === 'fulfilled' ? 'ok' : (s.reason as VetrinaError).code));
}

describe('failure classification under concurrency', () => {
  it('says ORIGINAL_CORRUPT for 8 truncated JPEGs rendered among 8 valid ones, twice over', async () => {
    const truncated = fixture('truncated.jpg');
    const valid = fixture('base.jpg');
    const round = () =>
      Promise.all([
        outcomes(Array.from({ length: 8 }, () => render(truncated, inside(64), DEFAULT_CONFIG))),
        outcomes(Array.from({ length: 8 }, () => render(valid, inside(64), DEFAULT_CONFIG))),
      ]);

    const rounds = [await round(), await round()];

    for (const [bad, good] of rounds) {
      expect(bad).toEqual(Array(8).fill('ORIGINAL_CORRUPT'));
      expect(good).toEqual(Array(8).fill('ok'));
    }
  });

  it('says ORIGINAL_CORRUPT with status 422 for renderMany of a truncated JPEG among valid ones', async () => {
    const eager = [inside(320), boxed('cover', 160, [4, 3])];
    const calls = [
      ...Array.from({ length: 4 }, () => renderMany(fixture('truncated.jpg'), eager, DEFAULT_CONFIG)),
      ...Array.from({ length: 4 }, () => renderMany(fixture('base.jpg'), eager, DEFAULT_CONFIG)),
    ];

    const settled = await Promise.allSettled(calls);

    const errors = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as VetrinaError] : []));
    expect(errors.map((e) => [e.code, e.status])).toEqual(Array(4).fill(['ORIGINAL_CORRUPT', 422]));
    expect(settled.slice(4).map((s) => s.status)).toEqual(Array(4).fill('fulfilled'));
  });
});

describe('explainFailure', () => {
  it('turns an "Unknown error" on a truncated JPEG into ORIGINAL_CORRUPT', async () => {
    const input = fixture('truncated.jpg');
    const source = await probe(input, DEFAULT_CONFIG);

    const error = await explainFailure(new Error('Unknown error'), input, source, DEFAULT_CONFIG);

    expect(error.code).toBe('ORIGINAL_CORRUPT');
    expect(error.status).toBe(422);
    expect(error.message).toBe('original: truncated/corrupt jpeg data (decodes only when errors are ignored)');
  });

  it('keeps RENDER_FAILED for an "Unknown error" on a sound original, with the error as cause', async () => {
    const input = fixture('base.jpg');
    const source = await probe(input, DEFAULT_CONFIG);
    const unknown = new Error('Unknown error');

    const error = await explainFailure(unknown, input, source, DEFAULT_CONFIG);

    expect(error.code).toBe('RENDER_FAILED');
    expect(error.message).toBe('render: Unknown error');
    expect(error.cause).toBe(unknown);
  });

  it('does not recheck a timeout: a truncated original that timed out is still RENDER_FAILED "timed out"', async () => {
    const input = fixture('truncated.jpg');
    const source = await probe(input, DEFAULT_CONFIG);

    const error = await explainFailure(new BudgetExceeded(5), input, source, DEFAULT_CONFIG);

    expect(error.code).toBe('RENDER_FAILED');
    expect(error.message).toContain('timed out');
  });

  it('passes a catalogue error through unchanged', async () => {
    const input = fixture('base.jpg');
    const source = await probe(input, DEFAULT_CONFIG);
    const refused = new VetrinaError('ORIGINAL_TOO_LARGE', 'original: over the pixel limit');

    const error = await explainFailure(refused, input, source, DEFAULT_CONFIG);

    expect(error).toBe(refused);
  });
});
