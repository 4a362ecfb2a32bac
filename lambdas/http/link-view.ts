// The link as clients see it: exactly `{link, url, shortUrl, created, count, bots}`, never the creator.
import type { LinkRecord } from '../ports.ts';

export interface LinkView {
  link: string;
  url: string;
  shortUrl: string;
  created: string;
  /** Visits by people. */
  count: number;
  /** Visits by bots; never also in `count`. */
  bots: number;
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
    bots: record.bots,
  };
}
