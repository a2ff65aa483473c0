import { describe, expect, it } from 'vitest';
import { VetrinaError } from '../../../sdk/ts/src/errors.js';
import { splitRenditionKey } from '../../../sdk/ts/src/rendition.js';
import { signMessage } from '../../../sdk/ts/src/signing.js';
import { resolveConfig } from '../../src/config.js';
import { parseRequest } from '../../src/url/parse.js';

const KEY = 'fahrzeuge/4711/front.jpg';
const SECRET_1 = 'vetrina-test-secret-1';
const SECRET_2 = 'vetrina-test-secret-2';

function get(path: string, query = '', headers: Record<string, string> = {}) {
  return { method: 'GET', path, query, headers };
}

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof VetrinaError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('parseRequest signatures with a rotating key ring', () => {
  const signedWith = (keyId: string, secret: string) => `s=${signMessage(`w640,q60/${KEY}`, keyId, secret)}`;

  it('accepts both keys while the ring holds two', () => {
    const config = resolveConfig({ signing: { keys: { k1: SECRET_1, k2: SECRET_2 } } });

    const byOld = parseRequest(get(`/w640,q60/${KEY}`, signedWith('k1', SECRET_1)), config);
    const byNew = parseRequest(get(`/w640,q60/${KEY}`, signedWith('k2', SECRET_2)), config);

    expect(byOld.canonicalUri).toBe(`/${KEY}/_r/w640-q60.jpg`);
    expect(byNew.canonicalUri).toBe(`/${KEY}/_r/w640-q60.jpg`);
  });

  it('rejects the old key once it is removed and keeps serving the new one', () => {
    const config = resolveConfig({ signing: { keys: { k2: SECRET_2 } } });

    const byOld = codeOf(() => parseRequest(get(`/w640,q60/${KEY}`, signedWith('k1', SECRET_1)), config));
    const byNew = parseRequest(get(`/w640,q60/${KEY}`, signedWith('k2', SECRET_2)), config);

    expect(byOld).toBe('BAD_SIGNATURE');
    expect(byNew.params.quality).toBe(60);
  });

  it('rejects a mac made with the other key under a valid key id', () => {
    const config = resolveConfig({ signing: { keys: { k1: SECRET_1, k2: SECRET_2 } } });

    const code = codeOf(() => parseRequest(get(`/w640,q60/${KEY}`, signedWith('k2', SECRET_1)), config));

    expect(code).toBe('BAD_SIGNATURE');
  });

  it('names the signed message when the signature is missing', () => {
    const config = resolveConfig({});

    const run = () => parseRequest(get(`/w640,q60/${KEY}`, 'v=17'), config);

    expect(run).toThrow(`query s: expected a signature over "w640,q60/${KEY}?v=17"`);
  });
});

describe('parseRequest results', () => {
  const config = resolveConfig({});

  it.each([`/thumb/${KEY}`, `/large,x1.5,m/${KEY}`, `/w640,png/${KEY}`, '/w700,webp/fahrzeuge/a%20b+c.jpg'])(
    'returns params that the rendition key reads back exactly: %s',
    (path) => {
      const parsed = parseRequest(get(path, '', { accept: 'image/avif' }), config);

      expect(splitRenditionKey(parsed.renditionKey)).toEqual({ sourceKey: parsed.sourceKey, params: parsed.params });
    },
  );

  it('gives one canonical URI for w700 and w800 whatever the Accept string', () => {
    const accepts = ['image/webp,*/*', 'image/webp,image/apng,image/*,*/*;q=0.8', 'x/y,image/webp,a/b;q=0.3'];

    const uris = new Set(
      ['w700', 'w800'].flatMap((size) =>
        accepts.map((accept) => parseRequest(get(`/${size}/${KEY}`, '', { accept }), config).canonicalUri),
      ),
    );

    expect([...uris]).toEqual([`/${KEY}/_r/w800-q78.webp`]);
  });

  it('snaps to a configured ladder and caps density at its top step', () => {
    const small = resolveConfig({ widthLadder: [200, 400, 1000] });

    const snapped = parseRequest(get(`/w300/${KEY}`), small);
    const capped = parseRequest(get(`/w1000,x3/${KEY}`), small);
    const tooWide = codeOf(() => parseRequest(get(`/w1001/${KEY}`), small));

    expect(snapped.params.width).toBe(400);
    expect(capped.params.width).toBe(1000);
    expect(tooWide).toBe('WIDTH_OUT_OF_RANGE');
  });

  it('rejects a lower-case method name', () => {
    const code = codeOf(() => parseRequest({ ...get(`/w640/${KEY}`), method: 'get' }, config));

    expect(code).toBe('METHOD_NOT_ALLOWED');
  });

  it('rejects a path that does not start with a slash', () => {
    const code = codeOf(() => parseRequest(get(`w640/${KEY}`), config));

    expect(code).toBe('BAD_PATH');
  });
});
