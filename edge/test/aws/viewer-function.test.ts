import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signingMessage, signMessage } from '../../../sdk/ts/src/signing.js';
import { resolveConfig } from '../../src/config.js';
import { type CfEvent, createViewerRequestHandler } from '../../src/handlers/viewer-request.js';
import {
  CLOUDFRONT_IMPORT,
  type CloudFrontHandler,
  type FakeStore,
  loadCloudFrontFunction,
} from './cloudfront-runtime.js';
import { parseEs5, unsupportedSyntax } from './es-syntax.js';

const root = resolve(import.meta.dirname, '../../..');
const scratch = mkdtempSync(join(tmpdir(), 'vetrina-viewer-function-'));
const SECRET_1 = 'vetrina-test-secret-1';
const SECRET_2 = 'vetrina-test-secret-2-rotated';
// The deployment file carries a key: the build must leave it out of the function.
const edge = { signing: { keys: { k1: SECRET_1 } } };
const RING = { k1: SECRET_1, k2: SECRET_2 };
const STORE: FakeStore = { 'signing-keys': JSON.stringify(RING) };
// CloudFront Functions' code limit; the build must leave 5 % of it free.
const LIMIT = 10 * 1024;
const BUDGET = 9700;

let code: string;
let buildOutput: string;

beforeAll(() => {
  writeFileSync(join(scratch, 'deployment.json'), JSON.stringify({ edge }));
  const build = spawnSync(
    'node',
    [
      'scripts/build-bundles.mjs',
      '--only',
      'viewer-request',
      '--out',
      join(scratch, 'out'),
      '--edge-config',
      join(scratch, 'deployment.json'),
    ],
    { cwd: root, encoding: 'utf8' },
  );
  buildOutput = build.stdout + build.stderr;
  code = readFileSync(join(scratch, 'out/viewer-request/index.js'), 'utf8');
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Request {
  method?: string;
  uri: string;
  /** The raw query as received; undefined for a URL without `?`. */
  query?: string;
  headers?: Record<string, string>;
}

/** A viewer-request event as CloudFront Functions pass it, with `rawQueryString()`. */
function cfEvent({ method = 'GET', uri, query, headers = {} }: Request): CfEvent {
  const querystring: Record<string, { value: string }> = {};
  for (const pair of query ? query.split('&') : []) {
    const [name = '', value = ''] = pair.split('=');
    querystring[name] = { value };
  }
  return {
    version: '1.0',
    context: { eventType: 'viewer-request', requestId: 'req-1', distributionId: 'E1' },
    viewer: { ip: '203.0.113.9' },
    request: {
      method,
      uri,
      querystring,
      headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, { value }])),
      cookies: {},
      rawQueryString: () => query,
    },
  };
}

/** The JSON-visible result (functions and the vm realm's prototypes dropped). */
function plain(result: unknown): unknown {
  return JSON.parse(JSON.stringify(result));
}

/** The rewritten URI, or the error code of a generated response. */
function outcome(result: unknown): string {
  const answer = result as { uri?: string; statusCode?: number; body?: string };
  return answer.statusCode === undefined ? (answer.uri as string) : JSON.parse(answer.body as string).error.code;
}

function signed(spec: string, encodedKey: string, keyId: 'k1' | 'k2', version?: string): string {
  const signature = signMessage(signingMessage(spec, encodedKey, version), keyId, RING[keyId]);
  return version === undefined ? `s=${signature}` : `v=${version}&s=${signature}`;
}

