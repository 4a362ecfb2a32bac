// Use cases of the link API. Plain functions over the ports; handlers translate HTTP to these and
// back, adapters implement the ports.
import type { LinkRecord, LinkStore, LinkTarget, Takedown, UsageCounters } from '../ports.ts';
import { isLinkCode, randomCode, validateAlias } from './codes.ts';
import { type DestinationPolicy, normaliseDestination } from './destination.ts';
import { AliasTakenError, ForbiddenError, NotFoundError, ValidationError } from './errors.ts';
import { parseExpiry } from './expiry.ts';
import { type Limits, reserveDaily } from './limits.ts';
import { decodeCursor, encodeCursor, parsePageSize } from './paging.ts';
import { TAKEDOWN_REASON_MAX_LENGTH } from './rules.ts';

/** With 62^8 codes a single collision is already rare; several in a row mean something else is wrong. */
export const MAX_CODE_ATTEMPTS = 5;

export interface LinkDeps {
  links: LinkStore;
  /** Creation time; a clock seam for tests. */
  now?: () => Date;
  /** Random code source; a seam for tests that force collisions. */
  newCode?: () => string;
}

/** What creating links needs besides the store: the quotas and where they are counted. */
export interface QuotaDeps {
  usage: UsageCounters;
  limits: Limits;
}

export const clock = (deps: Pick<LinkDeps, 'now'>): Date => (deps.now ?? (() => new Date()))();

export interface LinkInput {
  /** As sent by the client; validated here. */
  url: unknown;
  /** As sent by the client; absent or null means "pick a random code". */
  alias?: unknown;
  /** As sent by the client; absent or null means "never expires". */
  expiresAt?: unknown;
}

export interface CreateLinkInput extends LinkInput {
  creator: string;
  /** What destinations this deployment allows, the request's own origin among the self origins. */
  policy: DestinationPolicy;
}

/** A validated link that has no code yet when no alias was asked for. */
export interface LinkDraft {
  alias?: string;
  record: (link: string) => LinkRecord;
}

/** Checks a link as sent and prepares its record; a ValidationError names the first problem. */
export function draftLink(input: CreateLinkInput, now: Date): LinkDraft {
  const url = normaliseDestination(input.url, input.policy);
  const alias = input.alias === undefined || input.alias === null ? undefined : validateAlias(input.alias);
  const expiresAt =
    input.expiresAt === undefined || input.expiresAt === null ? undefined : parseExpiry(input.expiresAt, now);
  const created = now.toISOString();
  return {
    alias,
    record: (link) => ({
      link,
      url,
      creator: input.creator,
      created,
      count: 0,
      ...(expiresAt === undefined ? {} : { expiresAt }),
    }),
  };
}

/** Stores a draft: under its alias (AliasTakenError when taken) or under a fresh random code. */
export async function storeDraft(deps: LinkDeps, draft: LinkDraft): Promise<LinkRecord> {
  if (draft.alias !== undefined) {
    const link = draft.record(draft.alias);
    if ((await deps.links.create(link)) === 'taken') throw aliasTaken(draft.alias);
    return link;
  }
  const newCode = deps.newCode ?? (() => randomCode());
  for (let attempt = 1; attempt <= MAX_CODE_ATTEMPTS; attempt++) {
    const link = draft.record(newCode());
    if ((await deps.links.create(link)) === 'created') return link;
  }
  throw new Error(`no free random code after ${MAX_CODE_ATTEMPTS} attempts`);
}

export const aliasTaken = (alias: string) => new AliasTakenError(`alias "${alias}" is already taken`);

