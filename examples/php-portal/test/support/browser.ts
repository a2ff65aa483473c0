/**
 * Debian's headless Chromium driven by playwright-core, and one "visit" of a page that
 * records what a person's browser would do with it: every image response with its bytes,
 * console errors, layout shifts, the LCP element, and each `<img>` as laid out and as loaded
 * after scrolling through the whole page.
 */
import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page, type Response } from 'playwright-core';

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Flags for a root, offline machine: no sandbox (root), no GPU, and nothing that makes
 * Chromium reach out to Google's services on its own.
 */
export const CHROMIUM_ARGS: readonly string[] = Object.freeze([
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]);

/** A device to emulate. */
export interface Profile {
  readonly name: string;
  /** CSS px. */
  readonly viewport: { readonly width: number; readonly height: number };
  readonly deviceScaleFactor: number;
  readonly isMobile: boolean;
  readonly hasTouch: boolean;
  /** Default: Chromium's own. */
  readonly userAgent?: string;
}

/** A laptop screen at DPR 1 and a current phone at DPR 3 (mobile UA, touch). */
export const PROFILES: Readonly<Record<'desktop' | 'phone', Profile>> = Object.freeze({
  desktop: {
    name: 'desktop',
    viewport: { width: 1366, height: 900 },
    deviceScaleFactor: 1,
    isMobile: false,
    hasTouch: false,
  },
  phone: {
    name: 'phone',
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 3,
    isMobile: true,
    hasTouch: true,
    userAgent:
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36',
  },
});

/** One response to an image request. */
export interface ImageResponse {
  readonly url: string;
  readonly status: number;
  /** Response headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The request's `Accept` header as Chromium sent it. */
  readonly accept: string;
  /** The body; empty for redirects. */
  readonly bytes: Buffer;
}

/** A `<source>` of a `<picture>`, with whether its `media` matches. */
export interface SourceInfo {
  readonly type: string;
  readonly media: string;
  readonly mediaMatches: boolean;
  readonly srcset: string;
  readonly sizes: string;
}

/** An `<img>` as the page laid it out and loaded it. */
export interface ImgInfo {
  readonly src: string;
  readonly srcset: string;
  readonly sizes: string;
  /** `null` when the attribute is absent. */
  readonly width: string | null;
  readonly height: string | null;
  readonly loading: string | null;
  readonly fetchpriority: string | null;
  readonly currentSrc: string;
  readonly naturalWidth: number;
  /** Distance from the top of the document when the page had loaded, before any scrolling, CSS px. */
  readonly topAtLoad: number;
  /** The `<source>` siblings when the image sits in a `<picture>`, in document order. */
  readonly sources: readonly SourceInfo[];
}

/** Everything one visit recorded. */
export interface PageVisit {
  readonly profile: Profile;
  readonly url: string;
  readonly images: readonly ImageResponse[];
  readonly imgs: readonly ImgInfo[];
  /** Console messages of type error and uncaught page errors. */
  readonly consoleErrors: readonly string[];
  /** Sum of every `layout-shift` value during the visit (its CLS, counting shifts Chromium flags as after input). */
  readonly layoutShift: number;
  /** Nodes that shifted, e.g. `IMG hero-img`, for failure messages. */
  readonly shiftedNodes: readonly string[];
  /** The last `largest-contentful-paint` element, e.g. `IMG hero-img`. */
  readonly lcpElement: string;
  /** `matchMedia` results for the conditions asked for with `conditions`. */
  readonly mediaMatches: Readonly<Record<string, boolean>>;
}

/**
 * How long image responses are held back waiting for the first paint, at most, in ms. On
 * loopback the images would otherwise arrive before the first paint, and Chromium counts no
 * layout shift before it: holding them makes a missing width/height show up as the shift it
 * causes on a real network, however busy the machine is.
 */
export const FIRST_PAINT_TIMEOUT_MS = 10_000;

