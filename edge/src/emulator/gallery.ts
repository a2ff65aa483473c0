/**
 * The emulator's home page: every original with its stored renditions (preset, pixel size,
 * bytes, format), each shown through the same URLs a portal template would use.
 */
import { FORMAT_MIME } from '../../../sdk/ts/src/config.js';
// Through the SDK's index: importing url-builder.ts first trips its import cycle with html.ts.
import { createUrlBuilder, type UrlBuilder } from '../../../sdk/ts/src/index.js';
import { findKeyProblem } from '../../../sdk/ts/src/key-rules.js';
import { parseDescriptor, type RenditionParams, renditionKey, renditionPrefix } from '../../../sdk/ts/src/rendition.js';
import type { EdgeConfig } from '../config.js';
import { sniffFormat } from '../engine/index.js';
import { eagerTargets } from '../renditions/eager.js';
import type { Storage, StoredObjectInfo } from '../storage/types.js';

/** Originals shown at most, so a large folder still answers quickly. */
export const GALLERY_MAX_ORIGINALS = 200;

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Base of the builder's URLs; stripped again, so the page links relative to whatever host serves it. */
const BUILDER_BASE = 'http://localhost';

/** The SDK's builder, signing with the first key of `config.signing.keys` if there is one. */
export function galleryBuilder(config: EdgeConfig): UrlBuilder {
  const [keyId, secret] = Object.entries(config.signing.keys)[0] ?? [];
  return createUrlBuilder({
    baseUrl: BUILDER_BASE,
    presets: config.presets,
    widthLadder: config.widthLadder,
    requireSignature: config.signing.require,
    ...(keyId !== undefined && secret !== undefined ? { signing: { keyId, secret } } : {}),
  });
}

/**
 * The public path (and query) that resolves to exactly `params` on a desktop viewer: the
 * width, fit, quality when it differs from the desktop default, and the format, signed when
 * needed. `undefined` when the builder refuses (a custom option and no signing key).
 */
export function urlForRendition(
  builder: UrlBuilder,
  sourceKey: string,
  params: RenditionParams,
  config: EdgeConfig,
): string | undefined {
  const defaultQuality = params.format === 'png' ? undefined : config.quality[params.format].desktop;
  try {
    return relative(
      builder.url(sourceKey, {
        width: params.width,
        ...(params.fit !== 'inside' && params.aspect ? { fit: params.fit, aspect: params.aspect } : {}),
        ...(params.format !== 'png' && params.quality !== defaultQuality ? { quality: params.quality } : {}),
        format: params.format,
      }),
    );
  } catch {
    return undefined;
  }
}

function relative(url: string): string {
  return url.startsWith(BUILDER_BASE) ? url.slice(BUILDER_BASE.length) : url;
}

/**
 * Renders the gallery page. Reads the exchange listing (first {@link GALLERY_MAX_ORIGINALS}
 * originals) and each original's rendition prefix; store failures propagate.
 */
