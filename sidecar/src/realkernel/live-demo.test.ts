import { realCgroupV1Unavailable, removeAllChildren } from './cgroup-v1-child';
import { runLiveDemo } from './live-demo';

const MIB = 1024 * 1024;

const reason = realCgroupV1Unavailable();
if (reason) {
  console.warn(`skipped: real cgroup v1 live demonstration: ${reason}`);
}
const cgroupIt = reason ? it.skip : it;

afterAll(async () => {
  await removeAllChildren();
});

describe('live demonstration', () => {
  cgroupIt(
    'shows a true peak of 94 % of a 64 MiB limit where a 15 s sampler of usage read at most 60 %',
    async () => {
      const result = await runLiveDemo();

      expect(result).toMatchObject({ ok: true, limitBytes: 64 * MIB, method: 'v1-reset', spikes: 4 });
      if (!result.ok) {
        return;
      }
      expect(result.truePeakBytes).toBeGreaterThanOrEqual(0.9 * 64 * MIB);
      expect(result.sampled15sMaxBytes).toBeLessThan(0.6 * 64 * MIB);
    },
    30_000
  );
});
