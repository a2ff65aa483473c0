import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const MB = 1024 * 1024;

describe('memory on a 12 MP photo (case 32)', () => {
  it('renders 320 px fifty times under 400 MB peak RSS without growing more than 50 MB', () => {
    const worker = new URL('rss-worker.ts', import.meta.url).pathname;

    const result = JSON.parse(execFileSync('node', ['--import', 'tsx', worker, 'big', '50'], { encoding: 'utf8' }));

    const rss: number[] = result.rss;
    const settled = Math.min(...rss.slice(0, 10));
    expect(result.inputBytes).toBeGreaterThan(8 * MB);
    expect(result.size).toBe('320x240');
    expect(result.eager).toEqual(['320x240', '800x600', '1600x1200']);
    expect(rss).toHaveLength(50);
    expect(result.peakRss).toBeLessThan(400 * MB);
    expect(Math.max(...rss.slice(-10)) - settled).toBeLessThan(50 * MB);
  });
});
