import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../src/error-catalogue.js';
import { ERROR_STATUS, VetrinaError } from '../src/errors.js';

const SPEC = readFileSync(join(import.meta.dirname, '../../SPEC.md'), 'utf8');

/** Rows of the §11 table: code → status. */
function specCatalogue(): Array<[string, number]> {
  const section = SPEC.slice(SPEC.indexOf('## 11. Error catalogue'), SPEC.indexOf('## 12.'));
  return [...section.matchAll(/^\| `([A-Z_]+)`\s*\| (\d{3})\s*\|/gm)].map((m) => [m[1] as string, Number(m[2])]);
}

describe('error catalogue', () => {
  it('lists every code of SPEC.md §11 once, with the same status, and no other', () => {
    const rows = specCatalogue();

    expect(rows.length).toBe(22);
    expect(new Set(rows.map(([code]) => code)).size).toBe(rows.length);
    expect(Object.entries(ERROR_STATUS)).toEqual(rows);
  });

  it('documents a cause for every code and agrees with the status table', () => {
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      const entry = ERROR_CATALOGUE[code as keyof typeof ERROR_STATUS];

      expect(entry.status).toBe(status);
      expect(entry.cause.length).toBeGreaterThan(10);
    }
  });

  it('gives a VetrinaError the status of its code and the JSON body of SPEC.md §10', () => {
    const error = new VetrinaError('KEY_TOO_LONG', 'key: expected at most 960 bytes of UTF-8, got 961');

    expect(error).toBeInstanceOf(VetrinaError);
    expect(error.status).toBe(414);
    expect(JSON.stringify(error.toJSON())).toBe(
      '{"error":{"code":"KEY_TOO_LONG","status":414,"message":"key: expected at most 960 bytes of UTF-8, got 961"}}',
    );
  });
});
