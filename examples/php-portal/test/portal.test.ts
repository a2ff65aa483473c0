/**
 * The example portal in a real browser: Debian's headless Chromium loads the listing and a
 * vehicle page through the emulator on 127.0.0.1, as a desktop (1366×900, DPR 1) and as a
 * phone (390×844, DPR 3), and the "before" page for comparison (issue 3 §3).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPortal, startPortal } from '../../run-portal.js';
import { type ImgInfo, launchChromium, type PageVisit, PROFILES, type Profile, visit } from './support/browser.js';
import { ladderCeil, magicType, pixelWidth, totalBytes } from './support/images.js';
import { parseSrcset, resolveSizes, selectCandidate, sizesConditions, type WidthCandidate } from './support/srcset.js';

/** Image types Chromium decodes, for choosing a `<picture>` source as it would. */
const CHROMIUM_TYPES = new Set(['image/avif', 'image/webp', 'image/jpeg', 'image/png', 'image/gif', 'image/svg+xml']);

const PAGES = [
  { name: 'listing', path: '/listing.php' },
  { name: 'vehicle', path: '/vehicle.php?id=limousine-weiss' },
] as const;

let browser: Browser;
let portal: RunningPortal;
const visits = new Map<string, Promise<PageVisit>>();

beforeAll(async () => {
  browser = await launchChromium();
  portal = await startPortal();
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

/** Visits `path` once per profile; later callers share the recorded visit. */
function visitOnce(profile: Profile, path: string): Promise<PageVisit> {
  const id = `${profile.name} ${path}`;
  let pending = visits.get(id);
  if (!pending) {
    pending = visit(browser, profile, portal.portalUrl + path, (imgs) =>
      imgs.flatMap((img) => [img.sizes, ...img.sources.map((source) => source.sizes)].flatMap(sizesConditions)),
    );
    visits.set(id, pending);
  }
  return pending;
}

/** The candidate the markup says to pick, and the one whose URL is the `currentSrc`. */
function srcsetChoice(img: ImgInfo, page: PageVisit): { expected: WidthCandidate; shown?: WidthCandidate } {
  const source = img.sources.find((s) => (s.type === '' || CHROMIUM_TYPES.has(s.type)) && s.mediaMatches);
  const candidates = parseSrcset(source ? source.srcset : img.srcset);
  const sizes = (source ? source.sizes : img.sizes) || '100vw';
  const slot = resolveSizes(sizes, page.profile.viewport, (condition) => page.mediaMatches[condition] === true);

  const expected = selectCandidate(candidates, slot, page.profile.deviceScaleFactor);
  const shown = candidates.find((candidate) => new URL(candidate.url, page.url).href === img.currentSrc);
  return shown ? { expected, shown } : { expected };
}

describe.each([PROFILES.desktop, PROFILES.phone])('on a $name', (profile) => {
  describe.each(PAGES)('the $name page', ({ path }) => {
    it('loads every image from the CDN with status 200 and shows none broken', async () => {
      const page = await visitOnce(profile, path);

      const statuses = page.images.map((r) => `${r.status} ${r.url}`);
      const broken = page.imgs.filter((img) => img.naturalWidth === 0 || img.currentSrc === '');

      expect(page.images.length).toBeGreaterThanOrEqual(page.imgs.length);
      expect(statuses.filter((line) => !line.startsWith('200 '))).toEqual([]);
      expect(page.images.filter((r) => !r.url.startsWith(`${portal.cdnUrl}/`)).map((r) => r.url)).toEqual([]);
      expect(broken.map((img) => img.src)).toEqual([]);
    });

    it('logs no console error', async () => {
      const page = await visitOnce(profile, path);

      expect(page.consoleErrors).toEqual([]);
    });

    it('shows the srcset candidate that sizes and the device pixel ratio select', async () => {
      const page = await visitOnce(profile, path);

      const withSrcset = page.imgs.filter((img) => img.srcset !== '' || img.sources.length > 0);
      const choices = withSrcset.map((img) => ({ img: img.currentSrc, ...srcsetChoice(img, page) }));

      expect(withSrcset.length).toBeGreaterThan(0);
      for (const { img, expected, shown } of choices) {
        expect(shown?.width, `w descriptor of currentSrc ${img}`).toBe(expected.width);
      }
    });

    it('receives AVIF or WebP as Accept allows, with a Content-Type that matches the bytes', async () => {
      const page = await visitOnce(profile, path);

      const formats = page.images.map((r) => ({
        url: r.url,
        contentType: r.headers['content-type'],
        magic: magicType(r.bytes),
        avifAccepted: r.accept.includes('image/avif'),
        noStore: r.headers['cache-control'] === 'no-store',
      }));

      expect(formats.length).toBeGreaterThan(0);
      for (const format of formats) {
        expect(format.magic, format.url).toBe(format.contentType);
        expect(['image/avif', 'image/webp'], format.url).toContain(format.contentType);
        // WebP to an AVIF-capable browser only as the uncached fallback of a slow AVIF encode (SPEC §5.1).
        if (format.contentType === 'image/webp' && format.avifAccepted) expect(format.noStore, format.url).toBe(true);
      }
    });

    it('shifts no layout while images load, every img having width and height', async () => {
      const page = await visitOnce(profile, path);

      const unsized = page.imgs.filter(
        (img) => !/^[1-9]\d*$/.test(img.width ?? '') || !/^[1-9]\d*$/.test(img.height ?? ''),
      );

      expect(unsized.map((img) => img.src)).toEqual([]);
      expect(page.layoutShift, `shifted: ${page.shiftedNodes.join(', ')}`).toBe(0);
    });
  });

  describe('the listing page', () => {
    it('loads the hero, its LCP element, eagerly with fetchpriority="high"', async () => {
      const page = await visitOnce(profile, '/listing.php');

      const hero = page.imgs[0];

      expect(page.lcpElement).toBe('IMG hero-img');
      expect(hero?.fetchpriority).toBe('high');
      expect(hero?.loading).toBe('eager');
    });

    it('lazy-loads every image below the fold', async () => {
      const page = await visitOnce(profile, '/listing.php');

      const belowFold = page.imgs.filter((img) => img.topAtLoad >= profile.viewport.height);

      expect(belowFold.length).toBeGreaterThan(0);
      expect(belowFold.filter((img) => img.loading !== 'lazy').map((img) => img.src)).toEqual([]);
    });
  });
});

describe('on a phone', () => {
  const phone = PROFILES.phone;
  const widest = ladderCeil(phone.viewport.width * phone.deviceScaleFactor);

  it.each(PAGES)(
    `never downloads an image wider than ${widest} px (viewport × DPR on the ladder) on the $name page`,
    async ({ path }) => {
      const page = await visitOnce(phone, path);

      const widths = await Promise.all(
        page.images.map(async (r) => ({ url: r.url, width: await pixelWidth(r.bytes) })),
      );

      expect(widths.length).toBeGreaterThan(0);
      expect(widths.filter((image) => image.width > widest)).toEqual([]);
    },
  );

  it('downloads less than half the image bytes of the "before" page', async () => {
    const after = await visitOnce(phone, '/listing.php');
    const before = await visitOnce(phone, '/before.php');

    const afterBytes = totalBytes(after.images);
    const beforeBytes = totalBytes(before.images);
    const ratio = afterBytes / beforeBytes;
    process.stdout.write(
      `phone image bytes: listing ${afterBytes} B (${after.images.length} images), before ${beforeBytes} B ` +
        `(${before.images.length} images), ratio ${ratio.toFixed(3)}; CLS listing ${after.layoutShift}, ` +
        `before ${before.layoutShift.toFixed(3)}; LCP element listing ${after.lcpElement}\n`,
    );

    expect(before.images.filter((r) => r.status !== 200).map((r) => r.url)).toEqual([]);
    // The control: the same measurement sees the shifts of images without width and height.
    expect(before.layoutShift).toBeGreaterThan(0.05);
    expect(before.images.length).toBe(before.imgs.length);
    expect(ratio).toBeLessThan(0.5);
  });
});
