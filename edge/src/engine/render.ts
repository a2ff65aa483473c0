/**
 * The engine's entry points: one rendition, the eager set from one decode, and the request
 * path with its AVIF budget (SPEC.md §3.3, §5).
 */
import sharp, { type OutputInfo, type Sharp } from 'sharp';
import { FORMAT_MIME, type OutputFormat } from '../../../sdk/ts/src/config.js';
import { VetrinaError } from '../../../sdk/ts/src/errors.js';
import type { RenditionParams } from '../../../sdk/ts/src/rendition.js';
import type { EdgeConfig } from '../config.js';
import { BudgetExceeded, isBudgetExceeded } from './failures.js';
import { outputSize, type Size, scaleFactor } from './geometry.js';
import { openOriginal, shapeAndEncode } from './pipeline.js';
import { probe } from './probe.js';
import { explainFailure } from './recheck.js';
import type { OnDemandResult, RenderedImage, RenderOptions, SourceInfo } from './types.js';

const FORMATS: readonly OutputFormat[] = ['jpeg', 'png', 'webp', 'avif'];

/**
 * Renders one rendition of an original.
 *
 * Probes first (see `probe`: empty, too large, unsupported and HEVC originals are refused
 * before decoding), then: EXIF orientation applied, first frame only, sRGB, metadata
 * stripped, never wider than the original except SVG (rasterised at `params.width`), JPEG
 * flattened onto `config.background`. Identical input and params give identical bytes.
 *
 * @param input the original's bytes
 * @param params the canonical rendition: width slot 1–9999 px, fit (with aspect for
 *   cover/contain), quality 1–100 (ignored for PNG), format
 * @param options `timeoutMs`: budget for the whole pipeline in ms; unset means none
 * @throws VetrinaError `ORIGINAL_EMPTY`, `ORIGINAL_TOO_LARGE`, `ORIGINAL_UNSUPPORTED`,
 *   `ORIGINAL_CORRUPT` (truncated or damaged data), `RENDER_FAILED` (timeout or anything
 *   unexpected); `Error` when `params` is malformed (a caller bug)
 */
export async function render(
  input: Buffer,
  params: RenditionParams,
  config: EdgeConfig,
  options: RenderOptions = {},
): Promise<RenderedImage> {
  checkParams(params);
  const source = await probe(input, config);
  const size = outputSize(source, params, source.format === 'svg');
  checkPixels(source, size, params, config);

  return finish(
    () => shapeAndEncode(openOriginal(input, source, size, params.fit, config), size, params, config),
    input,
    source,
    params,
    config,
    options.timeoutMs,
  );
}

/**
 * Renders several renditions of one original from ONE decode: the original is decoded once,
 * with shrink-on-load, to an sRGB intermediate just large enough for the largest of them, and
 * each rendition is resized, cropped and encoded from that. Used for the eager presets.
 *
 * The results have the sizes `render` gives and the same pixels within JPEG noise (the extra
 * resampling step differs by a grey level or two); they are deterministic in their own right.
 * SVG originals are rasterised once per rendition instead (a vector has no useful
 * intermediate). Either every rendition is returned or the call throws (CASES 9).
 *
 * @param params the renditions, in the order of the result
 * @throws the errors of `render`
 */
export async function renderMany(
  input: Buffer,
  params: readonly RenditionParams[],
  config: EdgeConfig,
): Promise<RenderedImage[]> {
  for (const p of params) checkParams(p);
  const source = await probe(input, config);
  if (source.format === 'svg' || params.length < 2) {
    const out: RenderedImage[] = [];
    for (const p of params) out.push(await render(input, p, config));
    return out;
  }

  const sizes = params.map((p) => outputSize(source, p, false));
  for (const [i, p] of params.entries()) checkPixels(source, sizes[i] as Size, p, config);
  const scale = Math.min(1, Math.max(...params.map((p, i) => scaleFactor(source, sizes[i] as Size, p.fit))));
  const mid: Size = {
    width: Math.max(1, Math.round(source.width * scale)),
    height: Math.max(1, Math.round(source.height * scale)),
  };
  let pixels: { data: Buffer; info: OutputInfo };
  try {
    pixels = await openOriginal(input, source, mid, 'inside', config)
      .resize(mid.width, mid.height, { fit: 'fill' })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw await explainFailure(error, input, source, config);
  }

  const { width, height, channels } = pixels.info;
  // The encodes run side by side: each pipeline has one thread, so a core left idle by other
  // work picks up the next one, and the bytes do not depend on the order.
  return Promise.all(
    params.map((p, i) => {
      const size = sizes[i] as Size;
      const fromMid = () => shapeAndEncode(sharp(pixels.data, { raw: { width, height, channels } }), size, p, config);
      return finish(fromMid, input, source, p, config, undefined);
    }),
  );
}

