import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lambdas/domain/errors.ts';
import { isExpired, parseExpiry } from '../../../lambdas/domain/expiry.ts';

const NOW = new Date('2026-11-22T05:00:00.000Z');

describe('links-api', () => {
  describe('expiry', () => {
    it.each([
      ['2026-11-22T05:00:00.001Z', '2026-11-22T05:00:00.001Z'],
      ['2027-01-01T00:00Z', '2027-01-01T00:00:00.000Z'],
      ['2027-01-01T00:00:00z', '2027-01-01T00:00:00.000Z'],
      ['2027-01-01T01:30:00+01:30', '2027-01-01T00:00:00.000Z'],
      ['2026-12-31T19:00:00-05:00', '2027-01-01T00:00:00.000Z'],
      ['2027-01-01T00:00:00.123456789Z', '2027-01-01T00:00:00.123Z'],
      ['2028-02-29T12:00:00Z', '2028-02-29T12:00:00.000Z'],
    ])('R11.1 reads %s as the instant %s', (raw, stored) => {
      expect(parseExpiry(raw, NOW)).toBe(stored);
    });

    it.each([
      '2026-11-22T05:00:00Z',
      '2026-11-22T04:59:59.999Z',
      '2027-01-01',
      '2027-01-01T00:00:00',
      '2027-01-01 00:00:00Z',
      '2027-13-01T00:00:00Z',
      '2027-02-29T00:00:00Z',
      '2027-01-01T24:00:00Z',
      '2027-01-01T00:60:00Z',
      '2027-01-01T00:00:60Z',
      '2027-01-01T00:00:00+24:00',
      '+2027-01-01T00:00:00Z',
      '2027-01-01T00:00:00ZZ',
      ' 2027-01-01T00:00:00Z',
      '',
    ])('R11.1 refuses %j', (raw) => {
      expect(() => parseExpiry(raw, NOW)).toThrow(ValidationError);
    });

    it.each([null, 1893456000000, true, {}, []])('R11.1 refuses a %j that is not a string', (raw) => {
      expect(() => parseExpiry(raw, NOW)).toThrow(ValidationError);
    });

    it('R11.2 a link is expired from its expiry on, and never without one', () => {
      expect(isExpired('2026-11-22T05:00:00.000Z', NOW)).toBe(true);
      expect(isExpired('2026-11-22T05:00:00.001Z', NOW)).toBe(false);
      expect(isExpired(undefined, NOW)).toBe(false);
    });
  });
});
