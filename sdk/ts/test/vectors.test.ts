import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cloudFrontSign,
  createUrlBuilder,
  encodeKey,
  SdkError,
  signingMessage,
  signMessage,
  sizes,
  type UrlBuilderConfig,
  verifySignature,
} from '../src/index.js';

const VECTORS = join(import.meta.dirname, '../../vectors');

interface VectorFile<C> {
  description: string;
  config: unknown;
  cases: Array<C & { name: string; config?: unknown; expect: Record<string, unknown> }>;
}

function load<C>(file: string): VectorFile<C> {
  return JSON.parse(readFileSync(join(VECTORS, file), 'utf8')) as VectorFile<C>;
}

/** Runs `act`, then checks the expected output or the expected error code and argument. */
function check(expected: Record<string, unknown>, act: () => Record<string, unknown>): void {
  if (typeof expected.error === 'string') {
    let thrown: unknown;
    try {
      act();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SdkError);
    const error = thrown as SdkError;
    expect({ error: error.code, argument: error.argument }).toEqual(expected);
    expect(error.message).toContain(expected.argument as string);
    return;
  }
  expect(act()).toEqual(expected);
}

describe('keys.json', () => {
  const file = load<{ key: string }>('keys.json');

  it.each(file.cases)('$name', ({ key, expect: expected, config }) => {
    const builder = () => createUrlBuilder((config ?? file.config) as UrlBuilderConfig);

    check(expected, () => {
      const url = builder().url(key, { width: 640 });
      return { encoded: encodeKey(key), url };
    });
  });
});

describe('builder.json', () => {
  const file = load<{ key: string; options: never }>('builder.json');

  it.each(file.cases)('$name', ({ key, options, expect: expected, config }) => {
    check(expected, () => ({ url: createUrlBuilder((config ?? file.config) as UrlBuilderConfig).url(key, options) }));
  });
});

describe('html.json', () => {
  type HtmlCase = { call: 'srcset' | 'sizes' | 'img' | 'picture'; key: string; options: never } & {
    entries: [string, string][];
    fallback: string;
  };
  const file = load<HtmlCase>('html.json');

  it.each(file.cases)('$name', (c) => {
    check(c.expect, () => {
      if (c.call === 'sizes') return { output: sizes(c.entries, c.fallback) };
      const builder = createUrlBuilder((c.config ?? file.config) as UrlBuilderConfig);
      return { output: builder[c.call](c.key, c.options) };
    });
  });
});

describe('signing.json', () => {
  type SigningCase = { op: 'sign' | 'verify'; input: Record<string, string> };
  const file = load<SigningCase>('signing.json');
  const ring = (file.config as { keys: Record<string, string> }).keys;

  it.each(file.cases)('$name', ({ op, input, expect: expected }) => {
    if (op === 'sign') {
      const message = signingMessage(input.spec as string, encodeKey(input.key as string), input.version);

      const signature = signMessage(message, input.keyId as string, ring[input.keyId as string] as string);

      expect({ message, signature }).toEqual(expected);
    } else {
      const valid = verifySignature(input.message as string, input.signature as string, ring);

      expect({ valid }).toEqual(expected);
    }
  });
});

describe('cloudfront.json', () => {
  type CloudFrontCase = { url: string; options: { expires: number; notBefore?: number; ipAddress?: string } };
  const file = load<CloudFrontCase>('cloudfront.json');
  const config = file.config as { keyPairId: string; privateKeyFile: string };
  const privateKey = readFileSync(join(VECTORS, config.privateKeyFile), 'utf8');

  it.each(file.cases)('$name', ({ url, options, expect: expected }) => {
    const { policy: _policy, ...expectedUrl } = expected;

    check(expected.error ? expected : expectedUrl, () => ({
      url: cloudFrontSign(url, { keyPairId: config.keyPairId, privateKey, ...options }),
    }));
  });
});
