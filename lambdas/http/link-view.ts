// The link as clients see it: exactly `{link, url, shortUrl, created, count}`, never the creator.
import type { LinkRecord } from '../ports.ts';

export interface LinkView {
  link: string;
  url: string;
  shortUrl: string;
  created: string;
  count: number;
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
  };
}
