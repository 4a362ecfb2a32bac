import { LINKS_TABLE } from '../declarations/storage.ts';

const A = LINKS_TABLE.attributes;

/** The incarnation a link item is: its id, or for a link stored before links had one, its `created`. */
export function incarnationOf(item: Record<string, unknown>): string | undefined {
  const incarnation = item[A.incarnation] ?? item[A.created];
  return typeof incarnation === 'string' ? incarnation : undefined;
}
