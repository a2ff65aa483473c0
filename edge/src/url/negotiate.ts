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

  const qualities = mediaRangeQualities(accept);
  if ((qualities.get('image/avif') ?? 0) > 0) return 'avif';
  if ((qualities.get('image/webp') ?? 0) > 0) return 'webp';
  return 'jpeg';
}

/** Media range (lower-case, without parameters) → its q-value, 0–1. */
export function mediaRangeQualities(accept: string): Map<string, number> {
  const qualities = new Map<string, number>();
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
    const previous = qualities.get(name);
    qualities.set(name, previous === undefined ? q : Math.min(previous, q));
  }
  return qualities;
}
