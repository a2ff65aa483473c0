/**
 * Device class of a viewer, for device-adaptive presets (SPEC.md §6).
 */
import type { DeviceClass } from '../../../sdk/ts/src/config.js';

/** Phones by User-Agent; tablets (Android without "Mobile", iPad) stay desktop. */
export const MOBILE_USER_AGENT = /Mobi|iPhone|iPod|Android.*Mobile|Windows Phone|BlackBerry|Opera Mini/i;

/**
 * Classifies a request as `mobile` or `desktop`, first rule wins: the spec's mobile hint,
 * `Save-Data: on`, `CloudFront-Is-Mobile-Viewer`, `Sec-CH-UA-Mobile`, the User-Agent, and
 * desktop for anything else (no User-Agent, or CloudFront's own `Amazon CloudFront`).
 *
 * @param headers request headers with lower-case names.
 * @param hint true when the spec carries `m`.
 */
export function classifyDevice(headers: Readonly<Record<string, string | undefined>>, hint: boolean): DeviceClass {
  const header = (name: string) => (headers[name] ?? '').trim().toLowerCase();
  if (hint || header('save-data') === 'on') return 'mobile';

  const cloudFront = header('cloudfront-is-mobile-viewer');
  if (cloudFront === 'true') return 'mobile';
  if (cloudFront === 'false') return 'desktop';

  // Lower-casing changes nothing here: the only values that count are "?1" and "?0".
  const clientHint = header('sec-ch-ua-mobile');
  if (clientHint === '?1') return 'mobile';
  if (clientHint === '?0') return 'desktop';

  const userAgent = headers['user-agent'];
  return userAgent !== undefined && MOBILE_USER_AGENT.test(userAgent) ? 'mobile' : 'desktop';
}
