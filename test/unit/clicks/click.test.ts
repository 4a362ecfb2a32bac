import { describe, expect, it } from 'vitest';
import { padSequenceNumber, unpadSequenceNumber } from '../../../lambdas/adapters/sequence-marks.ts';
import { CLICK_STREAM } from '../../../lambdas/declarations/stream.ts';
import {
  type ClickEvent,
  compareSequenceNumbers,
  decodeClick,
  encodeClick,
  isSequenceNumber,
} from '../../../lambdas/domain/click.ts';
import { seededRandom } from '../../support/seeded.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('click-pipeline', () => {
  it('R3.1 a click survives encoding to record bytes and decoding back', () => {
    const click: ClickEvent = { v: 1, link: 'Ab3_-x', at: '2026-11-22T05:00:00.123Z' };
    const data = encodeClick(click);
    expect(data).toBeInstanceOf(Uint8Array);
    expect(JSON.parse(new TextDecoder().decode(data))).toEqual({
      v: 1,
      link: 'Ab3_-x',
      at: '2026-11-22T05:00:00.123Z',
    });
    expect(decodeClick(data)).toEqual(click);
    const withId = { ...click, id: '0b7a6c1e-1f1e-4a55-9d6c-2f1b3c4d5e6f' };
    expect(decodeClick(encodeClick(withId))).toEqual(withId);
  });

  it('R3.1 R3.6 a click carries the incarnation it was made on; one that names a created instead, or nothing, still decodes', () => {
    const click: ClickEvent = {
      v: 1,
      link: 'reX',
      at: '2026-11-22T05:00:03.000Z',
      incarnation: '6f1c1f0e-8c4e-4d2b-9a51-0e4b5a3c2d1f',
    };
    expect(JSON.parse(new TextDecoder().decode(encodeClick(click)))).toEqual(click);
    expect(decodeClick(encodeClick({ ...click, id: 'c1' }))).toEqual({ ...click, id: 'c1' });
    expect(
      decodeClick(bytes('{"v":1,"link":"reX","at":"2026-11-22T05:00:03.000Z","created":"2026-11-22T05:00:02.000Z"}')),
    ).toEqual({ v: 1, link: 'reX', at: '2026-11-22T05:00:03.000Z', incarnation: '2026-11-22T05:00:02.000Z' });
    expect(decodeClick(bytes('{"v":1,"link":"reX","at":"2026-11-22T05:00:03.000Z","id":"c1"}'))).toEqual({
      v: 1,
      link: 'reX',
      at: '2026-11-22T05:00:03.000Z',
      id: 'c1',
    });
  });

  it.each([
    ['empty data', new Uint8Array()],
    ['invalid UTF-8', new Uint8Array([0xff, 0xfe, 0x7b])],
    ['not JSON', bytes('{"v":1,')],
    ['a JSON array', bytes('[1,"abc","2026-11-22T05:00:00Z"]')],
    ['JSON null', bytes('null')],
    ['an unknown version', bytes('{"v":2,"link":"abc","at":"2026-11-22T05:00:00Z"}')],
    ['no link', bytes('{"v":1,"at":"2026-11-22T05:00:00Z"}')],
    ['a link that is not a code', bytes('{"v":1,"link":"../etc","at":"2026-11-22T05:00:00Z"}')],
    ['a link longer than any alias', bytes(JSON.stringify({ v: 1, link: 'a'.repeat(65), at: '2026-11-22T05:00:00Z' }))],
    ['a time that is not a date', bytes('{"v":1,"link":"abc","at":"yesterday"}')],
    ['an id that is not an id', bytes('{"v":1,"link":"abc","at":"2026-11-22T05:00:00Z","id":{"x":1}}')],
    ['a created that is not a date', bytes('{"v":1,"link":"abc","at":"2026-11-22T05:00:00Z","created":"soon"}')],
    ['a created that is not a string', bytes('{"v":1,"link":"abc","at":"2026-11-22T05:00:00Z","created":5}')],
    ['an incarnation with a separator', bytes('{"v":1,"link":"abc","at":"2026-11-22T05:00:00Z","incarnation":"a#b"}')],
    ['a bot flag that is not true', bytes('{"v":1,"link":"abc","at":"2026-11-22T05:00:00Z","bot":"yes"}')],
    [
      'a visit with an unknown device',
      bytes(
        '{"v":1,"link":"abc","at":"2026-11-22T05:00:00Z","visit":{"referrer":"direct","country":"DE","device":"fridge","browser":"Chrome"}}',
      ),
    ],
  ])('R3.2 decoding %s gives nothing instead of throwing', (_, data) => {
    expect(decodeClick(data)).toBeUndefined();
  });

  it('R3.3 sequence numbers compare as numbers, and the marks their padded form stores compare as strings the same way', () => {
    const random = seededRandom(42);
    const digits = (n: number) => Array.from({ length: n }, (_, i) => String(random.int(i === 0 ? 1 : 0, 9))).join('');
    const numbers = Array.from({ length: 300 }, () => digits(random.int(1, 128)));
    const byNumber = [...numbers].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
    expect([...numbers].sort(compareSequenceNumbers)).toEqual(byNumber);
    const byPadded = [...numbers].sort((a, b) => {
      const pa = padSequenceNumber(a);
      const pb = padSequenceNumber(b);
      return pa < pb ? -1 : pa > pb ? 1 : 0;
    });
    expect(byPadded).toEqual(byNumber);
    for (const n of numbers) expect(unpadSequenceNumber(padSequenceNumber(n))).toBe(n);
  });

  it.each(['', '12a', '-1', '1'.repeat(129)])('R3.3 %j is not taken for a sequence number', (value) => {
    expect(isSequenceNumber(value)).toBe(false);
  });

  it('R6.3 the event source mapping settings keep one in-order consumer per shard, which exactly-once relies on', () => {
    expect(CLICK_STREAM.consumer.parallelizationFactor).toBe(1);
    expect(CLICK_STREAM.consumer.reportBatchItemFailures).toBe(true);
  });
});
