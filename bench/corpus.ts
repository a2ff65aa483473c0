/**
 * The benchmark's input: the sample originals plus a generated set of photo-like originals
 * of 3000–6000 px (upscaled real photos with film-like grain, some progressive, one PNG),
 * made once and cached under `.vetrina/bench/corpus`.
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

const SAMPLES = 'examples/originals';
const LARGE: ReadonlyArray<{ width: number; height: number; progressive?: boolean; png?: boolean }> = [
  { width: 3000, height: 2000 },
  { width: 4000, height: 3000 },
  { width: 4500, height: 3000 },
  { width: 5000, height: 3334 },
  { width: 6000, height: 4000 },
  { width: 4000, height: 3000, progressive: true },
  { width: 6000, height: 4000, progressive: true },
  { width: 4000, height: 3000, png: true },
];

/** Paths of every original in the corpus, samples first. Creates the large set when missing. */
export async function buildCorpus(
  root = '.vetrina/bench/corpus',
  options: { largeCount?: number } = {},
): Promise<string[]> {
  const samples = readdirSync(SAMPLES)
    .filter((name) => /\.(jpe?g|png)$/i.test(name))
    .sort()
    .map((name) => join(SAMPLES, name));
  mkdirSync(root, { recursive: true });
  const bases = samples.filter((path) => /Autostrada|Porsche|Autoroute|udacity|parking/.test(path));

  const large: string[] = [];
  for (const [index, spec] of LARGE.slice(0, options.largeCount ?? LARGE.length).entries()) {
    const name = `photo-${spec.width}x${spec.height}${spec.progressive ? '-progressive' : ''}.${spec.png ? 'png' : 'jpg'}`;
    const path = join(root, name);
    large.push(path);
    if (existsSync(path)) continue;

    const base = bases[index % bases.length] as string;
    const grain = await sharp({
      create: {
        width: spec.width,
        height: spec.height,
        channels: 3,
        background: '#808080',
        noise: { type: 'gaussian', mean: 128, sigma: 18 },
      },
    })
      .png()
      .toBuffer();
    const image = sharp(base)
      .rotate()
      .resize(spec.width, spec.height, { fit: 'cover', kernel: 'lanczos3' })
      .composite([{ input: grain, blend: 'soft-light' }]);
    if (spec.png) await image.png({ compressionLevel: 6 }).toFile(path);
    else await image.jpeg({ quality: 92, progressive: spec.progressive ?? false, mozjpeg: false }).toFile(path);
  }
  return [...samples, ...large];
}
