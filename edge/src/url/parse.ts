/**
 * The edge request parser: one viewer request in, one canonical rendition out
 * (SPEC.md §1–§9). Pure and synchronous, so the CloudFront Function, the origin handler and
 * the emulator share it.
 */
import type { DeviceClass, OutputFormat, Preset } from '../../../sdk/ts/src/config.js';
import { VetrinaError } from '../../../sdk/ts/src/errors.js';
import { encodeKey } from '../../../sdk/ts/src/key-encoding.js';
import { type RenditionParams, renditionKey } from '../../../sdk/ts/src/rendition.js';
import { signingMessage, verifySignature } from '../../../sdk/ts/src/signing.js';
import { parseSpec, type SpecParts } from '../../../sdk/ts/src/spec.js';
import { snapToLadder } from '../../../sdk/ts/src/widths.js';
import type { EdgeConfig } from '../config.js';
import { classifyDevice } from './device.js';
import { decodeKey } from './key-decoding.js';
import { negotiateFormat } from './negotiate.js';
import { clip, parseQuery } from './query.js';
import type { ParsedRequest, RequestInput } from './types.js';

/**
 * Resolves a request to its canonical rendition. Steps, each rejecting with the first
 * problem: method, path shape, key decoding, spec, query, signature; then device class,
 * width (preset or explicit, × density, capped at the ladder top, snapped up), fit, format
 * and quality.
 *
 * Explicit widths are never device-adaptive: their `deviceClass` is always `desktop`, the
 * column of the quality table they use.
 *
 * @throws VetrinaError with the catalogue code of the first problem (SPEC.md §11).
 * @example parseRequest({ method: 'GET', path: '/w700/a.jpg', query: '', headers: {} }, DEFAULT_CONFIG)
 *   // → { canonicalUri: '/a.jpg/_r/w800-q80.jpg', … }
 */
export function parseRequest(input: RequestInput, config: EdgeConfig): ParsedRequest {
  if (input.method !== 'GET' && input.method !== 'HEAD') {
    throw new VetrinaError('METHOD_NOT_ALLOWED', `method: expected GET or HEAD, got "${input.method.slice(0, 16)}"`);
  }

  const { specSegment, encodedKey } = splitPath(input.path);
  const sourceKey = decodeKey(encodedKey);
  const ladderTop = config.widthLadder[config.widthLadder.length - 1] as number;
  const spec = parseSpec(specSegment, config.presets, ladderTop);
  const { version, signature } = parseQuery(input.query);

  const message = signingMessage(specSegment, encodeKey(sourceKey), version);
  checkSignature(message, signature, spec, config.signing);

  const deviceClass: DeviceClass =
    'preset' in spec.size ? classifyDevice(input.headers, spec.mobile === true) : 'desktop';
  const format: OutputFormat = spec.format ?? negotiateFormat(input.headers.accept);
  const params = resolveParams(spec, deviceClass, format, config);
  const key = renditionKey(sourceKey, params);

  return {
    sourceKey,
    params,
    renditionKey: key,
    canonicalUri: `/${encodeKey(key)}`,
    ...(version !== undefined && { version }),
    negotiated: spec.format === undefined,
    deviceClass,
  };
}

/** Splits `/{spec}/{key}`; everything after the second `/` is the key, empty segments included. */
function splitPath(path: string): { specSegment: string; encodedKey: string } {
  const slash = path.indexOf('/', 1);
  if (!path.startsWith('/') || slash < 0 || slash === path.length - 1) {
    throw new VetrinaError('BAD_PATH', `path: expected /{spec}/{key} with a non-empty key, got "${clip(path, 80)}"`);
  }
  return { specSegment: path.slice(1, slash), encodedKey: path.slice(slash + 1) };
}

function checkSignature(
  message: string,
  signature: string | undefined,
  spec: SpecParts,
  signing: EdgeConfig['signing'],
): void {
  const custom = spec.fit !== undefined || spec.quality !== undefined;
  const required = signing.require === 'always' || (signing.require === 'custom' && custom);
  if (signature === undefined) {
    if (!required) return;
    throw new VetrinaError('SIGNATURE_REQUIRED', `query s: expected a signature over "${message}"`);
  }

  // A signature that is present is always checked, even where none was needed: a wrong one
  // points at a broken builder or key ring, which should not pass silently.
  if (!verifySignature(message, signature, signing.keys)) {
    throw new VetrinaError('BAD_SIGNATURE', `query s: expected {keyId}.{mac} of a current key over "${message}"`);
  }
}

function resolveParams(
  spec: SpecParts,
  deviceClass: DeviceClass,
  format: OutputFormat,
  config: EdgeConfig,
): RenditionParams {
  const ladderTop = config.widthLadder[config.widthLadder.length - 1] as number;
  let base: number;
  let fit: RenditionParams['fit'];
  let aspect: RenditionParams['aspect'];
  if ('preset' in spec.size) {
    // parseSpec accepted the name against this same table.
    const preset = config.presets[spec.size.preset] as Preset;
    base = deviceClass === 'mobile' ? preset.mobileWidth : preset.desktopWidth;
    fit = preset.fit;
    aspect = preset.aspect;
  } else {
    base = spec.size.width;
    fit = spec.fit?.mode ?? 'inside';
    aspect = spec.fit?.aspect;
  }

  // Density may push past the ladder: the top step is the cap, never an error (§4).
  const wanted = Math.min(base * (spec.density ?? 1), ladderTop);
  const width = snapToLadder(wanted, config.widthLadder) ?? ladderTop;
  // PNG is lossless: 100 matches what parseDescriptor reads back from a q-less descriptor.
  const quality = format === 'png' ? 100 : (spec.quality ?? config.quality[format][deviceClass]);

  return { width, fit, ...(fit !== 'inside' && { aspect }), quality, format };
}
