/**
 * Shared helpers of the engine tests: fixtures, pixel reads and parameter shorthands.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import type { OutputFormat } from '../../../sdk/ts/src/config.js';
import type { RenditionParams } from '../../../sdk/ts/src/rendition.js';

const fixtures = new URL('../fixtures/', import.meta.url);
const originals = new URL('../../../examples/originals/', import.meta.url);

/** A committed fixture of edge/test/fixtures. */
export function fixture(name: string): Buffer {
  return readFileSync(new URL(name, fixtures));
}

/** A sample photo of examples/originals. */
export function original(name: string): Buffer {
  return readFileSync(new URL(encodeURIComponent(name), originals));
}

/** `inside` params at `width` px. Quality defaults to 80. */
export function inside(width: number, format: OutputFormat = 'jpeg', quality = 80): RenditionParams {
  return { width, fit: 'inside', quality, format };
}

/** `cover` or `contain` params at `width` px with aspect a:b. */
export function boxed(
  fit: 'cover' | 'contain',
  width: number,
  aspect: readonly [number, number],
  format: OutputFormat = 'jpeg',
): RenditionParams {
  return { width, fit, aspect, quality: 80, format };
}

/** Decoded 8-bit RGBA pixels of an encoded image. */
export async function decode(
  image: Buffer,
): Promise<{ width: number; height: number; at: (x: number, y: number) => number[] }> {
  const { data, info } = await sharp(image).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    at: (x, y) => [...data.subarray((y * info.width + x) * 4, (y * info.width + x) * 4 + 4)],
  };
}

/** RGBA of one pixel of an encoded image. */
export async function pixel(image: Buffer, x: number, y: number): Promise<number[]> {
  return (await decode(image)).at(x, y);
}

/** CASES.md's "red": R ≥ 200, G ≤ 60, B ≤ 60. */
export function isRed([r = 0, g = 0, b = 0]: number[]): boolean {
  return r >= 200 && g <= 60 && b <= 60;
}

/** CASES.md's "blue": B ≥ 200, R ≤ 60, G ≤ 60. */
export function isBlue([r = 0, g = 0, b = 0]: number[]): boolean {
  return b >= 200 && r <= 60 && g <= 60;
}

/** Whether `actual` is within `tolerance` of `expected` on every given channel. */
export function near(actual: number[], expected: number[], tolerance = 10): boolean {
  return expected.every((value, i) => Math.abs((actual[i] ?? Number.NaN) - value) <= tolerance);
}
