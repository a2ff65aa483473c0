/**
 * Runs one engine job in a fresh process and prints its peak RSS, so memory assertions are not
 * skewed by the test runner. Used by memory.test.ts and probe.test.ts:
 * `node --import tsx rss-worker.ts bomb` or `... big <renders>`.
 */
import sharp from 'sharp';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { probe, render, renderMany } from '../../src/engine/index.js';
import { boxed, fixture, inside } from './helpers.js';

const [job = '', count = '1'] = process.argv.slice(2);
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 5);

const result: Record<string, unknown> = { job, startRss: process.memoryUsage().rss };
if (job === 'bomb') {
  const started = performance.now();
  try {
    await probe(fixture('bomb.png'), DEFAULT_CONFIG);
    result.outcome = 'accepted';
  } catch (error) {
    result.outcome = (error as { code?: string }).code;
  }
  try {
    await render(fixture('bomb.png'), inside(320), DEFAULT_CONFIG);
  } catch (error) {
    result.renderOutcome = (error as { code?: string }).code;
  }
  result.ms = performance.now() - started;
} else if (job === 'big') {
  // CASES 32: a 12 MP noisy JPEG (≈ 9 MB), rendered at 320 px `count` times.
  const big = await sharp({
    create: {
      width: 4000,
      height: 3000,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 60 },
    },
  })
    .jpeg({ quality: 92 })
    .toBuffer();
  result.inputBytes = big.length;
  peak = process.memoryUsage().rss;
  result.beforeRss = peak;
  const rss: number[] = [];
  for (let i = 0; i < Number(count); i++) {
    const image = await render(big, inside(320), DEFAULT_CONFIG);
    result.size = `${image.width}x${image.height}`;
    rss.push(process.memoryUsage().rss);
  }
  result.rss = rss;
  // The three eager presets from one decode, the heaviest job of the S3-event Lambda.
  const eager = await renderMany(
    big,
    [boxed('cover', 320, [4, 3]), boxed('cover', 800, [4, 3]), inside(1600)],
    DEFAULT_CONFIG,
  );
  result.eager = eager.map((image) => `${image.width}x${image.height}`);
}
clearInterval(sampler);
result.peakRss = Math.max(peak, process.memoryUsage().rss);
process.stdout.write(`${JSON.stringify(result)}\n`);
