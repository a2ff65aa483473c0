/**
 * The URL builder (SPEC.md §1–§8): turns an S3 key and a few options into the one canonical
 * vetrina URL, snapped, encoded and signed, or throws before emitting anything the edge would
 * refuse.
 */
import { type ResolvedBuilderConfig, resolveBuilderConfig, type UrlBuilderConfig } from './builder-config.js';
import { type HtmlOptions, type PictureOptions, renderImg, renderPicture } from './html.js';
import { encodeKey } from './key-encoding.js';
import { SdkError } from './sdk-error.js';
import { signingMessage, signMessage } from './signing.js';
import { formatSpec } from './spec.js';
import { buildSrcset, type SrcsetOptions } from './srcset.js';
import { checkKey, rejectUnknown, resolveUrlOptions, URL_OPTION_NAMES, type UrlOptions } from './url-options.js';

export type { UrlOptions } from './url-options.js';

/** A configured builder. Every method throws {@link SdkError} for an argument it refuses. */
export interface UrlBuilder {
  /** The validated configuration. */
  readonly config: ResolvedBuilderConfig;
  /**
   * The URL of one rendition.
   *
   * @example builder.url('fahrzeuge/E+P-003_D.jpeg', { width: 700 })
   * // 'https://img.example.com/w800/fahrzeuge/E%2BP-003_D.jpeg'
   */
  url(key: string, options: UrlOptions): string;
  /** A `srcset` value (SPEC.md §12.1); see {@link SrcsetOptions}. */
  srcset(key: string, options: SrcsetOptions): string;
  /** An `<img>` tag (SPEC.md §12.2); see {@link HtmlOptions}. */
  img(key: string, options: HtmlOptions): string;
  /** A `<picture>` element with AVIF and WebP sources (SPEC.md §12.3); see {@link PictureOptions}. */
  picture(key: string, options: PictureOptions): string;
}

/**
 * Makes a builder. Validates `config` once (see {@link UrlBuilderConfig}); throws
 * {@link SdkError} `INVALID_ARGUMENT` naming the field.
 *
 * @example
 * const vetrina = createUrlBuilder({ baseUrl: 'https://img.example.com' });
 * vetrina.url('fahrzeuge/4711/front.jpg', { preset: 'card' }); // 'https://img.example.com/card/fahrzeuge/4711/front.jpg'
 */
export function createUrlBuilder(config: UrlBuilderConfig): UrlBuilder {
  const resolved = resolveBuilderConfig(config);
  const url = (key: string, options: UrlOptions): string => buildUrl(resolved, key, options);

  return Object.freeze({
    config: resolved,
    url,
    srcset: (key: string, options: SrcsetOptions) => buildSrcset(resolved, url, key, options),
    img: (key: string, options: HtmlOptions) => renderImg(resolved, url, key, options),
    picture: (key: string, options: PictureOptions) => renderPicture(resolved, url, key, options),
  });
}

function buildUrl(config: ResolvedBuilderConfig, key: string, options: UrlOptions): string {
  checkKey(key);
  rejectUnknown(options, URL_OPTION_NAMES, 'url');
  const resolved = resolveUrlOptions(config, options);

  const spec = formatSpec(resolved.parts);
  const encodedKey = encodeKey(key);
  const custom = resolved.parts.fit !== undefined || resolved.parts.quality !== undefined;
  const sign = config.requireSignature === 'always' || (config.requireSignature === 'custom' && custom);
  if (sign && config.signing === undefined) {
    throw new SdkError(
      'SIGNATURE_REQUIRED',
      'signing',
      'options fit and quality make a URL that must be signed; configure signing: { keyId, secret } ' +
        'or requireSignature "never"',
    );
  }

  const query: string[] = [];
  if (resolved.version !== undefined) query.push(`v=${resolved.version}`);
  if (sign && config.signing) {
    const message = signingMessage(spec, encodedKey, resolved.version);
    query.push(`s=${signMessage(message, config.signing.keyId, config.signing.secret)}`);
  }
  const tail = query.length > 0 ? `?${query.join('&')}` : '';
  return `${config.baseUrl}/${spec}/${encodedKey}${tail}`;
}
