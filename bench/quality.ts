/**
 * Output quality of each competitor against one reference: PSNR and SSIM (luma, 8×8 blocks)
 * of the 800×600 rendition versus a full-resolution Lanczos resize of the same original
 * with no shrink-on-load, so a speed-up bought with visible quality loss shows.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { EagerResult } from './eager.js';
import { fmt, printTable } from './lib.js';

async function luma(input: Buffer | string, width: number, height: number): Promise<Uint8Array | undefined> {
  const image = sharp(input);
  const meta = await image.metadata();
  if (meta.width !== width || meta.height !== height) return undefined;
  return new Uint8Array(await image.greyscale().raw().toBuffer());
}

function psnr(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += ((a[i] ?? 0) - (b[i] ?? 0)) ** 2;
  const mse = sum / a.length;
  return mse === 0 ? 99 : 10 * Math.log10((255 * 255) / mse);
}

function ssim(a: Uint8Array, b: Uint8Array, width: number, height: number): number {
  const c1 = (0.01 * 255) ** 2;
  const c2 = (0.03 * 255) ** 2;
  let total = 0;
  let blocks = 0;
  for (let y = 0; y + 8 <= height; y += 8) {
    for (let x = 0; x + 8 <= width; x += 8) {
      let ma = 0;
      let mb = 0;
      for (let j = 0; j < 8; j++)
        for (let i = 0; i < 8; i++) {
          ma += a[(y + j) * width + x + i] ?? 0;
          mb += b[(y + j) * width + x + i] ?? 0;
        }
      ma /= 64;
      mb /= 64;
      let va = 0;
      let vb = 0;
      let cov = 0;
      for (let j = 0; j < 8; j++)
        for (let i = 0; i < 8; i++) {
          const da = (a[(y + j) * width + x + i] ?? 0) - ma;
          const db = (b[(y + j) * width + x + i] ?? 0) - mb;
          va += da * da;
          vb += db * db;
          cov += da * db;
        }
      va /= 63;
      vb /= 63;
      cov /= 63;
      total += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
      blocks += 1;
    }
  }
  return total / blocks;
}

/** Prints mean PSNR/SSIM per competitor over the originals every tool rendered at 800×600. */
export async function benchQuality(files: readonly string[], results: readonly EagerResult[]): Promise<void> {
  const scores = new Map<string, { psnr: number[]; ssim: number[] }>();
  for (const [index, file] of files.entries()) {
    const reference = await sharp(file, { failOn: 'none' })
      .rotate()
      .resize(800, 600, { fit: 'cover', kernel: 'lanczos3', fastShrinkOnLoad: false })
      .toColourspace('srgb')
      .png()
      .toBuffer();
    const ref = await luma(reference, 800, 600);
    if (!ref) continue;
    for (const r of results) {
      const path = join(r.outDir, String(index), 'card.jpg');
      const out = existsSync(path) ? await luma(path, 800, 600) : undefined;
      if (!out) continue;
      const name = `${r.tool} (${r.cores})`;
      const entry = scores.get(name) ?? { psnr: [], ssim: [] };
      entry.psnr.push(psnr(ref, out));
      entry.ssim.push(ssim(ref, out, 800, 600));
      scores.set(name, entry);
    }
  }
  const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
  printTable(
    'Quality of the 800×600 rendition against a full-resolution Lanczos reference (luma)',
    ['tool', 'images', 'mean PSNR dB', 'mean SSIM'],
    [...scores].map(([tool, s]) => [tool, String(s.psnr.length), fmt(mean(s.psnr), 2), fmt(mean(s.ssim), 4)]),
  );
}