export async function renderGallery(exchange: Storage, renditions: Storage, config: EdgeConfig): Promise<string> {
  const listing = await exchange.list('', { limit: GALLERY_MAX_ORIGINALS });
  const builder = galleryBuilder(config);
  const sections: string[] = [];
  for (const original of listing.objects) {
    const problem = findKeyProblem(original.key);
    if (problem) {
      // An original the contract refuses (a `_r` segment, too long) gets a note, not a broken page.
      sections.push(
        `<section><h2>${escapeHtml(original.key)}</h2><p>No renditions: ${escapeHtml(problem.reason)} (${problem.code}).</p></section>`,
      );
      continue;
    }
    const stored = await renditions.list(renditionPrefix(original.key), { limit: 1000 });
    if (stored.objects.length === 0 && !(await looksLikeImage(exchange, original.key))) {
      // A licence file or an export's stray text: say what it is instead of three "not made".
      sections.push(
        `<section><h2>${escapeHtml(original.key)}</h2><p>${original.size} bytes · not an image, so no renditions (ORIGINAL_UNSUPPORTED).</p></section>`,
      );
      continue;
    }
    sections.push(originalSection(builder, original, await withMetadata(renditions, stored.objects), config));
  }

  const more = listing.continuationToken ? `<p>Only the first ${GALLERY_MAX_ORIGINALS} originals are shown.</p>` : '';
  const body =
    sections.length > 0 ? sections.join('\n') : '<p>No originals yet: copy images into the originals folder.</p>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>vetrina emulator</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#222}
section{border-top:1px solid #ddd;padding:.75rem 0}
h2{font-size:1rem;margin:.25rem 0;word-break:break-all}
.row{display:flex;gap:1rem;flex-wrap:wrap;align-items:flex-start}
figure{margin:0;max-width:340px}
img{max-width:320px;height:auto;background:#eee;display:block}
figcaption,li{color:#555;font-size:12px}
code{background:#f4f4f4;padding:0 .2em}
</style>
</head>
<body>
<h1>vetrina emulator</h1>
<p>${listing.objects.length} originals in <code>${escapeHtml(exchange.location)}</code>, renditions in <code>${escapeHtml(renditions.location)}</code>. Health: <a href="/healthz">/healthz</a>.</p>
${more}${body}
</body>
</html>
`;
}

/**
 * Listings of S3 carry no metadata (sizes, content type); those objects are headed one by one,
 * which is fine for a page of at most a few hundred originals.
 */
async function withMetadata(store: Storage, objects: readonly StoredObjectInfo[]): Promise<StoredObjectInfo[]> {
  return Promise.all(
    objects.map(async (object) =>
      object.contentType !== undefined ? object : ((await store.head(object.key)) ?? object),
    ),
  );
}

/** Sniffs an original that has no renditions; only such originals are read. */
async function looksLikeImage(exchange: Storage, key: string): Promise<boolean> {
  const object = await exchange.get(key);
  return object !== undefined && sniffFormat(object.body) !== undefined;
}

function originalSection(
  builder: UrlBuilder,
  original: StoredObjectInfo,
  stored: readonly StoredObjectInfo[],
  config: EdgeConfig,
): string {
  const byKey = new Map(stored.map((object) => [object.key, object]));
  const eagerKeys = new Set<string>();
  const figures: string[] = [];
  for (const { preset, params } of eagerTargets(config)) {
    const key = renditionKey(original.key, params);
    eagerKeys.add(key);
    const object = byKey.get(key);
    const url = relative(builder.url(original.key, { preset, format: params.format }));
    if (!object) {
      figures.push(`<figure><figcaption>${escapeHtml(preset)}: not made (see the log)</figcaption></figure>`);
      continue;
    }
    figures.push(
      `<figure><a href="${escapeHtml(url)}"><img src="${escapeHtml(url)}" alt="${escapeHtml(`${original.key}, ${preset}`)}"${sizeAttributes(object)} loading="lazy" decoding="async"></a>` +
        `<figcaption>${escapeHtml(preset)} · ${describe(object)}</figcaption></figure>`,
    );
  }

  const others = stored
    .filter((object) => !eagerKeys.has(object.key))
    .map((object) => {
      const descriptor = object.key.slice(renditionPrefix(original.key).length);
      const params = parseDescriptor(descriptor);
      const url = params && urlForRendition(builder, original.key, params, config);
      const label = url ? `<a href="${escapeHtml(url)}">${escapeHtml(descriptor)}</a>` : escapeHtml(descriptor);
      return `<li>${label} · ${describe(object)}</li>`;
    });
  const list = others.length > 0 ? `<p>On-demand renditions:</p><ul>${others.join('')}</ul>` : '';

  return `<section><h2>${escapeHtml(original.key)}</h2><p>${original.size} bytes</p><div class="row">${figures.join('')}</div>${list}</section>`;
}

function sizeAttributes(object: StoredObjectInfo): string {
  const width = Number(object.metadata.width);
  const height = Number(object.metadata.height);
  return width > 0 && height > 0 ? ` width="${width}" height="${height}"` : '';
}

function describe(object: StoredObjectInfo): string {
  const width = object.metadata.width ?? '?';
  const height = object.metadata.height ?? '?';
  const format =
    Object.entries(FORMAT_MIME).find(([, mime]) => mime === object.contentType)?.[0] ?? object.contentType ?? 'unknown';
  return escapeHtml(`${width}×${height} px · ${object.size} bytes · ${format}`);
}
