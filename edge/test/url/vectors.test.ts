import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VetrinaError } from '../../../sdk/ts/src/errors.js';
import { type EdgeConfigOverrides, resolveConfig } from '../../src/config.js';
import { parseRequest } from '../../src/url/parse.js';
import type { RequestInput } from '../../src/url/types.js';

interface ParserCase {
  name: string;
  request: RequestInput;
  config?: EdgeConfigOverrides;
  expect: Record<string, unknown> & { error?: string; status?: number };
}

const file = JSON.parse(readFileSync(new URL('../../../sdk/vectors/parser.json', import.meta.url), 'utf8')) as {
  config: EdgeConfigOverrides;
  cases: ParserCase[];
};

describe('parser.json conformance vectors', () => {
  it('holds at least 60 uniquely named cases', () => {
    const names = new Set(file.cases.map((c) => c.name));

    expect(file.cases.length).toBeGreaterThanOrEqual(60);
    expect(names.size).toBe(file.cases.length);
  });

  it.each(file.cases.map((c) => [c.name, c] as const))('%s', (_name, vector) => {
    // A case's own config replaces the file's (sdk/vectors/README.md), it is not merged.
    const config = resolveConfig(vector.config ?? file.config);

    const run = () => parseRequest(vector.request, config);

    if (vector.expect.error !== undefined) {
      expect(run).toThrow(VetrinaError);
      const error = captureError(run);
      expect({ error: error.code, status: error.status }).toEqual(vector.expect);
    } else {
      expect(JSON.parse(JSON.stringify(run()))).toEqual(vector.expect);
    }
  });
});

function captureError(run: () => unknown): VetrinaError {
  try {
    run();
  } catch (error) {
    if (error instanceof VetrinaError) return error;
    throw error;
  }
  throw new Error('expected a VetrinaError');
}
