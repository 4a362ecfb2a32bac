// Use cases of the link API. Plain functions over the LinkStore port; handlers translate HTTP to
// these and back, adapters implement the port.
import type { LinkRecord, LinkStore, LinkTarget } from '../ports.ts';
import { isLinkCode, randomCode, validateAlias } from './codes.ts';
import { normaliseDestination } from './destination.ts';
import { AliasTakenError, NotFoundError } from './errors.ts';
import { decodeCursor, encodeCursor, parsePageSize } from './paging.ts';

/** With 62^8 codes a single collision is already rare; several in a row mean something else is wrong. */
export const MAX_CODE_ATTEMPTS = 5;

export interface LinkDeps {
  links: LinkStore;
  /** Creation time; a clock seam for tests. */
  now?: () => Date;
  /** Random code source; a seam for tests that force collisions. */
  newCode?: () => string;
}

export interface CreateLinkInput {
  creator: string;
  /** As sent by the client; validated here. */
  url: unknown;
  /** As sent by the client; absent or null means "pick a random code". */
  alias?: unknown;
  /** Origins the shortener is served on, the request's own one included. */
  selfOrigins: readonly string[];
}

export async function createLink(deps: LinkDeps, input: CreateLinkInput): Promise<LinkRecord> {
  const url = normaliseDestination(input.url, input.selfOrigins);
  const alias = input.alias === undefined || input.alias === null ? undefined : validateAlias(input.alias);
  const created = (deps.now ?? (() => new Date()))().toISOString();
  const record = (link: string): LinkRecord => ({ link, url, creator: input.creator, created, count: 0, bots: 0 });

  if (alias !== undefined) {
    const link = record(alias);
    if ((await deps.links.create(link)) === 'taken') throw new AliasTakenError(`alias "${alias}" is already taken`);
    return link;
  }
  const newCode = deps.newCode ?? (() => randomCode());
  for (let attempt = 1; attempt <= MAX_CODE_ATTEMPTS; attempt++) {
    const link = record(newCode());
    if ((await deps.links.create(link)) === 'created') return link;
  }
  throw new Error(`no free random code after ${MAX_CODE_ATTEMPTS} attempts`);
}

export interface ListLinksInput {
  creator: string;
  /** Raw `limit` query parameter. */
  limit?: string;
  /** Raw `cursor` query parameter. */
  cursor?: string;
}

export interface LinkList {
  items: LinkRecord[];
  nextCursor?: string;
}

/** The creator's links, newest first, one page at a time. */
export async function listLinks(deps: LinkDeps, input: ListLinksInput): Promise<LinkList> {
  const limit = parsePageSize(input.limit);
  const after = input.cursor === undefined ? undefined : decodeCursor(input.cursor, input.creator);
  const page = await deps.links.listByCreator(input.creator, limit, after);
  return page.next === undefined
    ? { items: page.items }
    : { items: page.items, nextCursor: encodeCursor(page.next, input.creator) };
}

/** Deletes the creator's own link; someone else's link is as unknown as a missing one. */
export async function deleteLink(deps: LinkDeps, input: { creator: string; link: string }): Promise<void> {
  if (!isLinkCode(input.link) || !(await deps.links.deleteOwned(input.link, input.creator))) {
    throw new NotFoundError('link not found');
  }
}

/** The stored destination (and incarnation) of a code; undefined when unknown. Impossible codes cost no read. */
export async function resolveLink(
  deps: { links: Pick<LinkStore, 'findTarget'> },
  code: string,
): Promise<LinkTarget | undefined> {
  return isLinkCode(code) ? deps.links.findTarget(code) : undefined;
}