const DESKTOP = { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0 Safari/537.36' };
const PHONE = { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) Mobile/15E148 Safari/604.1' };
const DEVICES: ReadonlyArray<[string, Record<string, string>, 'desktop' | 'mobile']> = [
  ['a desktop browser', DESKTOP, 'desktop'],
  ['a phone', PHONE, 'mobile'],
  ['CloudFront-Is-Mobile-Viewer: true', { 'cloudfront-is-mobile-viewer': 'true', ...DESKTOP }, 'mobile'],
  ['Save-Data: on', { 'save-data': ' On ', ...DESKTOP }, 'mobile'],
  ['Sec-CH-UA-Mobile: ?0 on a phone', { 'sec-ch-ua-mobile': '?0', ...PHONE }, 'desktop'],
  ['no header at all', {}, 'desktop'],
];
const PRESET_DESCRIPTORS = {
  thumb: { desktop: 'w320-cover-4x3-q80.jpg', mobile: 'w320-cover-4x3-q70.jpg' },
  card: { desktop: 'w800-cover-4x3-q80.jpg', mobile: 'w480-cover-4x3-q70.jpg' },
  large: { desktop: 'w1600-q80.jpg', mobile: 'w800-q70.jpg' },
  auto: { desktop: 'w1280-q80.jpg', mobile: 'w640-q70.jpg' },
};
// CASES 26: A and B → avif; C, D and H → webp; E, F and G → the original format.
const ACCEPT: ReadonlyArray<[string, string, string]> = [
  ['A', 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8', 'w640-q55.avif'],
  ['B', 'image/avif,image/webp,*/*', 'w640-q55.avif'],
  ['C', 'image/webp,*/*', 'w640-q78.webp'],
  ['D', 'image/webp,image/apng,image/*,*/*;q=0.8', 'w640-q78.webp'],
  ['E', 'image/png,image/svg+xml,image/*;q=0.8,video/*;q=0.8,*/*;q=0.5', 'w640-q80.jpg'],
  ['F', '*/*', 'w640-q80.jpg'],
  ['G', 'image/webp;q=0,*/*', 'w640-q80.jpg'],
  ['H', 'x/y,image/webp,a/b;q=0.3', 'w640-q78.webp'],
];
const EMOJI = '%F0%9F%9A%97';
const KUEHLER = 'fahrzeuge/K%C3%BChler.jpg';

/** [name, request, rewritten URI or error code]. */
const TABLE: ReadonlyArray<[string, Request, string]> = [
  ...Object.entries(PRESET_DESCRIPTORS).flatMap(([preset, descriptors]) =>
    DEVICES.map(([device, headers, deviceClass]): [string, Request, string] => [
      `${preset} for ${device}`,
      { uri: `/${preset}/autos/a.jpg`, headers },
      `/autos/a.jpg/_r/${descriptors[deviceClass]}`,
    ]),
  ),
  [
    'the mobile hint on a desktop',
    { uri: '/card,m/autos/a.jpg', headers: DESKTOP },
    '/autos/a.jpg/_r/w480-cover-4x3-q70.jpg',
  ],
  ['an explicit width on a phone (never adaptive)', { uri: '/w700/a.jpg', headers: PHONE }, '/a.jpg/_r/w800-q80.jpg'],
  ['a density above the ladder', { uri: '/w2000,x2/a.jpg' }, '/a.jpg/_r/w2560-q80.jpg'],
  ['x1.5 of a preset', { uri: '/thumb,x1.5/a.jpg' }, '/a.jpg/_r/w480-cover-4x3-q80.jpg'],
  ['a named PNG', { uri: '/w640,png/a.jpg', headers: { accept: 'image/avif' } }, '/a.jpg/_r/w640.png'],
  ...ACCEPT.map(([letter, accept, descriptor]): [string, Request, string] => [
    `Accept ${letter}`,
    { uri: '/w640/fahrzeuge/a.jpg', headers: { accept } },
    `/fahrzeuge/a.jpg/_r/${descriptor}`,
  ]),
  ['HEAD', { method: 'HEAD', uri: '/w640/a.jpg' }, '/a.jpg/_r/w640-q80.jpg'],
  ['a version token', { uri: '/w640/a.jpg', query: 'v=1733318400' }, '/a.jpg/_r/w640-q80.jpg'],
  [
    'CloudFront signed-URL parameters',
    { uri: '/w640/a.jpg', query: 'Expires=1&v=7&Key-Pair-Id=K' },
    '/a.jpg/_r/w640-q80.jpg',
  ],
  ['an empty query after "?"', { uri: '/w640/a.jpg', query: '' }, '/a.jpg/_r/w640-q80.jpg'],
  ['a space', { uri: '/w640/fahrzeuge/Ein%20Auto.jpg' }, '/fahrzeuge/Ein%20Auto.jpg/_r/w640-q80.jpg'],
  ['an encoded plus and space', { uri: '/w640/E%2BP%201.jpg' }, '/E%2BP%201.jpg/_r/w640-q80.jpg'],
  ['a raw plus', { uri: '/w640/E+P.jpg' }, '/E%2BP.jpg/_r/w640-q80.jpg'],
  ['%25', { uri: '/w640/100%25.jpg' }, '/100%25.jpg/_r/w640-q80.jpg'],
  ['an emoji', { uri: `/w640/${EMOJI}.jpg` }, `/${EMOJI}.jpg/_r/w640-q80.jpg`],
  ['NFD, kept apart from NFC', { uri: '/w640/Ku%CC%88hler.jpg' }, '/Ku%CC%88hler.jpg/_r/w640-q80.jpg'],
  ['lower-case escapes', { uri: '/w640/K%c3%bchler.jpg' }, '/K%C3%BChler.jpg/_r/w640-q80.jpg'],
  ["sub-delimiters !'()*", { uri: "/w640/it's(1)!*.jpg" }, '/it%27s%281%29%21%2A.jpg/_r/w640-q80.jpg'],
  ['960 bytes of emoji', { uri: `/w160/${EMOJI.repeat(240)}` }, `/${EMOJI.repeat(240)}/_r/w160-q80.jpg`],
  ['961 bytes', { uri: `/w160/${'a'.repeat(961)}` }, 'KEY_TOO_LONG'],
  ['964 bytes of emoji', { uri: `/w160/${EMOJI.repeat(241)}` }, 'KEY_TOO_LONG'],
  ['a malformed escape', { uri: '/w640/%zz.jpg' }, 'BAD_ENCODING'],
  ['invalid UTF-8', { uri: '/w640/%C3%28.jpg' }, 'BAD_ENCODING'],
  ['an encoded surrogate', { uri: '/w640/%ED%A0%80.jpg' }, 'BAD_ENCODING'],
  ['a control character', { uri: '/w640/a%01.jpg' }, 'BAD_KEY'],
  ['a ".." segment', { uri: '/w640/a/../b.jpg' }, 'BAD_KEY'],
  ['an "_r" segment', { uri: '/w640/a.jpg/_r/w640-q80.jpg' }, 'BAD_KEY'],
  ['a folder', { uri: '/w640/autos/' }, 'BAD_KEY'],
  ['POST', { method: 'POST', uri: '/w640/a.jpg' }, 'METHOD_NOT_ALLOWED'],
  ['OPTIONS', { method: 'OPTIONS', uri: '/w640/a.jpg' }, 'METHOD_NOT_ALLOWED'],
  ['no key', { uri: '/w640/' }, 'BAD_PATH'],
  ['one segment', { uri: '/w640' }, 'BAD_PATH'],
  ['an unknown size', { uri: '/huge/a.jpg' }, 'UNKNOWN_SIZE'],
  ['w2561', { uri: '/w2561/a.jpg' }, 'WIDTH_OUT_OF_RANGE'],
  ['an unknown option', { uri: '/w640,zz/a.jpg' }, 'UNKNOWN_OPTION'],
  ['a fit after a preset', { uri: '/card,cover-4x3/a.jpg' }, 'OPTION_NOT_ALLOWED'],
  ['a default option', { uri: '/w640,x1/a.jpg' }, 'NON_CANONICAL'],
  ['an unknown query parameter', { uri: '/w640/a.jpg', query: 'width=640' }, 'UNKNOWN_QUERY'],
  ['a repeated v', { uri: '/w640/a.jpg', query: 'v=1&v=2' }, 'UNKNOWN_QUERY'],
  ['a malformed v', { uri: '/w640/a.jpg', query: 'v=%41' }, 'BAD_VERSION'],
  [
    'custom options signed with k1',
    { uri: `/w640,q60/${KUEHLER}`, query: signed('w640,q60', KUEHLER, 'k1') },
    `/${KUEHLER}/_r/w640-q60.jpg`,
  ],
  [
    'custom options signed with k2 and a version',
    { uri: `/w800,cover-16x9/${KUEHLER}`, query: signed('w800,cover-16x9', KUEHLER, 'k2', '42') },
    `/${KUEHLER}/_r/w800-cover-16x9-q80.jpg`,
  ],
  [
    'a signed preset URL',
    { uri: `/card/${KUEHLER}`, query: signed('card', KUEHLER, 'k1') },
    `/${KUEHLER}/_r/w800-cover-4x3-q80.jpg`,
  ],
  ['unsigned custom options', { uri: `/w640,q60/${KUEHLER}` }, 'SIGNATURE_REQUIRED'],
  [
    'a forged mac',
    { uri: `/w640,q60/${KUEHLER}`, query: `${signed('w640,q60', KUEHLER, 'k1').slice(0, -2)}AA` },
    'BAD_SIGNATURE',
  ],
  [
    'a signature for another spec',
    { uri: `/w640,q61/${KUEHLER}`, query: signed('w640,q60', KUEHLER, 'k1') },
    'BAD_SIGNATURE',
  ],
  ['an unknown key id', { uri: `/w640,q60/${KUEHLER}`, query: 's=k9.AAAA' }, 'BAD_SIGNATURE'],
  ['a signature without a dot', { uri: `/w640,q60/${KUEHLER}`, query: 's=k1' }, 'BAD_SIGNATURE'],
  ['v after s', { uri: `/w640,q60/${KUEHLER}`, query: `${signed('w640,q60', KUEHLER, 'k1')}&v=1` }, 'UNKNOWN_QUERY'],
];

describe('viewer-request CloudFront Function: the shipped file', () => {
  it('fits the 10 KB code limit with at least 5 % to spare', () => {
    const bytes = Buffer.byteLength(code);
    process.stdout.write(`viewer-request function: ${bytes} bytes of ${LIMIT} (budget ${BUDGET})\n`);

    expect(buildOutput).toMatch(/viewer-request\s+cloudfront-function/);
    expect(bytes).toBeLessThanOrEqual(BUDGET);
  });

  it('carries no secret from the deployment file', () => {
    expect(code).not.toContain(SECRET_1);
    expect(code).not.toContain('vetrina-test-secret');
  });

  it('is ES 5.1 apart from the cloudfront import and the async handler that reads the key ring', () => {
    const bodyStart = code.indexOf('\n', CLOUDFRONT_IMPORT.length) + 1;
    const handlerStart = code.indexOf('\nasync function handler(');
    const [prelude, body, wrapper] = [
      code.slice(0, bodyStart),
      code.slice(bodyStart, handlerStart),
      code.slice(handlerStart),
    ];

    expect(prelude).toBe(`${CLOUDFRONT_IMPORT}var crypto = require('crypto'), kvs = cf.kvs(), vetrinaHandle;\n`);
    expect(() => parseEs5(body)).not.toThrow();
    expect(wrapper).toContain("await kvs.get('signing-keys', { format: 'json' })");
    expect(unsupportedSyntax(code)).toEqual([]);
  });

  it('would refuse the ES2022 constructs the old bundle shipped', () => {
    const modern = 'class A extends Error {}\nconst [a, ...b] = c;\nfor (const x of y) f(...x, { x });';

    expect(() => parseEs5(modern)).toThrow(SyntaxError);
    expect(unsupportedSyntax(modern)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^ClassDeclaration/), expect.stringMatching(/^ForOfStatement/)]),
    );
    expect(() => unsupportedSyntax('a?.b')).toThrow(SyntaxError);
    expect(unsupportedSyntax('async function handler(e) { return [1].map(async (x) => await x); }')).toHaveLength(1);
  });

  it('loads where Map, Symbol, Object.hasOwn and charCodeAt are missing and eval throws', async () => {
    const handler = loadCloudFrontFunction(code, STORE);

    const result = await handler(cfEvent({ uri: '/w640/a.jpg' }));

    expect(outcome(result)).toBe('/a.jpg/_r/w640-q80.jpg');
    expect(() => loadCloudFrontFunction(`${CLOUDFRONT_IMPORT}new Map();`, STORE)).toThrow('Map is not defined');
    expect(() => loadCloudFrontFunction(`${CLOUDFRONT_IMPORT}Object.hasOwn({}, 'a');`, STORE)).toThrow(
      'not a function',
    );
    expect(() => loadCloudFrontFunction(`${CLOUDFRONT_IMPORT}'a'.charCodeAt(0);`, STORE)).toThrow('not a function');
    expect(() => loadCloudFrontFunction(`${CLOUDFRONT_IMPORT}eval('1');`, STORE)).toThrow('Code generation');
    expect(() => loadCloudFrontFunction(`${CLOUDFRONT_IMPORT}new Function('');`, STORE)).toThrow('Code generation');
  });
});

