import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ContainersResponse, SidecarContainer } from '../src/core/sidecar-api';
import { main } from './diagnose';

const MiB = 1024 * 1024;
const NOW = Date.UTC(2026, 0, 15, 12);

/** A sidecar answer for a 50 MiB container that idled at 38–42 MiB and burst to its limit once, then was killed. */
function spikyContainer(): SidecarContainer {
  const windows = [];
  for (let i = 0; i < 600; i++) {
    const endMs = NOW - (600 - i) * 1000 + 1000;
    const spike = i === 300;
    windows.push({
      startMs: endMs - 1000,
      endMs,
      peakBytes: spike ? 50 * MiB : (38 + (i % 5)) * MiB,
      peakExact: true,
      lastBytes: (38 + (i % 5)) * MiB,
      workingSetBytes: (37 + (i % 5)) * MiB,
      limitHit: spike,
      samples: 10,
    });
  }
  return {
    id: 'kubepods/burstable/pod1234/abcd',
    identity: {
      namespace: 'shop',
      pod: 'api-7d9f8b6c5-x2x4q',
      container: 'api',
      podUid: '1234',
      containerId: 'abcd',
      cgroupPath: 'kubepods/burstable/pod1234/abcd',
    },
    cgroupVersion: 1,
    method: 'v1-reset',
    windowMs: 1000,
    sampleIntervalMs: 100,
    firstSeenMs: NOW - 6 * 3_600_000,
    startedMs: null,
    timeMs: NOW,
    limitBytes: 50 * MiB,
    highBytes: null,
    usageBytes: 41 * MiB,
    workingSetBytes: 40 * MiB,
    unreclaimableBytes: 36 * MiB,
    breakdown: {
      anonBytes: 36 * MiB,
      fileBytes: 5 * MiB,
      activeFileBytes: 4 * MiB,
      inactiveFileBytes: 1 * MiB,
      shmemBytes: 0,
      kernelBytes: null,
      kernelStackBytes: null,
      pageTablesBytes: null,
      sockBytes: null,
      slabReclaimableBytes: null,
      slabUnreclaimableBytes: null,
    },
    lifetimePeakBytes: 50 * MiB,
    events: { max: 3, high: null, oom: 1, oom_kill: 1 },
    recentEvents: [
      { timeMs: NOW - 300_000, kind: 'max', delta: 3, count: 3 },
      { timeMs: NOW - 300_000, kind: 'oom_kill', delta: 1, count: 1 },
    ],
    pressure: null,
    threads: 14,
    allocator: null,
    windows,
    notices: [],
  };
}

function response(containers: SidecarContainer[]): ContainersResponse {
  return {
    apiVersion: 'v1',
    scope: 'pod',
    node: 'node-a',
    timeMs: NOW,
    fromMs: NOW - 600_000,
    toMs: NOW,
    containers,
    notices: [],
  };
}

describe('npm run diagnose', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'headroom-diagnose-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function run(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = main(args, (s) => out.push(s), (s) => err.push(s));
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  test('a saved sidecar answer with a burst to the limit between scrapes is diagnosed as a transient spike', () => {
    const file = join(dir, 'api.json');
    writeFileSync(file, JSON.stringify(response([spikyContainer()])));

    const { code, out } = run([file]);

    expect(code).toBe(0);
    expect(out).toContain('shop/api-7d9f8b6c5-x2x4q/api');
    expect(out).toContain('CRITICAL transient-spike');
    expect(out).toContain('spiked briefly yes');
    expect(out).toMatch(/krr-style +request +\d+\.\d MiB +limit +\d+\.\d MiB +OOM at the recorded peak/);
  });

  test('--json gives the verdicts, checklist and the three recommendations', () => {
    const file = join(dir, 'api.json');
    writeFileSync(file, JSON.stringify({ sidecar: response([spikyContainer()]) }));

    const { code, out } = run([file, '--json']);
    const parsed = JSON.parse(out);

    expect(code).toBe(0);
    expect(parsed.diagnoses[0].verdicts[0].kind).toBe('transient-spike');
    expect(parsed.diagnoses[0].truePeakBytes).toBe(50 * MiB);
    expect(parsed.recommendations[0].sizing.recommendations.map((r: { recommender: string }) => r.recommender)).toEqual([
      'headroom',
      'vpa-style',
      'krr-style',
    ]);
  });

  test('a configured heap maximum given beside the answer turns into a configuration verdict', () => {
    const file = join(dir, 'jvm.json');
    const c = spikyContainer();
    const jvm = { ...c, limitBytes: 2000 * MiB, breakdown: { ...c.breakdown, anonBytes: 1934 * MiB }, unreclaimableBytes: 1934 * MiB };
    writeFileSync(
      file,
      JSON.stringify({
        sidecar: response([jvm]),
        settings: { 'shop/api-7d9f8b6c5-x2x4q/api': { heapMaxBytes: 1600 * MiB, nonHeapBytes: 700 * MiB } },
      })
    );

    const { code, out } = run([file]);

    expect(code).toBe(0);
    expect(out).toContain('heap-sized-to-limit');
    expect(out).toContain('115 % of the limit');
  });

  test('a file that is not a sidecar answer fails with a message naming what is wrong', () => {
    const file = join(dir, 'page.json');
    writeFileSync(file, JSON.stringify({ hello: 'world' }));

    const { code, out, err } = run([file]);

    expect(code).toBe(1);
    expect(out).toContain('not a v1 containers answer');
    expect(err).toContain('no container could be diagnosed');
  });

  test('a missing file and a missing argument are clear errors', () => {
    expect(run([join(dir, 'nope.json')]).err).toContain('cannot read');
    expect(run([]).code).toBe(2);
  });
});
