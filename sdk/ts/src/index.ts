/**
 * vetrina's TypeScript SDK: the URL builder and HTML helpers for templates, plus the contract
 * primitives the edge shares with it (SPEC.md). Named exports only.
 */

export type { ResolvedBuilderConfig, SignaturePolicy, UrlBuilderConfig } from './builder-config.js';
export { resolveBuilderConfig } from './builder-config.js';
export { type CloudFrontSignOptions, cloudFrontSign } from './cloudfront-signing.js';
export type { Aspect, DeviceClass, Fit, OutputFormat, Preset } from './config.js';
export {
  DEFAULT_PRESETS,
  DEFAULT_QUALITY,
  DENSITIES,
  FORMAT_EXTENSION,
  FORMAT_MIME,
  MAX_KEY_BYTES,
  RENDITION_SEGMENT,
  WIDTH_LADDER,
} from './config.js';
export { ERROR_CATALOGUE } from './error-catalogue.js';
export { ERROR_STATUS, type ErrorCode, VetrinaError } from './errors.js';
export { type ArtSource, escapeAttribute, type HtmlOptions, type PictureOptions } from './html.js';
export { encodeKey, keyBytes } from './key-encoding.js';
export { findKeyProblem, type KeyProblem } from './key-rules.js';
export {
  cacheTag,
  formatDescriptor,
  parseDescriptor,
  type RenditionParams,
  renditionKey,
  renditionPrefix,
  splitRenditionKey,
} from './rendition.js';
export { SdkError, type SdkErrorCode } from './sdk-error.js';
export { KEY_ID_PATTERN, signingMessage, signMessage, verifySignature } from './signing.js';
export { formatSpec, parseSpec, type SpecParts } from './spec.js';
export { type SrcsetOptions, sizes } from './srcset.js';
export { createUrlBuilder, type UrlBuilder, type UrlOptions } from './url-builder.js';
export { snapWidth } from './widths.js';
