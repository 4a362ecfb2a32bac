// The redirect's one read of a link, shared by the SDK adapter (DynamoLinkStore, local mode) and the lean
// one (LeanDynamoLinkTargets, the redirect on Lambda), so that both ask for and read exactly the same.
import { LINKS_TABLE } from '../declarations/storage.ts';
import type { LinkTarget } from '../ports.ts';

const { attributes: A } = LINKS_TABLE;

/**
 * `created` rides along: clicks carry it so that they count only on this incarnation. Expiry and takedown
 * too, so that this one read decides between 301 and 410.
 */
export const LINK_TARGET_PROJECTION = {
  ProjectionExpression: '#url, #created, #expiresAt, #disabledAt',
  ExpressionAttributeNames: {
    '#url': A.url,
    '#created': A.created,
    '#expiresAt': A.expiresAt,
    '#disabledAt': A.disabledAt,
  },
} as const;

/** The target in an item read with LINK_TARGET_PROJECTION; `text(name)` gives a string attribute. */
export function linkTargetOf(text: (attribute: string) => string | undefined): LinkTarget | undefined {
  const url = text(A.url);
  const created = text(A.created);
  // A retired code has neither: it is unknown.
  if (url === undefined || created === undefined) return undefined;
  const expiresAt = text(A.expiresAt);
  return {
    url,
    created,
    ...(expiresAt === undefined ? {} : { expiresAt }),
    ...(text(A.disabledAt) === undefined ? {} : { disabled: true }),
  };
}
