/**
 * The rendition engine on sharp: one engine for the S3-event handler, the on-demand handler,
 * the backfill and the emulator, so the same input makes the same bytes everywhere.
 */
export { AVIF_EFFORT, PNG_COMPRESSION_LEVEL, WEBP_EFFORT } from './encode.js';
export { outputSize, type Size } from './geometry.js';
export { probe } from './probe.js';
export { render, renderMany, renderOnDemand } from './render.js';
export { configureSharp, SHARP_THREADS } from './sharp-setup.js';
export { sniffFormat } from './sniff.js';
export type { OnDemandResult, RenderedImage, RenderOptions, SourceInfo } from './types.js';
