import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createUrlBuilder,
  DEFAULT_PRESETS,
  encodeKey,
  formatSpec,
  parseSpec,
  SdkError,
  signingMessage,
  verifySignature,
} from '../src/index.js';

const ROOT = join(import.meta.dirname, '../../..');
const SIGNING = { keyId: 'k1', secret: 'vetrina-test-secret-1' };

function thrown(act: () => unknown): SdkError {
  try {
    act();
  } catch (error) {
    if (error instanceof SdkError) return error;
    throw error;
  }
  throw new Error('expected an SdkError, nothing was thrown');
}

describe('createUrlBuilder', () => {
  it('runs the README example', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const images = createUrlBuilder({ baseUrl: 'https://img.example.com' });

    const url = images.url('fahrzeuge/4711/front.jpg', { preset: 'card' });

    expect(url).toBe('https://img.example.com/card/fahrzeuge/4711/front.jpg');
    expect(readme).toContain(`images.url('fahrzeuge/4711/front.jpg', { preset: 'card' });\n// '${url}'`);
  });

  it('runs the README signing example with the emulator development key', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const signed = createUrlBuilder({
      baseUrl: 'http://127.0.0.1:8080',
      signing: { keyId: 'dev', secret: 'vetrina-dev-secret' },
    });

    const url = signed.url('fahrzeuge/4711/front.jpg', { width: 640, fit: 'cover', aspect: [1, 1], quality: 60 });

    expect(url).toMatch(
      /^http:\/\/127\.0\.0\.1:8080\/w640,cover-1x1,q60\/fahrzeuge\/4711\/front\.jpg\?s=dev\.[A-Za-z0-9_-]{43}$/,
    );
    expect(readme).toContain(`// '${url.slice(0, url.indexOf('?s=dev.') + 7)}…'`);
  });

  it('runs the doc comment example of url()', () => {
    const builder = createUrlBuilder({ baseUrl: 'https://img.example.com' });

    const url = builder.url('fahrzeuge/E+P-003_D.jpeg', { width: 700 });

    expect(url).toBe('https://img.example.com/w800/fahrzeuge/E%2BP-003_D.jpeg');
  });

  it('names the argument, the expected range and the value received for a width above the ladder', () => {
    const builder = createUrlBuilder({ baseUrl: 'https://img.example.com' });

    const error = thrown(() => builder.url('a.jpg', { width: 2561 }));

    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe('width must be 1 to 2560 px, got 2561');
  });

  it('quotes a wrong string value in the message', () => {
    const builder = createUrlBuilder({ baseUrl: 'https://img.example.com' });

    const error = thrown(() => builder.url('a.jpg', { width: 640, format: 'gif' as never }));

    expect(error.message).toBe('format must be jpeg, png, webp or avif, got "gif"');
  });

  it('never puts the secret into an error message', () => {
    const secret = 'do-not-print-this-secret';

    const error = thrown(() =>
      createUrlBuilder({ baseUrl: 'https://img.example.com', signing: { keyId: 'K1', secret } }),
    );

    expect(error.argument).toBe('signing.keyId');
    expect(error.message).not.toContain(secret);
  });

  it('refuses a key holding a lone UTF-16 surrogate, which has no UTF-8 form', () => {
    const builder = createUrlBuilder({ baseUrl: 'https://img.example.com' });

    const error = thrown(() => builder.url('a\ud800b.jpg', { width: 640 }));

    expect([error.code, error.argument]).toEqual(['BAD_KEY', 'key']);
  });

  it('returns a frozen builder and config', () => {
    const builder = createUrlBuilder({ baseUrl: 'https://img.example.com/', signing: SIGNING });

    expect(Object.isFrozen(builder)).toBe(true);
    expect(Object.isFrozen(builder.config)).toBe(true);
    expect(builder.config.baseUrl).toBe('https://img.example.com');
  });

  it('emits signatures the edge verifier accepts with a two-key ring', () => {
    const builder = createUrlBuilder({ baseUrl: 'https://img.example.com', signing: SIGNING });
    const ring = { k1: SIGNING.secret, k2: 'vetrina-test-secret-2' };

    const url = new URL(builder.url('fahrzeuge/some-name (1).png', { width: 700, quality: 60, version: 17 }));

    const [, spec, ...key] = url.pathname.split('/');
    const message = signingMessage(spec as string, key.join('/'), url.searchParams.get('v') ?? undefined);
    expect(message).toBe('w800,q60/fahrzeuge/some-name%20%281%29.png?v=17');
    expect(verifySignature(message, url.searchParams.get('s') as string, ring)).toBe(true);
  });
});

describe('conformance with the edge primitives', () => {
  const keys = JSON.parse(readFileSync(join(ROOT, 'sdk/vectors/keys.json'), 'utf8')) as {
    cases: Array<{ key: string; expect: { encoded?: string } }>;
  };
  const builder = JSON.parse(readFileSync(join(ROOT, 'sdk/vectors/builder.json'), 'utf8')) as {
    cases: Array<{ name: string; config?: object; expect: { url?: string } }>;
  };

  it('decodes every encoded vector key back to the key (SPEC §2 round trip)', () => {
    const encoded = keys.cases.filter((c) => c.expect.encoded !== undefined);

    const decoded = encoded.map((c) => decodeURIComponent(encodeKey(c.key)));

    expect(encoded.length).toBeGreaterThan(30);
    expect(decoded).toEqual(encoded.map((c) => c.key));
  });

  it('writes only specs that parseSpec accepts as canonical', () => {
    const urls = builder.cases.filter((c) => c.expect.url !== undefined && c.config === undefined);

    const specs = urls.map((c) => new URL(c.expect.url as string).pathname.split('/')[1] as string);

    expect(specs.length).toBeGreaterThan(40);
    for (const spec of specs) expect(formatSpec(parseSpec(spec, DEFAULT_PRESETS, 2560))).toBe(spec);
  });
});
