import { diagnose } from './diagnose';
import { blankInput, fieldCases } from './field-cases';
import { sizing } from './sizing';
import { Diagnosis, DiagnosisInput } from './types';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

function caseInput(title: string): DiagnosisInput {
  const found = fieldCases().find((c) => c.title === title);
  if (!found) {
    throw new Error(`no field case titled "${title}"`);
  }
  return found.input;
}

function kinds(d: Diagnosis): string[] {
  return d.verdicts.map((v) => v.kind);
}

function verdict(d: Diagnosis, kind: string) {
  const v = d.verdicts.find((x) => x.kind === kind);
  if (!v) {
    throw new Error(`expected a ${kind} verdict, got ${kinds(d).join(', ')}`);
  }
  return v;
}

describe('diagnosis of the field cases', () => {
  test('C1: a 500 ms burst to the 50 MiB limit is a transient spike and critical although no scrape passed 85 %', () => {
    const d = diagnose(caseInput('transient spike between scrapes'));

    expect(d.verdicts[0].kind).toBe('transient-spike');
    expect(d.verdicts[0].severity).toBe('critical');
    expect(d.verdicts[0].evidence.peakToLimit).toBe(1);
    expect(d.verdicts[0].evidence.sampledMaxToLimit).toBeCloseTo(41 / 50, 5);
    expect(d.verdicts[0].evidence.oomKills).toBe(1);
    expect(d.peakToLimit).toBe(1);
    expect(d.checklist).toEqual({
      spikedBriefly: 'yes',
      threadsAddingUp: 'unknown',
      limitTooCloseToAverage: 'yes',
      cacheUnbounded: 'unknown',
      metricsLagging: 'yes',
    });
  });

  test('C2: 916 MiB in the first 120 s with 120 MiB steady state is a startup spike, not a leak', () => {
    const d = diagnose(caseInput('startup spike'));
    const v = verdict(d, 'startup-spike');

    expect(d.verdicts[0].kind).toBe('startup-spike');
    expect(v.severity).toBe('warning');
    expect(v.evidence.startupPeakBytes).toBe(916 * MiB);
    expect(v.evidence.steadyBytes).toBe(120 * MiB);
    // A limit sized from steady state (256–512 MiB) stays below the startup peak.
    expect(v.evidence.steadySizedLimitBytes as number).toBeLessThan(916 * MiB);
    expect(kinds(d)).not.toContain('steady-growth');
    expect(kinds(d)).not.toContain('transient-spike');
  });

  test('C3: jemalloc resident 1.8 GiB over 100 MB of live bytes is allocator retention with about 7 % headroom', () => {
    const d = diagnose(caseInput('allocator keeps freed memory (jemalloc)'));
    const v = verdict(d, 'allocator-retention');

    expect(d.verdicts[0].kind).toBe('allocator-retention');
    expect(v.evidence.liveFlat).toBe('yes');
    expect(v.evidence.headroomRatio as number).toBeGreaterThanOrEqual(0.07);
    expect(v.evidence.headroomRatio as number).toBeLessThan(0.08);
    expect(v.summary).toContain('not a leak');
    expect(kinds(d)).not.toContain('steady-growth');
  });

  test('C4: 32 threads in 128 MiB is over the limit (102 %) and costs about 3.5 MiB per extra thread', () => {
    const d = diagnose(caseInput('one worker thread per host core'));
    const over = verdict(d, 'over-limit');
    const threads = verdict(d, 'threads');

    expect(over.evidence.heldToLimit).toBeCloseTo(130 / 128, 5);
    expect(Math.round((over.evidence.heldToLimit as number) * 100)).toBe(102);
    expect((threads.evidence.perThreadBytes as number) / MiB).toBeCloseTo(3.55, 2);
    expect(threads.summary).toContain('Cap worker threads to the CPU limit');
    expect(d.checklist.threadsAddingUp).toBe('yes');
  });

  test('C5: anon climbing 1.7 GiB an hour in steps with 68 threads reaches the 10 GiB limit in about 1.1 h', () => {
    const d = diagnose(caseInput('arenas times threads'));
    const v = verdict(d, 'allocator-retention');

    expect(d.verdicts[0].kind).toBe('allocator-retention');
    expect(v.evidence.threads).toBe(68);
    expect((v.evidence.growthBytesPerHour as number) / GiB).toBeCloseTo(1.7, 1);
    expect(v.evidence.hoursToLimit as number).toBeCloseTo(1.1, 1);
    expect(v.summary).toContain('file-backed part');
    expect(v.summary).toContain('not the risk');
    expect(d.checklist.threadsAddingUp).toBe('yes');
  });

  test('C6: a peak at the limit filled by page cache raises nothing: working set 22 %, anon 3 %', () => {
    const d = diagnose(caseInput('page cache fills the peak (cgroup v2)'));
    const v = verdict(d, 'reclaimable-memory');

    expect(d.verdicts.every((x) => x.severity === 'ok' || x.severity === 'info')).toBe(true);
    expect(v.evidence.workingSetToLimit).toBeCloseTo(56 / 256, 5);
    expect(Math.round((v.evidence.workingSetToLimit as number) * 100)).toBe(22);
    expect(Math.round((v.evidence.anonToLimit as number) * 100)).toBe(3);
    expect(v.summary).toContain('page cache');
    expect(d.checklist.spikedBriefly).toBe('no');
  });

  test('C7: 3.85 GiB of reclaimable slab makes 11.98 GiB of usage only 8.13 GiB (68 %) the kernel cannot reclaim', () => {
    const d = diagnose(caseInput('reclaimable kernel memory counted as used (cgroup v2)'));
    const v = verdict(d, 'reclaimable-memory');

    expect((v.evidence.unreclaimableBytes as number) / GiB).toBeCloseTo(8.13, 2);
    expect(Math.round((v.evidence.unreclaimableToLimit as number) * 100)).toBe(68);
    expect(v.summary).toContain('reclaimable kernel memory');
    expect(d.verdicts.some((x) => x.severity === 'critical' || x.severity === 'warning')).toBe(false);
  });

  test('C8: without a peak file the true peak is never claimed: spikes and lagging metrics are unknown', () => {
    const d = diagnose(caseInput('missing peak file'));

    expect(d.checklist.spikedBriefly).toBe('unknown');
    expect(d.checklist.metricsLagging).toBe('unknown');
    expect(d.verdicts[0].summary).toContain('sampled peak');
    expect(d.verdicts[0].confidence).toBeLessThanOrEqual(0.5);
  });

  test('C9: the proxy sidecar at 121 % of its 128 MiB limit is the risk; the pod total is never set against the app limit', () => {
    const [app, proxy] = fieldCases().filter((c) => c.id === 'C9');
    const appDiagnosis = diagnose(app.input);
    const proxyDiagnosis = diagnose(proxy.input);

    const sibling = verdict(appDiagnosis, 'sibling-at-risk');
    expect(sibling.evidence.container).toBe('proxy');
    expect(Math.round((sibling.evidence.containerToLimit as number) * 100)).toBe(121);
    expect(appDiagnosis.peakToLimit).toBeCloseTo(300 / 512, 5);
    const everyNumber = appDiagnosis.verdicts.flatMap((v) => Object.values(v.evidence));
    expect(everyNumber).not.toContain(455 * MiB);

    const over = verdict(proxyDiagnosis, 'over-limit');
    expect(Math.round((over.evidence.heldToLimit as number) * 100)).toBe(121);
  });

  test('C10: heap maximum plus non-heap at 115 % of the limit is a configuration warning, critical at 97 %, not a leak', () => {
    const input = caseInput('managed heap sized to the whole limit');
    const d = diagnose(input);
    const v = verdict(d, 'heap-sized-to-limit');

    expect(d.verdicts[0].kind).toBe('heap-sized-to-limit');
    expect(v.severity).toBe('critical');
    expect(v.evidence.configToLimit).toBeCloseTo(1.15, 5);
    expect(Math.round((v.evidence.anonToLimit as number) * 100)).toBe(97);
    expect(kinds(d)).not.toContain('steady-growth');

    // Earlier in the climb, the same configuration is a warning.
    const earlier = diagnose({ ...input, memory: { ...input.memory, anonBytes: 1500 * MiB } });
    expect(verdict(earlier, 'heap-sized-to-limit').severity).toBe('warning');
  });

  test('a container at 59 % of its limit at the true peak is healthy', () => {
    const d = diagnose(caseInput('comfortable headroom'));

    expect(kinds(d)).toEqual(['healthy']);
    expect(d.checklist.spikedBriefly).toBe('no');
  });

  test('a container without a limit is reported unlimited, never at 0 % or 100 %', () => {
    const d = diagnose(
      blankInput({ memory: { ...blankInput().memory, workingSetBytes: 300 * MiB, anonBytes: 280 * MiB } })
    );

    expect(d.peakToLimit).toBeNull();
    expect(d.verdicts[0].summary).toContain('No memory limit');
  });

  test('memory the kernel cannot reclaim rising along a line gives the hours left before the limit', () => {
    const now = Date.UTC(2026, 0, 15, 12);
    const unreclaimable = Array.from({ length: 61 }, (_, i) => ({ timeMs: now - (60 - i) * 60_000, bytes: 200 * MiB + i * MiB }));
    const d = diagnose(
      blankInput({
        limitBytes: 512 * MiB,
        unreclaimable,
        memory: { ...blankInput().memory, anonBytes: 260 * MiB, usageBytes: 280 * MiB, workingSetBytes: 270 * MiB },
      })
    );
    const v = verdict(d, 'steady-growth');

    expect((v.evidence.growthBytesPerHour as number) / MiB).toBeCloseTo(60, 5);
    expect(v.evidence.hoursToOom as number).toBeCloseTo((512 - 260) / 60, 5);
    expect(d.checklist.cacheUnbounded).toBe('yes');
  });
});

