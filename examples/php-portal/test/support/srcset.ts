/**
 * What `srcset` and `sizes` should select, computed from the markup alone, so a test can
 * compare it with the `currentSrc` the browser chose. Parsing follows the HTML standard's
 * algorithms ("parse a srcset attribute", "parse a sizes attribute"); only the length units a
 * portal writes (px, vw, vh, em, rem) are supported, anything else throws.
 * https://html.spec.whatwg.org/multipage/images.html#parsing-a-srcset-attribute
 */

/** One image candidate with a width descriptor. */
export interface WidthCandidate {
  /** The URL as written (not resolved against the document). */
  readonly url: string;
  /** The `w` descriptor, in image pixels. */
  readonly width: number;
}

/** The viewport a length is resolved in, in CSS px. */
export interface Viewport {
  readonly width: number;
  readonly height: number;
}

/** The font size `em` and `rem` resolve against in `sizes` (the initial value), in px. */
const INITIAL_FONT_SIZE_PX = 16;

/**
 * Parses a `srcset` whose candidates all carry a `w` descriptor.
 *
 * URLs may contain commas (vetrina's `w320,cover-4x3` spec does): as in the standard, a URL
 * runs to the next whitespace, and only commas at its end separate candidates.
 *
 * @throws Error when a candidate has no descriptor, a density (`x`) descriptor, or a width
 *   that is not a positive integer
 */
export function parseSrcset(srcset: string): WidthCandidate[] {
  const candidates: WidthCandidate[] = [];
  let position = 0;

  while (position < srcset.length) {
    position = skip(srcset, position, /[\s,]/);
    if (position >= srcset.length) break;

    const urlStart = position;
    position = skip(srcset, position, /\S/);
    let url = srcset.slice(urlStart, position);
    let descriptors = '';
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '');
    } else {
      const descriptorStart = position;
      position = indexOrEnd(srcset, ',', position);
      descriptors = srcset.slice(descriptorStart, position).trim();
    }

    const width = /^(\d+)w$/.exec(descriptors);
    if (!width?.[1] || Number(width[1]) === 0) {
      throw new Error(`srcset: expected "{url} {N}w" with N ≥ 1 for every candidate, got "${url} ${descriptors}"`);
    }
    candidates.push({ url, width: Number(width[1]) });
  }
  return candidates;
}

/**
 * Resolves a `sizes` attribute to a width in CSS px: the length of the first entry without a
 * media condition or whose condition matches; `100vw` when none does.
 *
 * @param matches tells whether a media condition (e.g. `(max-width: 600px)`) matches; the
 *   caller asks the browser (`matchMedia`), so the rule is the browser's own
 * @throws Error for an empty `sizes`, `auto`, `calc()` or a unit other than px, vw, vh, em, rem
 */
export function resolveSizes(sizes: string, viewport: Viewport, matches: (condition: string) => boolean): number {
  const entries = splitTopLevel(sizes)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) throw new Error('sizes: expected at least one length, got an empty attribute');

  for (const entry of entries) {
    const lengthText = lastComponent(entry);
    const condition = entry.slice(0, entry.length - lengthText.length).trim();
    if (condition === '' || matches(condition)) return cssLength(lengthText, viewport);
  }
  // The standard's fallback when every entry has a condition and none matches.
  return viewport.width;
}

/** Media conditions of a `sizes` attribute, for the caller to evaluate in the browser. */
export function sizesConditions(sizes: string): string[] {
  return splitTopLevel(sizes)
    .map((entry) => entry.trim())
    .map((entry) => entry.slice(0, entry.length - lastComponent(entry).length).trim())
    .filter((condition) => condition !== '');
}

/**
 * The candidate to choose: each candidate's density is its width over the `sizes` width; the
 * choice is the lowest density at or above the device pixel ratio, or the highest density
 * when none reaches it. Of equal densities the first written wins.
 *
 * @param slotWidth the resolved `sizes` width, CSS px (> 0)
 * @param devicePixelRatio e.g. 1 on a desktop, 3 on a phone
 * @throws Error for an empty candidate list or a slot width ≤ 0
 */
export function selectCandidate(
  candidates: readonly WidthCandidate[],
  slotWidth: number,
  devicePixelRatio: number,
): WidthCandidate {
  if (candidates.length === 0) throw new Error('candidates: expected at least one, got none');
  if (!(slotWidth > 0)) throw new Error(`slotWidth: expected a width above 0 px, got ${slotWidth}`);

  const byDensity = candidates
    .map((candidate, order) => ({ candidate, order, density: candidate.width / slotWidth }))
    .sort((a, b) => a.density - b.density || a.order - b.order);
  const chosen = byDensity.find((entry) => entry.density >= devicePixelRatio) ?? byDensity[byDensity.length - 1];
  return (chosen as (typeof byDensity)[number]).candidate;
}

/** Resolves a `sizes` length to CSS px. */
function cssLength(text: string, viewport: Viewport): number {
  if (text === '0') return 0;
  const match = /^(\d+(?:\.\d+)?|\.\d+)(px|vw|vh|em|rem)$/.exec(text);
  if (!match?.[1] || !match[2]) {
    throw new Error(`sizes: expected a length in px, vw, vh, em or rem, got "${text}"`);
  }
  const value = Number(match[1]);
  const perUnit = { px: 1, vw: viewport.width / 100, vh: viewport.height / 100, em: INITIAL_FONT_SIZE_PX };
  return value * (match[2] === 'rem' ? INITIAL_FONT_SIZE_PX : perUnit[match[2] as keyof typeof perUnit]);
}

/** The entry's final component value: a bare token, or a function such as `calc(…)` whole. */
function lastComponent(entry: string): string {
  if (!entry.endsWith(')')) return /(\S+)$/.exec(entry)?.[1] ?? '';
  let depth = 0;
  for (let i = entry.length - 1; i >= 0; i--) {
    if (entry[i] === ')') depth++;
    else if (entry[i] === '(' && --depth === 0) return (/[\w-]*$/.exec(entry.slice(0, i))?.[0] ?? '') + entry.slice(i);
  }
  return entry;
}

/** Splits on commas outside parentheses, as the standard's component-value list does. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '(') depth++;
    else if (char === ')') depth = Math.max(0, depth - 1);
    else if (char === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** First position at or after `from` whose character does not match `pattern`. */
function skip(text: string, from: number, pattern: RegExp): number {
  let position = from;
  while (position < text.length && pattern.test(text[position] as string)) position++;
  return position;
}

function indexOrEnd(text: string, search: string, from: number): number {
  const index = text.indexOf(search, from);
  return index === -1 ? text.length : index;
}
