/**
 * A stand-in for the CloudFront Functions runtime `cloudfront-js-2.0`, for running the shipped
 * viewer-request file in tests. It is a `node:vm` context (V8, not CloudFront's njs engine)
 * stripped down to what the AWS page "JavaScript runtime 2.0 features for CloudFront Functions"
 * lists, so code that leans on anything else fails here as it would there:
 *
 * - globals: only the listed constructors, error types and global functions; no Map, Set,
 *   WeakMap, Proxy, Reflect, Symbol, BigInt, Intl, TextEncoder, structuredClone, timers,
 *   process, Buffer (none of which the function needs);
 * - methods: Object, String, Number, Array, JSON, RegExp, Function and Promise keep only the
 *   listed methods (so no `Object.hasOwn`, `Object.fromEntries`, `Array.from`,
 *   `String.prototype.charCodeAt` or `normalize`);
 * - `eval` and `new Function` throw (code generation from strings is off);
 * - `require('crypto')` offers `createHash` and `createHmac` (md5, sha1, sha256) whose objects
 *   take `update(data)` with one string and `digest()` with hex, base64 or base64url;
 * - `import cf from 'cloudfront'` is the one import: the line is taken out and `cf` is a global
 *   whose `kvs()` reads from the given store.
 */
import { createHash, createHmac } from 'node:crypto';
import { createContext, runInContext } from 'node:vm';

/** The first line of the shipped file, which a vm script cannot hold. */
export const CLOUDFRONT_IMPORT = "import cf from 'cloudfront';\n";

/** What a test puts in the KeyValueStore: key → stored string, or `unreadable` for a store that fails. */
export type FakeStore = Readonly<Record<string, string>> | 'unreadable';

/** The top-level `handler` of a loaded function. */
export type CloudFrontHandler = (event: unknown) => Promise<unknown>;

// Names every function and prototype keeps.
const ALWAYS = ['constructor', 'prototype', 'length', 'name'];

const GLOBALS = [
  ...['globalThis', 'Object', 'Function', 'Array', 'String', 'Number', 'Boolean', 'Math', 'Date', 'RegExp', 'JSON'],
  ...['Promise', 'ArrayBuffer', 'DataView', 'Float32Array', 'Float64Array', 'Int8Array', 'Int16Array', 'Int32Array'],
  ...['Uint8Array', 'Uint8ClampedArray', 'Uint16Array', 'Uint32Array'],
  ...['Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError'],
  ...['decodeURI', 'decodeURIComponent', 'encodeURI', 'encodeURIComponent', 'isFinite', 'isNaN', 'parseFloat'],
  ...['parseInt', 'NaN', 'Infinity', 'undefined'],
  // Present but refusing ("Dynamic code evaluation is not supported"): see codeGeneration below.
  'eval',
];

/** Own properties kept on each listed object, by its path from the global object. */
const MEMBERS: Readonly<Record<string, readonly string[]>> = {
  Object: [
    ...['create', 'defineProperties', 'defineProperty', 'freeze', 'getOwnPropertyDescriptor'],
    ...['getOwnPropertyDescriptors', 'getOwnPropertyNames', 'getPrototypeOf', 'isExtensible', 'isFrozen'],
    ...['isSealed', 'keys', 'preventExtensions', 'seal', 'assign', 'entries', 'values'],
    // Listed as "Object.prototype.is()" and "Object.prototype.setPrototypeOf()": the statics are meant.
    ...['is', 'setPrototypeOf'],
  ],
  'Object.prototype': ['hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toString', 'valueOf'],
  String: ['fromCharCode', 'fromCodePoint'],
  'String.prototype': [
    ...['charAt', 'concat', 'indexOf', 'lastIndexOf', 'match', 'replace', 'search', 'slice', 'split', 'substr'],
    ...['substring', 'toLowerCase', 'trim', 'toUpperCase', 'codePointAt', 'endsWith', 'includes', 'repeat'],
    ...['startsWith', 'padStart', 'padEnd', 'trimStart', 'trimEnd', 'replaceAll'],
  ],
  Number: [
    ...['EPSILON', 'MAX_SAFE_INTEGER', 'MIN_SAFE_INTEGER', 'MAX_VALUE', 'MIN_VALUE', 'NaN', 'NEGATIVE_INFINITY'],
    ...['POSITIVE_INFINITY', 'isFinite', 'isInteger', 'isNaN', 'isSafeInteger', 'parseInt', 'parseFloat'],
  ],
  // "ALL ES 5 numbers are supported": toString(radix) and valueOf are ES 5 numbers.
  'Number.prototype': ['toExponential', 'toFixed', 'toPrecision', 'toString', 'valueOf'],
  Array: ['isArray', 'of'],
  'Array.prototype': [
    ...['concat', 'every', 'filter', 'forEach', 'indexOf', 'join', 'lastIndexOf', 'map', 'pop', 'push', 'reduce'],
    ...['reduceRight', 'reverse', 'shift', 'slice', 'some', 'sort', 'splice', 'unshift', 'copyWithin', 'fill'],
    ...['find', 'findIndex', 'includes'],
  ],
  JSON: ['parse', 'stringify'],
  'Function.prototype': ['apply', 'bind', 'call'],
  RegExp: [],
  'RegExp.prototype': ['global', 'ignoreCase', 'multiline', 'source', 'sticky', 'flags', 'exec', 'test', 'toString'],
  Promise: ['all', 'allSettled', 'any', 'reject', 'resolve', 'race'],
  'Promise.prototype': ['catch', 'finally', 'then'],
};

