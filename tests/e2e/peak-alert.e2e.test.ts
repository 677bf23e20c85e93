/**
 * End to end on the real kernel and a real Prometheus: a container that holds 45 % of its 64 MiB limit and spikes to
 * 94 % for 500 ms every 20 s, watched by the real sidecar and scraped every 15 s like a real setup. The shipped rule
 * HeadroomPeakNearLimit must fire from the sidecar's peak while the 5 minute average of scraped usage over the limit,
 * what a common memory alert reads, stays far below 80 %: the dashboards look fine and the alert still says why the
 * next spike may be an OOM kill.
 */
import { resolve } from 'node:path';

import {
  CgroupV1Child,
  realCgroupV1Unavailable,
  removeAllChildren,
} from '../../sidecar/src/realkernel/cgroup-v1-child';
import { type Spiker, startSpiker } from '../../sidecar/src/realkernel/workload';
import { pollUntil } from './poll-until';
import { findPrometheus, type PrometheusAlert, type RunningPrometheus, startPrometheus } from './prometheus-server';
import { type SidecarProcess, startSidecarProcess } from './sidecar-process';

const MIB = 1024 * 1024;
const LIMIT_BYTES = 64 * MIB;
const HOLD_TO_BYTES = 29 * MIB;
const SPIKE_TO_BYTES = Math.round(0.94 * LIMIT_BYTES);
const SPIKE_MS = 500;
const SPIKE_PERIOD_MS = 20_000;
const SPIKE_COUNT = 8;
/** Lets Prometheus scrape the steady level before the first spike. */
const FIRST_SPIKE_MS = 10_000;

/** Real setups scrape every 15 s (the kubelet's cAdvisor default is 10–15 s). */
const SCRAPE_INTERVAL_SECONDS = 15;
/** The rule group's own `interval: 30s` wins over this for the Headroom rules; 1 s only sets the default. */
const EVALUATION_INTERVAL_SECONDS = 1;

// Worst case from a spike to firing: the next scrape (15 s), the next 30 s step of the rule's [5m:30s] subquery,
// and the next evaluation of the 30 s rule group after that step (30 s): about 75 s after the first spike, which
// comes 10 s after the workload starts. The wait allows 120 s; with start-up the test stays under 3 minutes.
const FIRING_WAIT_MS = 120_000;
const TEST_TIMEOUT_MS = 150_000;

const RULE_FILE = resolve(__dirname, '..', '..', 'deploy', 'prometheus', 'headroom.rules.yml');
const ALERT_NAME = 'HeadroomPeakNearLimit';
/** The expression a common "memory near limit" alert or dashboard panel reads. */
const COMMON_AVERAGE = 'avg_over_time(headroom_memory_usage_bytes[5m]) / headroom_memory_limit_bytes';
const HIGHEST_SCRAPED = 'max_over_time(headroom_memory_usage_bytes[5m]) / headroom_memory_limit_bytes';

const prometheusBinary = findPrometheus();
const skipReason =
  realCgroupV1Unavailable() ??
  (prometheusBinary === null
    ? "the prometheus program is not on the PATH: install Debian's `prometheus` package (apt-get install prometheus)"
    : null);
if (skipReason) {
  console.warn(`skipped: end-to-end peak alert with a real Prometheus: ${skipReason}`);
}
const e2eTest = skipReason ? test.skip : test;

const cleanups: Array<() => Promise<void>> = [];

afterAll(async () => {
  const errors: string[] = [];
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (error) {
      errors.push((error as Error).message);
    }
  }
  try {
    await removeAllChildren();
  } catch (error) {
    errors.push((error as Error).message);
  }
  if (errors.length > 0) {
    throw new Error(`cleanup failed: ${errors.join('; ')}`);
  }
}, 30_000);

/** Everything known when the wait ends without a firing alert, so a failure says where the chain broke. */
async function describeNoFiring(prometheus: RunningPrometheus, sidecar: SidecarProcess, alerts: PrometheusAlert[]) {
  const safely = async (what: () => Promise<unknown>) => {
    try {
      return JSON.stringify(await what());
    } catch (error) {
      return (error as Error).message;
    }
  };
  return [
    `${ALERT_NAME} did not fire within ${FIRING_WAIT_MS} ms.`,
    `alerts: ${JSON.stringify(alerts)}`,
    `targets: ${await safely(() => prometheus.targets())}`,
    `peak / limit: ${await safely(() => prometheus.query('headroom_memory_peak_bytes / headroom_memory_limit_bytes'))}`,
    `sidecar log:\n${sidecar.log()}`,
    `prometheus log:\n${prometheus.log()}`,
  ].join('\n');
}

