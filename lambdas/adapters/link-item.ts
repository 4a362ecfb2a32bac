import { LINKS_TABLE } from '../declarations/storage.ts';

const A = LINKS_TABLE.attributes;

/** The incarnation a link item is: its id, or for a link stored before links had one, its `created`. */
export function incarnationOf(item: Record<string, unknown>): string | undefined {
  const incarnation = item[A.incarnation] ?? item[A.created];
  return typeof incarnation === 'string' ? incarnation : undefined;
}

/** Whether `incarnation` names the item: its id, or its `created` (what older links and older clicks use). */
export function namesIncarnation(item: Record<string, unknown>, incarnation: string): boolean {
  return item[A.incarnation] === incarnation || item[A.created] === incarnation;
}
