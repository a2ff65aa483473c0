import { describe, expect, it } from 'vitest';
import { classifyDevice } from '../../src/url/device.js';

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

describe('classifyDevice', () => {
  it.each([
    ['the iPhone of case 34', IPHONE, 'mobile'],
    ['the Windows Chrome of case 34', WINDOWS, 'desktop'],
    ['CloudFront itself (case 34)', 'Amazon CloudFront', 'desktop'],
    ['an Android phone', 'Mozilla/5.0 (Linux; Android 14; Pixel 8) Chrome/126.0 Mobile Safari/537.36', 'mobile'],
    ['an Android tablet', 'Mozilla/5.0 (Linux; Android 14; SM-X710) Chrome/126.0 Safari/537.36', 'desktop'],
    ['an iPod', 'Mozilla/5.0 (iPod touch; CPU iPhone OS 15_0 like Mac OS X)', 'mobile'],
    ['Windows Phone', 'Mozilla/5.0 (Windows Phone 10.0; Android 6.0.1) Edge/15.15063', 'mobile'],
    ['BlackBerry', 'BlackBerry9700/5.0.0.351 Profile/MIDP-2.1', 'mobile'],
    ['Opera Mini', 'Opera/9.80 (J2ME/MIDP; Opera Mini/9.80/191.283; U; en) Presto/2.12.423 Version/12.16', 'mobile'],
    ['a lower-case mobi token', 'someapp/1.0 (mobi)', 'mobile'],
  ])('classifies the user agent of %s', (_what, userAgent, expected) => {
    const device = classifyDevice({ 'user-agent': userAgent }, false);

    expect(device).toBe(expected);
  });

  it('classifies a request without any device header as desktop', () => {
    const device = classifyDevice({}, false);

    expect(device).toBe('desktop');
  });

  it('lets the mobile hint win over every header', () => {
    const headers = { 'save-data': 'off', 'cloudfront-is-mobile-viewer': 'false', 'sec-ch-ua-mobile': '?0' };

    const device = classifyDevice({ ...headers, 'user-agent': WINDOWS }, true);

    expect(device).toBe('mobile');
  });

  it.each([
    ['Save-Data on before CloudFront false', { 'save-data': 'on', 'cloudfront-is-mobile-viewer': 'false' }, 'mobile'],
    ['Save-Data is case-insensitive', { 'save-data': ' On ' }, 'mobile'],
    ['Save-Data off decides nothing', { 'save-data': 'off', 'user-agent': IPHONE }, 'mobile'],
    [
      'CloudFront true before a desktop client hint',
      { 'cloudfront-is-mobile-viewer': 'true', 'sec-ch-ua-mobile': '?0' },
      'mobile',
    ],
    [
      'CloudFront false before an iPhone user agent',
      { 'cloudfront-is-mobile-viewer': 'false', 'user-agent': IPHONE },
      'desktop',
    ],
    ['client hint ?1 before a desktop user agent', { 'sec-ch-ua-mobile': '?1', 'user-agent': WINDOWS }, 'mobile'],
    ['client hint ?0 before an iPhone user agent', { 'sec-ch-ua-mobile': '?0', 'user-agent': IPHONE }, 'desktop'],
    ['an unknown client hint value falls through', { 'sec-ch-ua-mobile': 'yes', 'user-agent': WINDOWS }, 'desktop'],
  ])('applies the rule order of SPEC §6: %s', (_what, headers, expected) => {
    const device = classifyDevice(headers, false);

    expect(device).toBe(expected);
  });
});
