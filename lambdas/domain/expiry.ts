// Link expiry: the instant from which a link answers 410. Stored on the link itself, so the redirect's
// one read decides; nothing ever scans the table for expired links.
import { ValidationError } from './errors.ts';

// A full date and time with a zone: `2027-01-31T23:59Z`, `2027-01-31T23:59:59.5+02:00`.
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/i;

/**
 * `expiresAt` as sent: an ISO-8601 instant (date, time and zone) after `now`. Returns it in the one
 * form the store keeps (`toISOString()`: UTC, milliseconds), so string order is time order.
 */
export function parseExpiry(raw: unknown, now: Date): string {
  const invalid = () =>
    new ValidationError('expiresAt must be an ISO-8601 instant with a time zone, e.g. 2030-01-31T23:59:00Z');
  if (typeof raw !== 'string') throw invalid();
  const match = ISO_INSTANT.exec(raw);
  if (!match) throw invalid();
  const [, year, month, day, hour, minute, second = '0', fraction = '', zulu, sign, offsetHours, offsetMinutes] = match;
  const [y, mo, d, h, mi, s] = [year, month, day, hour, minute, second].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const local = Date.UTC(y, mo - 1, d, h, mi, s, Number(fraction.padEnd(3, '0').slice(0, 3)));
  const asDate = new Date(local);
  // Date.UTC rolls 2027-02-30 over into March: a date that does not exist is refused instead.
  if (
    asDate.getUTCFullYear() !== y ||
    asDate.getUTCMonth() !== mo - 1 ||
    asDate.getUTCDate() !== d ||
    h > 23 ||
    mi > 59 ||
    s > 59
  ) {
    throw invalid();
  }
  let offset = 0;
  if (!zulu) {
    const oh = Number(offsetHours);
    const om = Number(offsetMinutes);
    if (oh > 23 || om > 59) throw invalid();
    offset = (sign === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  const instant = new Date(local - offset);
  if (instant.getTime() <= now.getTime()) throw new ValidationError('expiresAt must be in the future');
  if (instant.getUTCFullYear() > 9999) throw invalid();
  return instant.toISOString();
}

/** Whether a link with this expiry answers 410 at `now`. */
export function isExpired(expiresAt: string | undefined, now: Date): boolean {
  return expiresAt !== undefined && Date.parse(expiresAt) <= now.getTime();
}