describe('the peak alert with the real sidecar and a real Prometheus', () => {
  e2eTest(
    'spikes of 500 ms to 94 % of a 64 MiB limit fire HeadroomPeakNearLimit while the 5 minute average of scraped usage stays near 45 %',
    async () => {
      const child = CgroupV1Child.create('e2e-peak', LIMIT_BYTES);
      cleanups.push(() => child.remove());

      const sidecar = await startSidecarProcess([
        '--cgroup',
        child.dir,
        '--name',
        'spiker',
        '--v1-reset-peak',
        '--window',
        '1s',
        '--peak-window',
        '60s',
      ]);
      cleanups.push(() => sidecar.stop());

      const prometheus = await startPrometheus(prometheusBinary!, {
        scrapeIntervalSeconds: SCRAPE_INTERVAL_SECONDS,
        evaluationIntervalSeconds: EVALUATION_INTERVAL_SECONDS,
        ruleFiles: [RULE_FILE],
        jobs: [{ jobName: 'headroom-sidecar', target: sidecar.address, labels: { namespace: 'e2e', pod: 'spiker-0' } }],
      });
      cleanups.push(() => prometheus.stop());

      const spiker: Spiker = startSpiker(child, {
        holdToBytes: HOLD_TO_BYTES,
        spikeToBytes: SPIKE_TO_BYTES,
        spikeMs: SPIKE_MS,
        periodMs: SPIKE_PERIOD_MS,
        count: SPIKE_COUNT,
        firstSpikeMs: FIRST_SPIKE_MS,
      });
      cleanups.push(async () => {
        await spiker.stop();
      });
      await spiker.waitFor('holding', 15_000);

      let lastAlerts: PrometheusAlert[] = [];
      const firing = await pollUntil(
        async () => {
          lastAlerts = await prometheus.alerts();
          return lastAlerts.find((alert) => alert.labels.alertname === ALERT_NAME && alert.state === 'firing') ?? null;
        },
        {
          timeoutMs: FIRING_WAIT_MS,
          intervalMs: 1000,
          describeTimeout: () => describeNoFiring(prometheus, sidecar, lastAlerts),
        }
      );

      // What the rule saw is evaluated at the instant it became active; `for: 0m` makes that the firing instant.
      const firedAtMs = Date.parse(firing.activeAt!);
      const averages = await prometheus.query(COMMON_AVERAGE, firedAtMs);
      const highestScraped = await prometheus.query(HIGHEST_SCRAPED, firedAtMs);
      const firstSpike = spiker.events.find((event) => event.event === 'spike-peak' && event.index === 0);
      expect(firstSpike).toBeDefined();
      expect(averages).toHaveLength(1);
      expect(highestScraped).toHaveLength(1);
      const average = averages[0].value;
      const peakToLimit = Number(firing.value);
      const spikesBefore = spiker.events.filter(
        (event) => event.event === 'spike-peak' && event.timeMs < firedAtMs
      ).length;

      console.log(
        [
          `${ALERT_NAME} (${firing.labels.severity}) fired ${((firedAtMs - firstSpike!.timeMs) / 1000).toFixed(1)} s`,
          `after the first spike (${spikesBefore} spike(s) by then),`,
          `peak net of page cache ${(peakToLimit * 100).toFixed(1)} % of the limit;`,
          `${COMMON_AVERAGE} = ${(average * 100).toFixed(1)} %,`,
          `highest scraped usage ${(highestScraped[0].value * 100).toFixed(1)} %;`,
          `also firing: ${
            lastAlerts
              .filter((alert) => alert.state === 'firing' && alert.labels.alertname !== ALERT_NAME)
              .map((alert) => alert.labels.alertname)
              .join(', ') || 'nothing'
          }`,
        ].join(' ')
      );

      expect(firing.labels).toMatchObject({ namespace: 'e2e', pod: 'spiker-0', container: 'spiker' });
      expect(firedAtMs).toBeGreaterThan(firstSpike!.timeMs);
      expect(peakToLimit).toBeGreaterThanOrEqual(0.9);
      expect(peakToLimit).toBeLessThan(1);

      // The point: a common average-based expression saw the steady 45 %, nowhere near an 80 % threshold.
      expect(average).toBeGreaterThan(0.4);
      expect(average).toBeLessThan(0.8);

      // The spikes stayed under the limit: the kernel never had to reclaim or kill.
      expect(child.readNumber('memory.failcnt')).toBe(0);
      expect(child.oomKillCount() ?? 0).toBe(0);
    },
    TEST_TIMEOUT_MS
  );
});
