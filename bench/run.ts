/**
 * `npm run bench`: prints the benchmark tables (see BENCHMARKS.md). Sections:
 *
 *   eager     eager renditions/s against Pillow, vipsthumbnail and naive sharp, plus quality
 *   ondemand  cold latency and warm throughput through the emulator, against ipx and static
 *   sync      vetrina sync against aws s3 sync on a local S3-compatible server
 *
 *   npm run bench -- [--only eager,ondemand,sync] [--quick]
 *
 * `--quick` shrinks every section (fewer originals, rounds, files) for a smoke run.
 */
import { parseArgs } from 'node:util';
import { buildCorpus } from './corpus.js';

const { values } = parseArgs({
  options: { only: { type: 'string', default: 'eager,ondemand,sync' }, quick: { type: 'boolean', default: false } },
});
const sections = new Set((values.only ?? '').split(','));
const quick = values.quick ?? false;
process.stdout.write(
  `vetrina benchmark — ${new Date().toISOString()}, node ${process.version}${quick ? ', quick' : ''}\n`,
);

const corpus = await buildCorpus(undefined, { largeCount: quick ? 2 : undefined });
if (sections.has('eager')) {
  const { benchEager, cleanEager, eagerToolsPresent } = await import('./eager.js');
  const { benchQuality } = await import('./quality.js');
  if (!eagerToolsPresent()) {
    throw new Error(
      'the eager section needs python3-pil, libvips-tools and util-linux (taskset): apt-get install -y python3-pil libvips-tools time',
    );
  }
  const files = quick ? corpus.slice(0, 6) : corpus;
  const results = benchEager(files);
  await benchQuality(files, results);
  cleanEager(results);
}
if (sections.has('ondemand')) {
  const { benchOnDemand } = await import('./ondemand.js');
  const source = corpus.find((path) => path.includes('photo-4000x3000.jpg')) ?? (corpus.at(-1) as string);
  await benchOnDemand(source, { coldRounds: quick ? 3 : 10, warmSeconds: quick ? 3 : 8 });
}
if (sections.has('sync')) {
  const { benchSync } = await import('./sync.js');
  await benchSync({ smallFiles: quick ? 1000 : 20_000, uploadFiles: quick ? 50 : 500 });
}
