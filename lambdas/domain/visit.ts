// What a click records about its visitor, decided in the redirect from three request headers so that
// only these coarse classes, never the headers themselves, leave the request: bot or person, and for
// a person the referrer's host, the country, the device class and the browser family.
import { isbot } from 'isbot';

export const DEVICES = ['desktop', 'mobile', 'tablet', 'other'] as const;
export type Device = (typeof DEVICES)[number];

export const BROWSERS = ['Chrome', 'Firefox', 'Safari', 'Edge', 'Opera', 'Samsung Internet', 'IE', 'other'] as const;
export type Browser = (typeof BROWSERS)[number];

/** A person's visit as the analytics lists name it. */
export interface Visit {
  /** The `Referer` header's host in lower case, or `direct` when there is none. */
  referrer: string;
  /** ISO 3166-1 alpha-2 in upper case, or `unknown`. */
  country: string;
  device: Device;
  browser: Browser;
}

export const DIRECT = 'direct';
export const UNKNOWN_COUNTRY = 'unknown';

export interface VisitHeaders {
  userAgent?: string;
  referer?: string;
  /** CloudFront-Viewer-Country (local mode reads it when a client sends it). */
  country?: string;
}

export type Visitor = { bot: true } | { bot?: undefined; visit: Visit };

/**
 * Bot or person. A request without a User-Agent is a bot; so is any that `isbot` recognises (crawlers,
 * link previewers such as Slackbot or facebookexternalhit, monitors, and HTTP libraries such as curl,
 * Wget, python-requests or Go-http-client).
 */
export function classifyVisitor(headers: VisitHeaders): Visitor {
  const userAgent = headers.userAgent?.trim() ?? '';
  if (userAgent === '' || isbot(userAgent)) return { bot: true };
  return {
    visit: {
      referrer: referrerHost(headers.referer),
      country: countryCode(headers.country),
      device: deviceClass(userAgent),
      browser: browserFamily(userAgent),
    },
  };
}

const MAX_HOST_LENGTH = 253;

export function referrerHost(referer: string | undefined): string {
  if (referer === undefined || referer.trim() === '') return DIRECT;
  try {
    const host = new URL(referer.trim()).hostname.toLowerCase();
    return host !== '' && host.length <= MAX_HOST_LENGTH ? host : DIRECT;
  } catch {
    // A header that is not a URL names no host.
    return DIRECT;
  }
}

export function countryCode(country: string | undefined): string {
  const code = country?.trim() ?? '';
  return /^[A-Za-z]{2}$/.test(code) ? code.toUpperCase() : UNKNOWN_COUNTRY;
}

// A few patterns instead of a parser library: the redirect's bundle and cold start stay as they are
// (bowser adds about 25 KiB minified), and four device classes and a handful of families need no more.
const TABLET = /iPad|Tablet|PlayBook|Silk\/|Kindle|Nexus (7|9|10)\b|Android(?!.*Mobile)/i;
const MOBILE = /Mobi|iPhone|iPod|Windows Phone|BlackBerry|BB10|Opera Mini|Android.*Mobile/i;
const DESKTOP = /Windows NT|Macintosh|Mac OS X|X11|Linux x86_64|CrOS/i;

export function deviceClass(userAgent: string): Device {
  if (TABLET.test(userAgent)) return 'tablet';
  if (MOBILE.test(userAgent)) return 'mobile';
  if (DESKTOP.test(userAgent)) return 'desktop';
  return 'other';
}

/** First match wins: Edge, Opera and Samsung Internet also say Chrome; Chrome also says Safari. */
const FAMILIES: readonly [Browser, RegExp][] = [
  ['Edge', /\bEdg(e|A|iOS)?\//],
  ['Opera', /\bOPR\/|\bOpera\b/],
  ['Samsung Internet', /\bSamsungBrowser\//],
  ['Firefox', /\bFirefox\/|\bFxiOS\//],
  ['Chrome', /\bChrome\/|\bCriOS\//],
  ['Safari', /\bVersion\/[\d.]+.*\bSafari\//],
  ['IE', /\bMSIE |\bTrident\//],
];

export function browserFamily(userAgent: string): Browser {
  return FAMILIES.find(([, pattern]) => pattern.test(userAgent))?.[0] ?? 'other';
}

/** The visit a person made before clicks described one: counted, but in no named list entry. */
export const UNDESCRIBED_VISIT: Visit = {
  referrer: 'other',
  country: UNKNOWN_COUNTRY,
  device: 'other',
  browser: 'other',
};

const HOST_PATTERN = /^[a-z0-9.:[\]_-]{1,253}$/;

/** Whether a decoded record's `visit` is one the redirect could have written. */
export function isVisit(value: unknown): value is Visit {
  if (typeof value !== 'object' || value === null) return false;
  const { referrer, country, device, browser } = value as Record<string, unknown>;
  return (
    typeof referrer === 'string' &&
    HOST_PATTERN.test(referrer) &&
    typeof country === 'string' &&
    (country === UNKNOWN_COUNTRY || /^[A-Z]{2}$/.test(country)) &&
    DEVICES.includes(device as Device) &&
    BROWSERS.includes(browser as Browser)
  );
}