/** How long a visit may wait for the images in view to finish, per scroll step, in ms. */
const STEP_TIMEOUT_MS = 20_000;
/** Upper bound on scroll steps, so a page that keeps growing cannot loop forever. */
const MAX_SCROLL_STEPS = 40;

/**
 * Launches Debian's Chromium headless with {@link CHROMIUM_ARGS}.
 *
 * @throws Error naming the path and the package to install when Chromium is missing
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install it with "apt-get install chromium" (npm test does)`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS] });
}

/** A fresh context (empty cache) for `profile`. */
export function newContext(browser: Browser, profile: Profile): Promise<BrowserContext> {
  return browser.newContext({
    viewport: profile.viewport,
    deviceScaleFactor: profile.deviceScaleFactor,
    isMobile: profile.isMobile,
    hasTouch: profile.hasTouch,
    ...(profile.userAgent === undefined ? {} : { userAgent: profile.userAgent }),
  });
}

/**
 * Loads `url` in a fresh context of `profile` (image responses held until the first paint),
 * scrolls through the page one viewport at a time until every lazy image has loaded, and
 * records the visit.
 *
 * @param conditions media conditions to evaluate with the page's `matchMedia` (from `sizes`)
 * @throws Error when an image in view has not finished within 20 s, naming it
 */
export async function visit(
  browser: Browser,
  profile: Profile,
  url: string,
  conditions: (imgs: readonly ImgInfo[]) => readonly string[] = () => [],
): Promise<PageVisit> {
  const context = await newContext(browser, profile);
  try {
    const page = await context.newPage();
    let painted: Promise<void> | undefined;
    await page.route('**/*', async (route) => {
      if (route.request().resourceType() === 'image') {
        painted ??= firstPaint(page);
        await painted;
      }
      await route.continue();
    });
    await page.addInitScript(observeVitals);
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
    const pending: Promise<ImageResponse>[] = [];
    page.on('response', (response) => {
      if (response.request().resourceType() === 'image') pending.push(recordResponse(response));
    });

    await page.goto(url, { waitUntil: 'load' });
    const tops = await page.evaluate(() =>
      Array.from(document.images, (img) => img.getBoundingClientRect().top + window.scrollY),
    );
    await scrollThrough(page, profile.viewport.height);
    await page.waitForLoadState('networkidle');

    const imgs = (await page.evaluate(describeImages)).map((img, index) => ({ ...img, topAtLoad: tops[index] ?? 0 }));
    const vitals = await page.evaluate(() => (window as unknown as { __vitals: VitalsRecord }).__vitals);
    const asked = [...new Set(conditions(imgs))];
    const matched = await page.evaluate((list) => list.map((condition) => matchMedia(condition).matches), asked);

    return {
      profile,
      url,
      images: await Promise.all(pending),
      imgs,
      consoleErrors,
      layoutShift: vitals.layoutShift,
      shiftedNodes: vitals.shiftedNodes,
      lcpElement: vitals.lcpElement,
      mediaMatches: Object.fromEntries(asked.map((condition, i) => [condition, matched[i] ?? false])),
    };
  } finally {
    await context.close();
  }
}

/** What the init script keeps on `window.__vitals`. */
interface VitalsRecord {
  layoutShift: number;
  shiftedNodes: string[];
  lcpElement: string;
}

