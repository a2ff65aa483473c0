/**
 * The starter the browser tests and the benchmark share: it fails with an install hint when
 * PHP is missing, and serves the portal with image URLs pointing at its emulator.
 */
import { describe, expect, it } from 'vitest';
import { startPortal } from '../../run-portal.js';

describe('startPortal', () => {
  it('rejects with the install hint when the PHP CLI is missing', async () => {
    const starting = startPortal({ php: 'vetrina-no-such-php' });

    await expect(starting).rejects.toThrow(
      'PHP CLI "vetrina-no-such-php" not found: install it with "apt-get install php-cli" (npm test does so on CI)',
    );
  });

  it('serves the listing with image URLs on its own emulator', async () => {
    const portal = await startPortal();

    try {
      const response = await fetch(`${portal.portalUrl}/listing.php`);
      const html = await response.text();

      expect(response.status).toBe(200);
      expect(portal.cdnUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(html).toContain(`<link rel="preconnect" href="${portal.cdnUrl}">`);
      expect(html).toContain(`src="${portal.cdnUrl}/w1280/La%20strada%20%C3%A8%20vuota`);
    } finally {
      await portal.stop();
    }
  });
});
