import { describe, expect, it } from 'vitest';
import { VetrinaError } from '../../../sdk/ts/src/errors.js';
import { encodeKey, keyBytes } from '../../../sdk/ts/src/key-encoding.js';
import { decodeKey, utf8Length } from '../../src/url/key-decoding.js';

function failure(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof VetrinaError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a VetrinaError');
}

describe('decodeKey', () => {
  it.each([
    'fahrzeuge/E+P-003_D.jpeg',
    'fahrzeuge/some-name (1).png',
    'fahrzeuge/100%_neu.jpg',
    'fahrzeuge/#1 front.jpg',
    'fahrzeuge/Kühler?.jpg',
    '/a//b.jpg',
    'fahrzeuge/cafe\u0300.jpg',
    'fahrzeuge/\u{1F697} a\\b.jpg',
  ])('round-trips %j through encodeKey', (key) => {
    const decoded = decodeKey(encodeKey(key));

    expect(decoded).toBe(key);
  });

  it('names the malformed escape in the message', () => {
    const error = failure(() => decodeKey('fahrzeuge/%zz.jpg'));

    expect(error).toEqual({ code: 'BAD_ENCODING', message: 'key: expected %XX, got "%zz"' });
  });

  it('names the control character in the message', () => {
    const error = failure(() => decodeKey('a%09b.jpg'));

    expect(error).toEqual({ code: 'BAD_KEY', message: 'key: control character U+0009 is not allowed' });
  });

  it('rejects an unpaired surrogate that reached the path raw', () => {
    const error = failure(() => decodeKey('a\ud800.jpg'));

    expect(error.code).toBe('BAD_ENCODING');
  });

  it('reports the byte count of a key that is too long', () => {
    const error = failure(() => decodeKey('%E2%82%AC'.repeat(321)));

    expect(error).toEqual({ code: 'KEY_TOO_LONG', message: 'key: expected at most 960 bytes of UTF-8, got 963' });
  });
});

describe('utf8Length', () => {
  it.each(['', 'abc', 'ü', '€', '\u{1F697}', 'aü€\u{1F697}'])('counts %j like TextEncoder', (text) => {
    const length = utf8Length(text);

    expect(length).toBe(keyBytes(text));
  });
});
