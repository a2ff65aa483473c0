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
  return ladder.find((step) => step >= width);
}
