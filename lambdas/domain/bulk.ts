// Bulk creation: up to BULK_RULES.maxRows links in one request, each row answered as `POST /links`
// would have answered it alone. Rows are independent; a dry run reads but writes nothing.
import type { LinkRecord } from '../ports.ts';
import { randomCode } from './codes.ts';
import type { DestinationPolicy } from './destination.ts';
import { AliasTakenError, ValidationError } from './errors.ts';
import { remainingDaily, reserveDaily } from './limits.ts';
import { aliasTaken, clock, draftLink, type LinkDeps, type LinkDraft, type QuotaDeps, storeDraft } from './links.ts';
import { BULK_RULES } from './rules.ts';

export interface BulkInput {
  creator: string;
  /** `links` as sent. */
  rows: unknown;
  /** `dryRun` as sent. */
  dryRun: unknown;
  policy: DestinationPolicy;
  /** Checks a row's shape before its content; throws a ValidationError for that row alone. */
  checkRow?: (row: unknown) => void;
}

/** One row's outcome: the link (created, or that would be created), or why not. */
export interface BulkOutcome {
  index: number;
  record?: LinkRecord;
  error?: unknown;
}

export async function createLinksInBulk(deps: LinkDeps & QuotaDeps, input: BulkInput): Promise<BulkOutcome[]> {
  const { rows } = input;
  if (!Array.isArray(rows) || rows.length < 1 || rows.length > BULK_RULES.maxRows) {
    throw new ValidationError(`links must be an array of 1 to ${BULK_RULES.maxRows} links`);
  }
  if (input.dryRun !== undefined && input.dryRun !== null && typeof input.dryRun !== 'boolean') {
    throw new ValidationError('dryRun must be true or false');
  }
  const now = clock(deps);
  const outcomes: BulkOutcome[] = rows.map((_, index) => ({ index }));

  // Rows that would reach the store, in input order: valid, and not repeating an earlier row's alias.
  const candidates: { outcome: BulkOutcome; draft: LinkDraft }[] = [];
  const aliases = new Set<string>();
  rows.forEach((row, index) => {
    const outcome = outcomes[index] as BulkOutcome;
    try {
      if (typeof row !== 'object' || row === null || Array.isArray(row)) {
        throw new ValidationError('each link must be a JSON object');
      }
      input.checkRow?.(row);
      const { url, alias, expiresAt } = row as Record<string, unknown>;
      const draft = draftLink({ creator: input.creator, policy: input.policy, url, alias, expiresAt }, now);
      if (draft.alias !== undefined) {
        if (aliases.has(draft.alias))
          throw new AliasTakenError(`alias "${draft.alias}" is asked for by an earlier row`);
        aliases.add(draft.alias);
      }
      candidates.push({ outcome, draft });
    } catch (error) {
      outcome.error = error;
    }
  });

  if (input.dryRun === true) {
    const quota = await remainingDaily(deps.usage, 'bulk', input.creator, deps.limits.bulkRowsPerDay, now);
    let left = quota.remaining;
    const checked = await mapConcurrently(candidates, async ({ draft }) =>
      draft.alias === undefined ? true : deps.links.isAvailable(draft.alias, input.creator),
    );
    candidates.forEach(({ outcome, draft }, i) => {
      if (left === 0) outcome.error = quota.exhausted();
      else if (!checked[i]) outcome.error = aliasTaken(draft.alias ?? '');
      else {
        left -= 1;
        // A random code drawn now only shows the shape: the real one is drawn when the link is created.
        outcome.record = draft.record(draft.alias ?? (deps.newCode ?? (() => randomCode()))());
      }
    });
    return outcomes;
  }

  // In waves, so that the share of a row that fails (a taken alias) goes to the rows after it, as if
  // each row had been sent alone in input order.
  let pending = candidates;
  while (pending.length > 0) {
    const quota = await reserveDaily(
      deps.usage,
      'bulk',
      input.creator,
      pending.length,
      deps.limits.bulkRowsPerDay,
      now,
    );
    if (quota.granted === 0) {
      for (const { outcome } of pending) outcome.error = quota.exhausted();
      break;
    }
    let created = 0;
    await mapConcurrently(pending.slice(0, quota.granted), async ({ outcome, draft }) => {
      try {
        outcome.record = await storeDraft(deps, draft);
        created += 1;
      } catch (error) {
        outcome.error = error;
      }
    });
    await quota.release(quota.granted - created);
    pending = pending.slice(quota.granted);
  }
  return outcomes;
}

/** `work` over every item, at most BULK_RULES.concurrency at a time; results in input order. */
async function mapConcurrently<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(BULK_RULES.concurrency, items.length) }, worker));
  return results;
}
