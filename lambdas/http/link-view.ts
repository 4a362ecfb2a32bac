// The link as clients see it: `{link, url, shortUrl, created, count, expiresAt?, disabled?}`, never
// the creator, never who took it down.
import type { LinkRecord } from '../ports.ts';

export interface LinkView {
  link: string;
  url: string;
  shortUrl: string;
  created: string;
  count: number;
  /** Only when the link has an expiry. */
  expiresAt?: string;
  /** Only while an operator has the link disabled. */
  disabled?: { reason: string; at: string };
}

export function shortUrl(origin: string, link: string): string {
  return `${origin}/${link}`;
}

export function linkView(record: LinkRecord, origin: string): LinkView {
  return {
    link: record.link,
    url: record.url,
    shortUrl: shortUrl(origin, record.link),
    created: record.created,
    count: record.count,
    ...(record.expiresAt === undefined ? {} : { expiresAt: record.expiresAt }),
    ...(record.disabled === undefined ? {} : { disabled: { reason: record.disabled.reason, at: record.disabled.at } }),
  };
}