describe('sizing on the field cases', () => {
  test('C1: max sampled working set × 1.15 (48 MiB) would still OOM at the 50 MiB burst; ours holds it', () => {
    const s = sizing(caseInput('transient spike between scrapes'));
    const [ours, , krr] = s.recommendations;

    expect(krr.limitBytes).toBe(48 * MiB);
    expect(krr.survivesPeak).toBe(false);
    expect(ours.limitBytes).toBe(58 * MiB);
    expect(ours.survivesPeak).toBe(true);
  });

  test('C2: our limit is never below the 916 MiB startup peak', () => {
    const [ours] = sizing(caseInput('startup spike')).recommendations;

    expect(ours.limitBytes as number).toBeGreaterThanOrEqual(916 * MiB);
    expect(ours.requestBytes).toBe(120 * MiB);
    expect(ours.reasoning.join(' ')).toContain('startup peak');
  });

  test('C6: page cache does not inflate our limit: it follows the 56 MiB working set', () => {
    const [ours] = sizing(caseInput('page cache fills the peak (cgroup v2)')).recommendations;

    expect(ours.limitBytes).toBe(Math.ceil((56 * MiB * 1.15) / MiB) * MiB);
    expect(ours.survivesPeak).toBe(true);
  });

  test('C7: the request never exceeds the recommended limit', () => {
    const [ours] = sizing(caseInput('reclaimable kernel memory counted as used (cgroup v2)')).recommendations;

    expect(ours.requestBytes as number).toBeLessThanOrEqual(ours.limitBytes as number);
    expect((ours.limitBytes as number) / GiB).toBeCloseTo(8.13 * 1.15, 1);
  });
});