/**
 * Renders for the request path. AVIF gets `config.limits.avifBudgetMs`; when the encode
 * cannot finish within it, the same rendition is made as WebP instead and returned with
 * `fallback: true` (serve it `no-store` and store nothing, SPEC.md §5.1, CASES 33). The
 * WebP quality is the WebP default of the same device class when the AVIF quality was a
 * default, otherwise the requested quality. Other formats render as `render` does.
 *
 * An abandoned AVIF encode keeps one libvips thread busy until sharp's own timeout (the
 * budget rounded up to whole seconds) stops it.
 *
 * @throws the errors of `render`, except that an AVIF timeout is not one
 */
export async function renderOnDemand(
  input: Buffer,
  params: RenditionParams,
  config: EdgeConfig,
): Promise<OnDemandResult> {
  if (params.format !== 'avif') return { image: await render(input, params, config), fallback: false };

  try {
    return { image: await render(input, params, config, { timeoutMs: config.limits.avifBudgetMs }), fallback: false };
  } catch (error) {
    if (!isBudgetExceeded(error)) throw error;
  }
  const webp: RenditionParams = { ...params, format: 'webp', quality: fallbackQuality(params.quality, config) };
  return { image: await render(input, webp, config), fallback: true };
}

/**
 * Refuses before any decoding a rendition that would need more than `maxInputPixels`: an SVG
 * rasterised that large (librsvg overflows its integer sizes far beyond it and renders a wrong
 * image instead of failing), or an extreme `cover` aspect that stretches a panorama.
 */
function checkPixels(source: SourceInfo, size: Size, params: RenditionParams, config: EdgeConfig): void {
  const scale = source.format === 'svg' ? scaleFactor(source, size, params.fit) : 1;
  const raster = source.format === 'svg' ? { width: source.width * scale, height: source.height * scale } : size;
  const limit = config.limits.maxInputPixels;
  for (const { width, height } of [raster, size]) {
    if (width * height > limit) {
      const box = `${Math.ceil(width)}×${Math.ceil(height)} px`;
      throw new VetrinaError('ORIGINAL_TOO_LARGE', `rendition: ${box} is over the pixel limit of ${limit} pixels`);
    }
  }
}

function fallbackQuality(avifQuality: number, config: EdgeConfig): number {
  const { avif, webp } = config.quality;
  if (avifQuality === avif.desktop) return webp.desktop;
  if (avifQuality === avif.mobile) return webp.mobile;
  return avifQuality;
}

async function finish(
  build: () => Sharp,
  input: Buffer,
  source: SourceInfo,
  params: RenditionParams,
  config: EdgeConfig,
  timeoutMs: number | undefined,
): Promise<RenderedImage> {
  try {
    const pipeline = build();
    const { data, info } = await withBudget(pipeline, timeoutMs);
    return {
      data,
      format: params.format,
      contentType: FORMAT_MIME[params.format],
      width: info.width,
      height: info.height,
    };
  } catch (error) {
    throw await explainFailure(error, input, source, config);
  }
}

async function withBudget(pipeline: Sharp, timeoutMs: number | undefined): Promise<{ data: Buffer; info: OutputInfo }> {
  if (timeoutMs === undefined) return pipeline.toBuffer({ resolveWithObject: true });

  // sharp's own timeout counts whole seconds and stops the libvips work; the timer answers
  // on time. Promise.race keeps a late rejection of the abandoned pipeline handled.
  pipeline.timeout({ seconds: Math.max(1, Math.ceil(timeoutMs / 1000)) });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BudgetExceeded(timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([pipeline.toBuffer({ resolveWithObject: true }), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function checkParams(params: RenditionParams): void {
  if (!Number.isInteger(params.width) || params.width < 1 || params.width > 9999) {
    throw new Error(`render params.width: expected an integer 1-9999 px, got ${params.width}`);
  }
  if (!FORMATS.includes(params.format)) {
    throw new Error(`render params.format: expected jpeg, png, webp or avif, got "${params.format}"`);
  }
  if (params.format !== 'png' && (!Number.isInteger(params.quality) || params.quality < 1 || params.quality > 100)) {
    throw new Error(`render params.quality: expected an integer 1-100, got ${params.quality}`);
  }
  if (params.fit !== 'inside' && params.fit !== 'cover' && params.fit !== 'contain') {
    throw new Error(`render params.fit: expected inside, cover or contain, got "${params.fit}"`);
  }
  if (params.fit !== 'inside') {
    const [a, b] = params.aspect ?? [0, 0];
    if (![a, b].every((n) => Number.isInteger(n) && n >= 1 && n <= 32)) {
      throw new Error(
        `render params.aspect: expected [a, b] with a and b 1-32 for ${params.fit}, got [${params.aspect}]`,
      );
    }
  }
}
