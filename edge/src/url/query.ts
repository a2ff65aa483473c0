/**
 * The query string of a vetrina URL: version token and signature only (SPEC.md §7–§8).
 */
import { VetrinaError } from '../../../sdk/ts/src/errors.js';

/** What the query carries once checked. */
export interface QueryParts {
  /** The `v` token, 1–32 characters of `A–Z a–z 0–9 - _ .`. */
  readonly version?: string;
  /** The raw `s` value, `{keyId}.{mac}`; checked later against the key ring. */
  readonly signature?: string;
}

/** CloudFront checks its own signed-URL parameters before vetrina runs; they are skipped. */
export const CLOUDFRONT_QUERY_PARAMS: readonly string[] = Object.freeze([
  'Expires',
  'Policy',
  'Signature',
  'Key-Pair-Id',
]);

const VERSION = /^[A-Za-z0-9._-]{1,32}$/;

/**
 * Reads a raw query string (without `?`). Parameter names are case-sensitive; values are
 * taken as received, so a percent-encoded `v` is not a valid token.
 *
 * @param query e.g. `v=1733318400&s=k1.Q2…`; empty for none.
 * @throws VetrinaError `UNKNOWN_QUERY` for any parameter other than `v`, `s` and CloudFront's,
 *   for a repeated `v` or `s` and for `v` after `s`; `BAD_VERSION` for a malformed `v`.
 */
export function parseQuery(query: string): QueryParts {
  if (query === '') return {};

  let version: string | undefined;
  let signature: string | undefined;
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? '' : pair.slice(eq + 1);
    if (CLOUDFRONT_QUERY_PARAMS.includes(name)) continue;

    if (name === 'v') {
      if (version !== undefined) throw new VetrinaError('UNKNOWN_QUERY', 'query: "v" repeated');
      if (signature !== undefined) throw new VetrinaError('UNKNOWN_QUERY', 'query: "v" must come before "s"');
      if (!VERSION.test(value)) {
        throw new VetrinaError('BAD_VERSION', `query v: expected 1 to 32 of A-Z a-z 0-9 - _ ., got "${clip(value)}"`);
      }
      version = value;
    } else if (name === 's') {
      if (signature !== undefined) throw new VetrinaError('UNKNOWN_QUERY', 'query: "s" repeated');
      signature = value;
    } else {
      throw new VetrinaError('UNKNOWN_QUERY', `query "${clip(name)}": expected only v and s`);
    }
  }
  return { ...(version !== undefined && { version }), ...(signature !== undefined && { signature }) };
}

/** Keeps messages short when a client sends something huge: at most `max` characters and "…". */
export function clip(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
