import { parseTimeMs } from './timestamp';

describe('parseTimeMs', () => {
  it.each([
    ['2020-04-20T22:52:27Z', Date.UTC(2020, 3, 20, 22, 52, 27)],
    ['2024-05-02T08:41:07.123456789Z', Date.UTC(2024, 4, 2, 8, 41, 7, 123)],
    ['2024-05-02T10:41:07+02:00', Date.UTC(2024, 4, 2, 8, 41, 7)],
  ])('reads %s', (text, ms) => {
    expect(parseTimeMs(text)).toBe(ms);
  });

  it.each([null, undefined, '', '2024-05-02', 'yesterday', 1714640467000, '2024-13-45T99:99:99Z'])(
    'gives null for %p',
    (value) => {
      expect(parseTimeMs(value)).toBeNull();
    }
  );
});