describe('viewer-request CloudFront Function: same answers as the Node handler', () => {
  let handler: CloudFrontHandler;
  const node = createViewerRequestHandler(resolveConfig({ signing: { keys: RING } }));

  beforeAll(() => {
    handler = loadCloudFrontFunction(code, STORE);
  });

  it.each(TABLE)('answers %s as the Node handler does', async (_name, request, expected) => {
    const fromFunction = await handler(cfEvent(request));
    const fromNode = node(cfEvent(request));

    expect(plain(fromFunction)).toEqual(plain(fromNode));
    expect(outcome(fromFunction)).toBe(expected);
  });

  it('joins repeated Accept lines and overwrites a client-sent public URI header', async () => {
    const event = cfEvent({ uri: '/w640/a.jpg', query: 'v=3', headers: { 'x-vetrina-public-uri': '/evil' } });
    event.request.headers.accept = {
      value: 'image/jpeg',
      multiValue: [{ value: 'image/jpeg' }, { value: 'image/avif' }],
    };

    const result = (await handler(event)) as { uri: string; querystring: unknown; headers: Record<string, unknown> };

    expect(result.uri).toBe('/a.jpg/_r/w640-q55.avif');
    expect(plain(result.querystring)).toEqual({ v: { value: '3' } });
    expect(plain(result.headers['x-vetrina-public-uri'])).toEqual({ value: '/w640/a.jpg?v=3' });
  });

  it('answers an error with the JSON body, no-store and the status line', async () => {
    const result = await handler(cfEvent({ method: 'POST', uri: '/w640/a.jpg' }));

    expect(plain(result)).toEqual({
      statusCode: 405,
      statusDescription: 'Method Not Allowed',
      headers: {
        'content-type': { value: 'application/json' },
        'cache-control': { value: 'no-store' },
        allow: { value: 'GET, HEAD' },
      },
      body: JSON.stringify({
        error: { code: 'METHOD_NOT_ALLOWED', status: 405, message: 'method: expected GET or HEAD, got "POST"' },
      }),
    });
  });
});

