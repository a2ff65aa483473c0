import { describe, expect, it } from 'vitest';
import { VetrinaError } from '../../../sdk/ts/src/errors.js';
import { parseQuery } from '../../src/url/query.js';

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof VetrinaError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('parseQuery', () => {
  it('returns nothing for an empty query', () => {
    const parts = parseQuery('');

    expect(parts).toEqual({});
  });

  it('reads v and s in that order', () => {
    const parts = parseQuery('v=1733318400&s=k1.abc');

    expect(parts).toEqual({ version: '1733318400', signature: 'k1.abc' });
  });

  it('skips CloudFront signed-URL parameters wherever they are', () => {
    const parts = parseQuery('Expires=1&v=2&Policy=p&s=k1.x&Signature=a~b&Key-Pair-Id=K');

    expect(parts).toEqual({ version: '2', signature: 'k1.x' });
  });

  it.each([
    ['v=1&v=1', 'UNKNOWN_QUERY'],
    ['s=k1.a&s=k1.a', 'UNKNOWN_QUERY'],
    ['s=k1.a&v=1', 'UNKNOWN_QUERY'],
    ['V=1', 'UNKNOWN_QUERY'],
    ['expires=1', 'UNKNOWN_QUERY'],
    ['v=1&', 'UNKNOWN_QUERY'],
    ['v', 'BAD_VERSION'],
    ['v=a/b', 'BAD_VERSION'],
  ])('rejects %j with %s', (query, code) => {
    const found = codeOf(() => parseQuery(query));

    expect(found).toBe(code);
  });

  it('names the unknown parameter in the message', () => {
    const run = () => parseQuery('width=640');

    expect(run).toThrow('query "width": expected only v and s');
  });
});