const HASHES = ['md5', 'sha1', 'sha256'];
const DIGEST_ENCODINGS = ['hex', 'base64', 'base64url'];

/**
 * Loads the shipped viewer-request file into a fresh CloudFront-like context and returns its
 * `handler`. Each call gets its own context.
 *
 * @param code the file as built, starting with the `cloudfront` import.
 * @param store what `cf.kvs().get()` reads.
 * @throws Error when the file does not start with the one import, or fails to load.
 */
export function loadCloudFrontFunction(code: string, store: FakeStore): CloudFrontHandler {
  if (!code.startsWith(CLOUDFRONT_IMPORT) || code.indexOf('import ', 1) >= 0) {
    throw new Error("expected exactly one import, `import cf from 'cloudfront';`, on the first line");
  }
  const context = createContext({}, { codeGeneration: { strings: false, wasm: false } });
  const global = runInContext('globalThis', context) as Record<string, unknown>;
  keepOnly(global, GLOBALS);
  for (const [path, names] of Object.entries(MEMBERS)) {
    const target = path.split('.').reduce<Record<string, unknown>>((at, part) => at[part] as never, global);
    keepOnly(target, [...ALWAYS, ...names]);
  }

  global.require = (name: string) => {
    if (name === 'crypto') return cloudFrontCrypto();
    throw new Error(`module "${name}" is not available in CloudFront Functions`);
  };
  global.console = { log() {} };
  global.cf = { kvs: (id?: string) => fakeKvs(store, id) };
  runInContext(code.slice(CLOUDFRONT_IMPORT.length), context, { filename: 'viewer-request/index.js' });
  return runInContext('handler', context) as CloudFrontHandler;
}

function keepOnly(target: object, names: readonly string[]): void {
  for (const key of Object.getOwnPropertyNames(target)) {
    if (names.includes(key)) continue;
    if (!Reflect.deleteProperty(target, key)) throw new Error(`sandbox: could not remove ${key}`);
  }
}

function cloudFrontCrypto() {
  const checked = (algorithm: string, make: () => ReturnType<typeof createHash>) => {
    if (!HASHES.includes(algorithm)) throw new Error(`crypto: algorithm "${algorithm}" is not md5, sha1 or sha256`);
    const inner = make();
    const wrapper = {
      update(...args: unknown[]) {
        if (args.length !== 1 || typeof args[0] !== 'string')
          throw new TypeError('crypto: update(data) takes one string');
        inner.update(args[0] as string, 'utf8');
        return wrapper;
      },
      digest(encoding: string) {
        if (!DIGEST_ENCODINGS.includes(encoding)) throw new TypeError(`crypto: digest encoding "${encoding}"`);
        return inner.digest(encoding as 'hex');
      },
    };
    return wrapper;
  };
  return {
    createHash: (algorithm: string) => checked(algorithm, () => createHash(algorithm)),
    createHmac: (algorithm: string, key: unknown) => {
      if (typeof key !== 'string') throw new TypeError('crypto: createHmac key must be a string');
      return checked(algorithm, () => createHmac(algorithm, key) as unknown as ReturnType<typeof createHash>);
    },
  };
}

function fakeKvs(store: FakeStore, id: string | undefined) {
  if (id !== undefined) throw new Error('kvs: expected cf.kvs() without an id (one store is associated)');
  return {
    async get(key: string, options?: { format?: string }): Promise<unknown> {
      if (store === 'unreadable') throw new Error('kvs: the store did not answer');
      const value = store[key];
      if (value === undefined) throw new Error(`kvs: key "${key}" does not exist`);
      if (options?.format === 'json') return JSON.parse(value);
      if (options?.format === undefined || options.format === 'string') return value;
      throw new Error(`kvs: format "${options.format}" is not string, json or bytes`);
    },
  };
}
