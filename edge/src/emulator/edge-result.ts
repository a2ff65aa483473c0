/**
 * Lambda@Edge results turned into HTTP with the checks CloudFront applies: base64 bodies
 * decoded exactly when flagged, and 502 for a result CloudFront would refuse.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-generating-http-responses.html
 */
import type { HttpAnswer, OriginResponseResult } from './cloudfront.js';

/**
 * The largest response a Lambda@Edge origin trigger may generate, body plus headers, in bytes.
 * CloudFront answers 502 past it, so the emulator does too.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/edge-functions-restrictions.html
 */
export const EDGE_GENERATED_RESPONSE_LIMIT_BYTES = 1024 * 1024;

/** Why CloudFront would refuse a Lambda@Edge result; the emulator answers 502 for each. */
export class InvalidEdgeResultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEdgeResultError';
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Turns a Lambda@Edge origin-response result into HTTP. The body is base64-decoded exactly
 * when `bodyEncoding` is `'base64'`; otherwise it is sent as UTF-8 text, as CloudFront does.
 * `originBody` is sent when the result carries no body (a passed-through origin response).
 *
 * Throws {@link InvalidEdgeResultError} for a result CloudFront would turn into a 502: a status
 * outside 100–599, a body flagged base64 that is not base64, a body that is base64 image data
 * without the flag (CASES.md case 23: browsers would get the base64 text), or a generated
 * response over {@link EDGE_GENERATED_RESPONSE_LIMIT_BYTES}.
 */
export function originResultToHttp(result: OriginResponseResult, originBody: Buffer): HttpAnswer {
  const status = Number(result.status);
  if (!Number.isInteger(status) || status < 100 || status > 599) {
    throw new InvalidEdgeResultError(`origin-response result: status must be 100-599, got "${String(result.status)}"`);
  }

  const headers: Record<string, string> = {};
  let headerBytes = 0;
  for (const [name, entries] of Object.entries(result.headers ?? {})) {
    const value = entries.map((entry) => entry.value).join(', ');
    headers[name.toLowerCase()] = value;
    headerBytes += name.length + value.length + 4;
  }

  if (result.body === undefined) return { status, headers, body: originBody };

  let body: Buffer;
  if (result.bodyEncoding === 'base64') {
    if (!BASE64.test(result.body)) {
      throw new InvalidEdgeResultError('origin-response result: bodyEncoding is "base64" but the body is not base64');
    }
    body = Buffer.from(result.body, 'base64');
  } else {
    if (looksLikeBase64Image(result.body, headers['content-type'])) {
      throw new InvalidEdgeResultError(
        `origin-response result: the body is base64 image data but bodyEncoding is ${JSON.stringify(result.bodyEncoding ?? null)}, expected "base64"`,
      );
    }
    body = Buffer.from(result.body, 'utf8');
  }

  const generatedBytes = Buffer.byteLength(result.body, 'utf8') + headerBytes;
  if (generatedBytes > EDGE_GENERATED_RESPONSE_LIMIT_BYTES) {
    throw new InvalidEdgeResultError(
      `origin-response result: generated response is ${generatedBytes} bytes, over the Lambda@Edge limit of ${EDGE_GENERATED_RESPONSE_LIMIT_BYTES}`,
    );
  }
  return { status, headers, body };
}

/** An image content type on a text body, or text that decodes to image magic bytes. */
function looksLikeBase64Image(body: string, contentType: string | undefined): boolean {
  if (contentType?.toLowerCase().startsWith('image/') && !contentType.toLowerCase().startsWith('image/svg')) {
    return true;
  }
  if (body.length < 8 || !BASE64.test(body)) return false;

  const head = Buffer.from(body.slice(0, 16), 'base64');
  return (
    (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) ||
    head.subarray(0, 4).toString('latin1') === '\x89PNG' ||
    (head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP') ||
    head.subarray(4, 8).toString('latin1') === 'ftyp'
  );
}
