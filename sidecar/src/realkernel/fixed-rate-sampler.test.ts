import { expectedCatchShare, samplerSeesSpike } from './fixed-rate-sampler';

describe('fixed-rate sampler', () => {
  const spike = { peakMs: 1_000_300, endMs: 1_000_600 };

  it('sees a 300 ms spike only when a read falls inside it', () => {
    expect(samplerSeesSpike(spike, 15_000, 1_000_400 % 15_000)).toBe(true);
    expect(samplerSeesSpike(spike, 15_000, 1_000_700 % 15_000)).toBe(false);
    expect(samplerSeesSpike(spike, 15_000, 1_000_300 % 15_000)).toBe(true);
    expect(samplerSeesSpike(spike, 15_000, 1_000_600 % 15_000)).toBe(true);
  });

  it('a 15 s sampler at a random phase catches a 300 ms spike 2 % of the time', () => {
    expect(expectedCatchShare([spike], 15_000, 15_000)).toBeCloseTo(301 / 15_000, 6);
  });

  it('a 1 s sampler catches every spike that lasts a full second', () => {
    expect(expectedCatchShare([{ peakMs: 5_000_250, endMs: 5_001_250 }], 1_000)).toBe(1);
  });

  it('no spikes means nothing caught, not a division by zero', () => {
    expect(expectedCatchShare([], 15_000)).toBe(0);
  });
});
