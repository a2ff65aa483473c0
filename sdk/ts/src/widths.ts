/**
 * Width snapping to the ladder (SPEC.md §3.2).
 */
import { WIDTH_LADDER } from './config.js';

/**
 * The smallest ladder width at or above `width` (px), or `undefined` when `width` is above
 * the top of the ladder.
 *
 * @example snapWidth(700) // 800
 */
export function snapWidth(width: number, ladder: readonly number[] = WIDTH_LADDER): number | undefined {
  return snapToLadder(width, ladder);
}

/**
 * {@link snapWidth} with the ladder required: callers that always have one (the edge parser)
 * then do not pull the default ladder into the 10 KB CloudFront Function.
 */
export function snapToLadder(width: number, ladder: readonly number[]): number | undefined {
  return ladder.find((step) => step >= width);
}
