import { parseWholeNumber } from './useWholeNumberDraft';

describe('parseWholeNumber', () => {
  it('reads "3000" as 3000 milliseconds', () => {
    expect(parseWholeNumber('3000', { min: 1 })).toEqual({ valid: true, value: 3000 });
  });

  it('reads empty or blank text as no value, so the default applies, never as 0', () => {
    expect(parseWholeNumber('  ', { min: 1 })).toEqual({ valid: true, value: undefined });
  });

  it('rejects units, fractions, signs and exponents instead of guessing: "5s", "2.5", "-1", "1e3"', () => {
    const results = ['5s', '2.5', '-1', '1e3'].map((text) => parseWholeNumber(text, { min: 1 }).valid);

    expect(results).toEqual([false, false, false, false]);
  });

  it('rejects 0 when the minimum is 1 and a port of 65536 when the maximum is 65535', () => {
    expect(parseWholeNumber('0', { min: 1 })).toEqual({ valid: false });
    expect(parseWholeNumber('65536', { min: 1, max: 65535 })).toEqual({ valid: false });
    expect(parseWholeNumber('65535', { min: 1, max: 65535 })).toEqual({ valid: true, value: 65535 });
  });
});
