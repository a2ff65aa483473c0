/**
 * Shared pieces of the emulator tests: small images made with sharp, readers for bytes and
 * pixels, HTTP fetches, and the header values of CASES.md.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { type EdgeConfig, type EdgeConfigOverrides, resolveConfig } from '../../src/config.js';

/** The development key ring the emulator uses by default. */
export const DEV_KEYS = Object.freeze({ dev: 'vetrina-dev-secret' });

/** A config with the development key ring plus `overrides`. */
export function testConfig(overrides: EdgeConfigOverrides = {}): EdgeConfig {
  return resolveConfig({ ...overrides, signing: { keys: DEV_KEYS, ...overrides.signing } });
}

/** A JPEG, left half red and right half blue, `width`×`height` px. */
export async function redBlueJpeg(width: number, height: number): Promise<Buffer> {
  const half = Math.floor(width / 2);
  return sharp({ create: { width, height, channels: 3, background: '#ff0000' } })
    .composite([
      {
        input: { create: { width: width - half, height, channels: 3, background: '#0000ff' } },
        left: half,
        top: 0,
      },
    ])
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** A one-colour image in `format`. */
export async function solid(
  width: number,
  height: number,
  colour: string,
  format: 'jpeg' | 'png' = 'jpeg',
): Promise<Buffer> {
  const image = sharp({ create: { width, height, channels: 3, background: colour } });
  return format === 'png' ? image.png().toBuffer() : image.jpeg({ quality: 90 }).toBuffer();
}

/** A noisy JPEG (so it does not compress to nothing), for truncation tests. */
export async function noisyJpeg(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  let seed = 7;
  for (let i = 0; i < pixels.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    pixels[i] = seed >> 23;
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** A GET (or other method) answer with its body read. */
export interface Fetched {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
}

/** Fetches `path` from `base` without following redirects. */
export async function get(base: string, path: string, init: RequestInit = {}): Promise<Fetched> {
  const response = await fetch(`${base}${path}`, { redirect: 'manual', ...init });
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
}

/** The format named by the first 12 bytes (CASES.md case 28), or `undefined`. */
export function magicFormat(bytes: Buffer): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 4).toString('latin1') === '\x89PNG') return 'image/png';
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') {
    return 'image/webp';
  }
  if (bytes.subarray(4, 12).toString('latin1') === 'ftypavif') return 'image/avif';
  return undefined;
}

/** SHA-256 of `bytes`, hex. */
export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Pixel size of an encoded image. */
export async function size(bytes: Buffer): Promise<{ width: number; height: number }> {
  const meta = await sharp(bytes).metadata();
  return { width: meta.width ?? 0, height: meta.height ?? 0 };
}

/** The RGB of pixel (x, y) of an encoded image. */
export async function pixel(bytes: Buffer, x: number, y: number): Promise<[number, number, number]> {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [data[at] ?? -1, data[at + 1] ?? -1, data[at + 2] ?? -1];
}

/** The `max-age` of a Cache-Control value, or `undefined`. */
export function maxAge(cacheControl: string | null): number | undefined {
  const match = /max-age=(\d+)/.exec(cacheControl ?? '');
  return match ? Number(match[1]) : undefined;
}

/** Polls `check` every 25 ms until it is true, at most `timeoutMs`. */
export async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return check();
}

/** An iPhone Safari User-Agent (CASES.md case 34). */
export const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

/** A desktop Chrome User-Agent (CASES.md case 34). */
export const DESKTOP_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

/** The Accept strings of CASES.md case 26. */
export const ACCEPT = Object.freeze({
  A: 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8',
  B: 'image/avif,image/webp,*/*',
  C: 'image/webp,*/*',
  D: 'image/webp,image/apng,image/*,*/*;q=0.8',
  E: 'image/png,image/svg+xml,image/*;q=0.8,video/*;q=0.8,*/*;q=0.5',
  F: '*/*',
  G: 'image/webp;q=0,*/*',
  H: 'x/y,image/webp,a/b;q=0.3',
});
