/**
 * What the parser reads and what it returns (SPEC.md §1–§9).
 */
import type { DeviceClass } from '../../../sdk/ts/src/config.js';
import type { RenditionParams } from '../../../sdk/ts/src/rendition.js';

/** A viewer request, independent of where it came from (CloudFront, the emulator). */
export interface RequestInput {
  readonly method: string;
  /** The path as received, still percent-encoded, e.g. `/w640/fahrzeuge/Front%20links.jpg`. */
  readonly path: string;
  /** The raw query string without `?`, e.g. `v=17&s=k1.abc`; empty when there is none. */
  readonly query: string;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
}

/** A request the contract accepts, resolved to one canonical rendition. */
export interface ParsedRequest {
  readonly sourceKey: string;
  readonly params: RenditionParams;
  /** `{source key}/_r/{descriptor}`. */
  readonly renditionKey: string;
  /** `/` + encodeKey(renditionKey): the CDN cache key and the renditions-bucket path. */
  readonly canonicalUri: string;
  readonly version?: string;
  /** The format came from `Accept` rather than from the spec. */
  readonly negotiated: boolean;
  readonly deviceClass: DeviceClass;
}
