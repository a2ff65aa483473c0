import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, resolveConfig } from '../../src/config.js';
import type { RenderedImage } from '../../src/engine/types.js';
import { eagerTargets, MAX_SOURCE_KEY_METADATA, renditionMetadata } from '../../src/renditions/eager.js';

const image: RenderedImage = {
  data: Buffer.alloc(0),
  format: 'jpeg',
  contentType: 'image/jpeg',
  width: 320,
  height: 240,
};

describe('eagerTargets', () => {
  it('lists the three eager presets at their desktop width, in JPEG at the desktop quality', () => {
    const targets = eagerTargets(DEFAULT_CONFIG);

    expect(targets).toEqual([
      { preset: 'thumb', params: { width: 320, fit: 'cover', aspect: [4, 3], quality: 80, format: 'jpeg' } },
      { preset: 'card', params: { width: 800, fit: 'cover', aspect: [4, 3], quality: 80, format: 'jpeg' } },
      { preset: 'large', params: { width: 1600, fit: 'inside', quality: 80, format: 'jpeg' } },
    ]);
  });

  it('follows the configured eager format and its quality', () => {
    const targets = eagerTargets(resolveConfig({ eagerFormat: 'webp' }));

    expect(targets.map((t) => [t.params.format, t.params.quality])).toEqual([
      ['webp', 78],
      ['webp', 78],
      ['webp', 78],
    ]);
  });
});

describe('renditionMetadata', () => {
  it('records the source ETag, the cache tag, the encoded key and the real pixel size', () => {
    const metadata = renditionMetadata('fahrzeuge/E+P 1.jpg', 'abc123', image);

    expect(metadata).toEqual({
      'source-etag': 'abc123',
      'cache-tag': expect.stringMatching(/^[0-9a-f]{32}$/),
      'source-key': 'fahrzeuge/E%2BP%201.jpg',
      width: '320',
      height: '240',
    });
  });

  it('leaves out source-key when its encoding would break S3 metadata limits', () => {
    const longKey = `fahrzeuge/${'ü'.repeat(400)}.jpg`;

    const metadata = renditionMetadata(longKey, 'abc123', image);

    expect(metadata['source-key']).toBeUndefined();
    expect(Object.values(metadata).join('').length).toBeLessThan(MAX_SOURCE_KEY_METADATA);
  });
});