describe('viewer-request CloudFront Function: the key ring in the KeyValueStore', () => {
  const signedUrl = { uri: `/w640,q60/${KUEHLER}`, query: signed('w640,q60', KUEHLER, 'k1') };
  const storageFailed = {
    statusCode: 502,
    statusDescription: 'Bad Gateway',
    headers: { 'content-type': { value: 'application/json' }, 'cache-control': { value: 'no-store' } },
    body: JSON.stringify({
      error: { code: 'STORAGE_FAILED', status: 502, message: 'signing keys: could not be read; retry' },
    }),
  };

  it('takes keys rotated in the store without a new build', async () => {
    const k3 = signMessage(signingMessage('w640,q60', KUEHLER), 'k3', 'brand-new');
    const rotated = loadCloudFrontFunction(code, { 'signing-keys': JSON.stringify({ k3: 'brand-new' }) });

    const withNew = await rotated(cfEvent({ uri: signedUrl.uri, query: `s=${k3}` }));
    const withRetired = await rotated(cfEvent(signedUrl));

    expect(outcome(withNew)).toBe(`/${KUEHLER}/_r/w640-q60.jpg`);
    expect(outcome(withRetired)).toBe('BAD_SIGNATURE');
  });

  it.each<[string, FakeStore]>([
    ['the store fails', 'unreadable'],
    ['the key is missing', {}],
    ['the value is not JSON', { 'signing-keys': 'k1=secret' }],
    ['the value is an array', { 'signing-keys': '["secret"]' }],
    ['a secret is not a string', { 'signing-keys': '{"k1": 5}' }],
  ])('fails closed with 502 STORAGE_FAILED for a signed URL when %s', async (_name, store) => {
    const broken = loadCloudFrontFunction(code, store);

    const result = await broken(cfEvent(signedUrl));

    expect(plain(result)).toEqual(storageFailed);
  });

  it('still serves unsigned URLs and answers every other error as usual without the ring', async () => {
    const broken = loadCloudFrontFunction(code, 'unreadable');

    const preset = await broken(cfEvent({ uri: '/card/a.jpg', headers: PHONE }));
    const unsigned = await broken(cfEvent({ uri: `/w640,q60/${KUEHLER}` }));
    const badPath = await broken(cfEvent({ uri: '/w640/', query: signedUrl.query }));
    const badQuery = await broken(cfEvent({ uri: signedUrl.uri, query: `${signedUrl.query}&x=1` }));

    expect(outcome(preset)).toBe('/a.jpg/_r/w480-cover-4x3-q70.jpg');
    expect(outcome(unsigned)).toBe('SIGNATURE_REQUIRED');
    expect(outcome(badPath)).toBe('BAD_PATH');
    expect(outcome(badQuery)).toBe('UNKNOWN_QUERY');
  });
});