/** Runs in the page before any of its scripts: sums layout shifts and remembers the LCP element. */
function observeVitals(): void {
  const vitals: VitalsRecord = { layoutShift: 0, shiftedNodes: [], lcpElement: '' };
  (window as unknown as { __vitals: VitalsRecord }).__vitals = vitals;
  const label = (node: Node | null | undefined) =>
    node instanceof Element ? `${node.tagName} ${node.getAttribute('class') ?? ''}`.trim() : String(node?.nodeName);

  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as unknown as Array<{
      value: number;
      sources?: Array<{ node?: Node | null }>;
    }>) {
      // No `hadRecentInput` filter: the visit gives no input, yet headless Chromium flags the
      // shifts of the first half second as after input, which would hide exactly the shifts
      // of early images.
      vitals.layoutShift += entry.value;
      for (const source of entry.sources ?? []) vitals.shiftedNodes.push(label(source.node));
    }
  }).observe({ type: 'layout-shift', buffered: true });
  new PerformanceObserver((list) => {
    const last = list.getEntries().at(-1) as unknown as { element?: Element | null } | undefined;
    if (last) vitals.lcpElement = label(last.element);
  }).observe({ type: 'largest-contentful-paint', buffered: true });
}

/** Runs in the page: every `<img>` with its attributes, its load state and its `<picture>` sources. */
function describeImages(): Array<Omit<ImgInfo, 'topAtLoad'>> {
  return Array.from(document.images, (img) => {
    const picture = img.parentElement?.tagName === 'PICTURE' ? img.parentElement : null;
    const sources = picture
      ? Array.from(picture.querySelectorAll(':scope > source'), (source) => {
          const media = source.getAttribute('media') ?? '';
          return {
            type: source.getAttribute('type') ?? '',
            media,
            mediaMatches: media === '' || matchMedia(media).matches,
            srcset: source.getAttribute('srcset') ?? '',
            sizes: source.getAttribute('sizes') ?? '',
          };
        })
      : [];
    return {
      src: img.getAttribute('src') ?? '',
      srcset: img.getAttribute('srcset') ?? '',
      sizes: img.getAttribute('sizes') ?? '',
      width: img.getAttribute('width'),
      height: img.getAttribute('height'),
      loading: img.getAttribute('loading'),
      fetchpriority: img.getAttribute('fetchpriority'),
      currentSrc: img.currentSrc,
      naturalWidth: img.naturalWidth,
      sources,
    };
  });
}

/** Scrolls one viewport at a time, waiting at each step for the images in view to finish. */
async function scrollThrough(page: Page, viewportHeight: number): Promise<void> {
  for (let step = 0; step < MAX_SCROLL_STEPS; step++) {
    const y = step * viewportHeight;
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    if (y >= height) break;

    await page.evaluate((top) => window.scrollTo(0, top), y);
    try {
      await page.waitForFunction(
        () =>
          Array.from(document.images)
            .filter((img) => {
              const rect = img.getBoundingClientRect();
              return rect.bottom > 0 && rect.top < window.innerHeight;
            })
            .every((img) => img.complete),
        undefined,
        { timeout: STEP_TIMEOUT_MS, polling: 50 },
      );
    } catch {
      const waiting = await page.evaluate(() =>
        Array.from(document.images)
          .filter((img) => !img.complete)
          .map((img) => img.currentSrc || img.src),
      );
      throw new Error(`images still loading after ${STEP_TIMEOUT_MS} ms at scroll ${y}px: ${waiting.join(' ')}`);
    }
  }
  await page.evaluate(() => window.scrollTo(0, 0));
}

/** Resolves once the page has painted, or after {@link FIRST_PAINT_TIMEOUT_MS} (polling every 25 ms). */
async function firstPaint(page: Page): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < FIRST_PAINT_TIMEOUT_MS) {
    // The document may still be committing, which makes evaluate throw: try again.
    const done = await page.evaluate(() => performance.getEntriesByType('paint').length > 0).catch(() => false);
    if (done) return;
    await new Promise((wait) => setTimeout(wait, 25));
  }
}

async function recordResponse(response: Response): Promise<ImageResponse> {
  const status = response.status();
  const redirect = status >= 300 && status < 400;
  return {
    url: response.url(),
    status,
    headers: await response.allHeaders(),
    accept: (await response.request().allHeaders()).accept ?? '',
    bytes: redirect ? Buffer.alloc(0) : await response.body(),
  };
}
