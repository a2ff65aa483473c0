import { describe, expect, it } from 'vitest';
import { createUrlBuilder, escapeAttribute, SdkError, sizes } from '../src/index.js';

const builder = createUrlBuilder({ baseUrl: 'https://img.example.com' });

describe('html', () => {
  it('runs the doc comment example of img()', () => {
    const tag = builder.img('fahrzeuge/4711/front.jpg', { preset: 'thumb', alt: 'Front' });

    expect(tag).toBe(
      '<img src="https://img.example.com/thumb/fahrzeuge/4711/front.jpg" width="320" height="240" alt="Front" ' +
        'loading="lazy" decoding="async">',
    );
  });

  it('runs the doc comment example of sizes()', () => {
    const value = sizes([['(max-width: 640px)', '100vw']], '50vw');

    expect(value).toBe('(max-width: 640px) 100vw, 50vw');
  });

  it('escapes the five HTML-special characters and nothing else', () => {
    const escaped = escapeAttribute(`a&b"c<d>e'f ü/%`);

    expect(escaped).toBe('a&amp;b&quot;c&lt;d&gt;e&#39;f ü/%');
  });

  it('cannot be broken out of an attribute by a hostile alt text', () => {
    const tag = builder.img('a.jpg', { preset: 'thumb', alt: '"><script>alert(1)</script>' });

    expect(tag).not.toContain('<script>');
    expect(tag.match(/"/g)?.length).toBe(2 * 6);
  });

  it('writes two sources per art entry and two defaults, all before the img', () => {
    const art = [
      { media: '(max-width: 480px)', preset: 'thumb' },
      { media: '(max-width: 960px)', preset: 'card' },
    ];

    const html = builder.picture('a.jpg', { preset: 'large', art });

    expect(html.match(/<source /g)?.length).toBe(6);
    expect(html.indexOf('<img ')).toBeGreaterThan(html.lastIndexOf('<source '));
    expect(html.match(/media="/g)?.length).toBe(4);
  });

  it('gives every srcset candidate a unique descriptor equal to its real width (case 30)', () => {
    const srcset = builder.srcset('small.jpg', { widths: [160, 320, 480, 640, 760, 1280, 2560], sourceWidth: 360 });

    const descriptors = srcset.split(', ').map((candidate) => candidate.split(' ')[1]);

    expect(descriptors).toEqual(['160w', '320w', '360w']);
  });

  it('names the option in an img error', () => {
    let error: unknown;
    try {
      builder.img('a.jpg', { preset: 'thumb', className: 42 as never });
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(SdkError);
    expect((error as SdkError).message).toBe('className must be a string, got 42');
  });
});