/** Creates one link, within the creator's daily quota; a refused request uses none of it. */
export async function createLink(deps: LinkDeps & QuotaDeps, input: CreateLinkInput): Promise<LinkRecord> {
  const now = clock(deps);
  const draft = draftLink(input, now);
  const quota = await reserveDaily(deps.usage, 'links', input.creator, 1, deps.limits.linksPerDay, now);
  if (quota.granted === 0) throw quota.exhausted();
  try {
    return await storeDraft(deps, draft);
  } catch (error) {
    await quota.release(1);
    throw error;
  }
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

const notFound = () => new NotFoundError('link not found');

/** One of the creator's links; someone else's link is as unknown as a missing one. */
export async function getLink(deps: LinkDeps, input: { creator: string; link: string }): Promise<LinkRecord> {
  const record = isLinkCode(input.link) ? await deps.links.get(input.link) : undefined;
  if (record === undefined || record.creator !== input.creator) throw notFound();
  return record;
}

const EDITABLE = ['url', 'expiresAt'] as const;

/** Changes the destination and/or the expiry of one of the creator's links. */
export async function editLink(
  deps: LinkDeps,
  input: { creator: string; link: string; changes: Record<string, unknown>; policy: DestinationPolicy },
): Promise<LinkRecord> {
  const { changes } = input;
  const unknown = Object.keys(changes).filter((key) => !(EDITABLE as readonly string[]).includes(key));
  if (unknown.length > 0) throw new ValidationError(`only url and expiresAt can be changed, not ${unknown.join(', ')}`);
  if (!('url' in changes) && !('expiresAt' in changes)) {
    throw new ValidationError('give at least one of url and expiresAt');
  }
  const url = 'url' in changes ? normaliseDestination(changes.url, input.policy) : undefined;
  const expiresAt = !('expiresAt' in changes)
    ? undefined
    : changes.expiresAt === null
      ? null
      : parseExpiry(changes.expiresAt, clock(deps));
  if (!isLinkCode(input.link)) throw notFound();
  const result = await deps.links.updateOwned(input.link, input.creator, {
    ...(url === undefined ? {} : { url }),
    ...(expiresAt === undefined ? {} : { expiresAt }),
  });
  if (result === 'not-found') throw notFound();
  if (result === 'disabled') throw new ForbiddenError('an operator disabled this link; it cannot be edited');
  return result;
}

/** Deletes the creator's own link and retires its code; someone else's link is as unknown as a missing one. */
export async function deleteLink(deps: LinkDeps, input: { creator: string; link: string }): Promise<void> {
  if (
    !isLinkCode(input.link) ||
    !(await deps.links.deleteOwned(input.link, input.creator, clock(deps).toISOString()))
  ) {
    throw notFound();
  }
}

/** The stored destination, incarnation and state of a code; undefined when unknown. Impossible codes cost no read. */
export async function resolveLink(
  deps: { links: Pick<LinkStore, 'findTarget'> },
  code: string,
): Promise<LinkTarget | undefined> {
  return isLinkCode(code) ? deps.links.findTarget(code) : undefined;
}

export interface ModerationInput {
  /** The caller's `sub`. */
  operator: string;
  /** Whether the caller belongs to the operators' group. */
  isOperator: boolean;
  link: string;
  action: 'disable' | 'enable';
  /** As sent by the client: why, kept with a takedown and logged for both actions. */
  reason: unknown;
}

/** An operator takes a link down (it answers 410, counts nothing, and its owner cannot edit it) or lifts that. */
export async function moderateLink(deps: LinkDeps, input: ModerationInput): Promise<LinkRecord> {
  if (!input.isOperator) throw new ForbiddenError('only operators can disable or enable links');
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (reason === '' || reason.length > TAKEDOWN_REASON_MAX_LENGTH) {
    throw new ValidationError(`reason is required: 1 to ${TAKEDOWN_REASON_MAX_LENGTH} characters`);
  }
  if (!isLinkCode(input.link)) throw notFound();
  const takedown: Takedown | undefined =
    input.action === 'disable' ? { by: input.operator, reason, at: clock(deps).toISOString() } : undefined;
  const record = await deps.links.setTakedown(input.link, takedown);
  if (record === undefined) throw notFound();
  return record;
}
