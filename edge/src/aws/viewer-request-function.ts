/**
 * The source of the viewer-request CloudFront Function (runtime cloudfront-js-2.0). The build
 * (scripts/build-bundles.mjs) bundles it, downlevels it to ES 5.1, minifies it and wraps it as
 *
 *     import cf from 'cloudfront';
 *     var crypto = require('crypto'), kvs = cf.kvs(), vetrinaHandle;
 *     !function () { …this module, which sets vetrinaHandle… }();
 *     async function handler(event) {
 *     var keys;
 *     try { keys = await kvs.get('signing-keys', { format: 'json' }); } catch (e) {}
 *     return vetrinaHandle(event, keys);
 *     }
 *
 * (`cf.kvs()` without an id: the function has exactly one KeyValueStore associated.)
 *
 * Presets, widths, qualities and the signature policy are baked in from the deployment file;
 * the HMAC key ring is not: it is read on every request from the KeyValueStore associated with
 * the function (key `signing-keys`, JSON `{"keyId": "secret", …}`), so no secret is in the code
 * and keys rotate without a deployment.
 *
 * When the key ring cannot be read (the get() rejects, the key is missing, or the value is not
 * an object of strings), the function fails closed only where a key is needed. The catalogue
 * has no 503 code and SPEC.md §11 fixes each code's status, so the answer is the existing
 * `STORAGE_FAILED` (a store behind the edge failed; retry) rather than a new code:
 * - a URL carrying `s` is answered `STORAGE_FAILED` (502, `no-store`, JSON body of SPEC.md
 *   §10), because its signature can be neither accepted nor refused;
 * - a URL that needs a signature and has none still gets `SIGNATURE_REQUIRED` (403), which
 *   needs no key;
 * - every other URL is rewritten as usual, and every contract error (400, 405, 414) is answered
 *   as usual, since the parser checks the signature last.
 *
 * Why a CloudFront Function rather than a Lambda@Edge viewer trigger: it runs on every request,
 * costs about a sixth, starts in under a millisecond and needs no sharp; the parser, Accept
 * negotiation and HMAC check fit in its 10 KB with `crypto.createHmac`, which it offers.
 */
import { VetrinaError } from '../../../sdk/ts/src/errors.js';
import type { EdgeConfig } from '../config.js';
import { answerViewerRequest, type CfEvent, type CfRequest, type CfResponse } from '../handlers/viewer-request.js';
import { viewerConfig } from './viewer-config.js';

/** The function body: one event and the stored key ring (undefined when the read failed). */
export type ViewerFunction = (event: CfEvent, storedKeys: unknown) => CfRequest | CfResponse;

declare global {
  /** Declared by the bundle's wrapper, so the top-level async `handler` can reach it. */
  var vetrinaHandle: ViewerFunction;
}

/**
 * The key ring in a stored value: a plain object whose values are all strings (key ids are
 * checked against `[a-z0-9]{1,8}` by the verifier), else undefined.
 *
 * @param stored what `kvs.get('signing-keys', { format: 'json' })` resolved to, or undefined.
 */
export function keyRing(stored: unknown): Readonly<Record<string, string>> | undefined {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return undefined;
  const ring = stored as Record<string, unknown>;
  return Object.keys(ring).every((keyId) => typeof ring[keyId] === 'string')
    ? (ring as Record<string, string>)
    : undefined;
}

/**
 * Makes the function body for one baked configuration (whose own `signing.keys` are ignored).
 * Each call answers the request as the viewer-request handler does, with the stored key ring;
 * see the module doc for what happens when there is none.
 *
 * @throws whatever the handler throws for a non-contract error (CloudFront then answers 503).
 */
export function createViewerFunction(config: EdgeConfig): ViewerFunction {
  return (event, storedKeys) => {
    const keys = keyRing(storedKeys);
    const request = event.request;
    // rawQueryString() is undefined when the URL has no "?" at all.
    const query = (request.rawQueryString as () => string | undefined)() ?? '';
    // With an empty ring every present signature fails as BAD_SIGNATURE, and only after every
    // other check passed: exactly the requests whose answer depends on the unreadable keys.
    return answerViewerRequest(
      request,
      query,
      { ...config, signing: { ...config.signing, keys: keys ?? {} } },
      (error) =>
        keys === undefined && error.code === 'BAD_SIGNATURE'
          ? new VetrinaError('STORAGE_FAILED', 'signing keys: could not be read; retry')
          : error,
    );
  };
}

vetrinaHandle = createViewerFunction(viewerConfig);
