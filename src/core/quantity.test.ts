import fc from 'fast-check';

import { parseQuantityBytes } from './quantity';

describe('parseQuantityBytes', () => {
  it.each([
    ['170Mi', 178257920],
    ['1Gi', 1073741824],
    ['128974848', 128974848],
    ['1e3', 1000],
    ['500M', 500000000],
    ['0.5Gi', 536870912],
    ['64Ki', 65536],
    ['2Ti', 2199023255552],
    ['1E', 1e18],
    ['1E3', 1000],
    ['129M', 129000000],
    ['1.5Mi', 1572864],
    [' 256Mi ', 268435456],
    ['+1k', 1000],
  ])('reads %s as %d bytes', (input, bytes) => {
    expect(parseQuantityBytes(input)).toBe(bytes);
  });

  it('rounds a fractional byte count up, as the API server does for memory', () => {
    expect(parseQuantityBytes('1.1Mi')).toBe(1153434);
    expect(parseQuantityBytes('1500m')).toBe(2);
  });

  it('takes a JSON number as bytes', () => {
    expect(parseQuantityBytes(536870912)).toBe(536870912);
  });

  it.each(['', 'Mi', '12MiB', '1.2.3', '-1Gi', 'abc', '1e', '10 Mi', '0x10', 'NaN', 'Infinity'])(
    'rejects %j as no quantity',
    (input) => {
      expect(parseQuantityBytes(input)).toBeNull();
    }
  );

  it.each([null, undefined, {}, [], true, -5, Number.NaN, Number.POSITIVE_INFINITY])('rejects %p', (input) => {
    expect(parseQuantityBytes(input)).toBeNull();
  });

  it('gives n Mi as n × 1048576 bytes for any whole n', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 30 }), (n) => parseQuantityBytes(`${n}Mi`) === n * 1048576));
  });

  it('never throws and gives null or a non-negative whole number for any string', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const bytes = parseQuantityBytes(text);
        return bytes === null || (Number.isInteger(bytes) && bytes >= 0);
      })
    );
  });
});
