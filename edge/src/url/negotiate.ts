/**
 * Output format negotiation from the `Accept` header (SPEC.md §5.1).
 */

/** A format the edge may pick on its own; PNG is only served when a URL names it. */
export type NegotiatedFormat = 'avif' | 'webp' | 'jpeg';

// RFC 9110 §12.4.2: a qvalue is 0 to 1 with at most three decimals.
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/**
 * Picks AVIF, then WebP, then JPEG by real media-range parsing. A type counts only when it is
 * named exactly (`image/*` and `*\/*` do not count) with q > 0. When a type is listed twice,
 * the lower q wins, so an explicit `q=0` always refuses; a malformed q counts as 0.
 *
 * @param accept the raw header value, or undefined when absent (→ `jpeg`).
 * @example negotiateFormat('image/webp;q=0,*\/*') // 'jpeg'
 */
export function negotiateFormat(accept: string | undefined): NegotiatedFormat {
  if (!accept) return 'jpeg';

  // Two variables rather than a Map: the CloudFront Functions runtime has no Map.
  let avif: number | undefined;
  let webp: number | undefined;
  readRanges(accept, (name, q) => {
    if (name === 'image/avif') avif = Math.min(avif ?? q, q);
    else if (name === 'image/webp') webp = Math.min(webp ?? q, q);
  });
  if ((avif ?? 0) > 0) return 'avif';
  if ((webp ?? 0) > 0) return 'webp';
  return 'jpeg';
}

/** Media range (lower-case, without parameters) → its q-value, 0–1. */
export function mediaRangeQualities(accept: string): Map<string, number> {
  const qualities = new Map<string, number>();
  readRanges(accept, (name, q) => {
    const previous = qualities.get(name);
    qualities.set(name, previous === undefined ? q : Math.min(previous, q));
  });
  return qualities;
}

/** Calls `visit` once per non-empty media range, in order, with its lower-case name and q-value. */
function readRanges(accept: string, visit: (name: string, q: number) => void): void {
  for (const range of accept.split(',')) {
    const [type = '', ...params] = range.split(';');
    const name = type.trim().toLowerCase();
    if (name === '') continue;

    let q = 1;
    for (const param of params) {
      const eq = param.indexOf('=');
      if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'q') continue;
      const value = param.slice(eq + 1).trim();
      q = QVALUE.test(value) ? Number(value) : 0;
    }
    visit(name, q);
  }
}
