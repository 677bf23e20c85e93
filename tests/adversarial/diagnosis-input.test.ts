// The diagnosis and its command line fed odd figures and odd files: a limit of 0, cgroups nobody named, truncated and
// very large files.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { joinContainers, MiB } from '../../src/core';
import { diagnose, diagnoseRows } from '../../src/core/diagnosis';
import { blankInput } from '../../src/core/diagnosis/field-cases';
import { SidecarContainer } from '../../src/core/sidecar-api';
import { sidecarContainer, sidecarResponse } from '../../src/core/test-objects';
import { main } from '../../tools/diagnose';

const NOW = Date.UTC(2024, 4, 2, 9, 0, 0);

/** A cgroup the sidecar watches by path only (cgroup scope, no pod list): no namespace, pod or container name. */
function unnamedCgroup(index: number, workingSetBytes: number, limitBytes: number): SidecarContainer {
  return sidecarContainer({
    id: `cgroup-${index}`,
    identity: {
      namespace: null,
      pod: null,
      container: null,
      podUid: null,
      containerId: null,
      cgroupPath: `batch/job-${index}`,
    },
    limitBytes,
    usageBytes: workingSetBytes + 4 * MiB,
    workingSetBytes,
  });
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'headroom-diagnose-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function run(file: string): { code: number; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(
    [file, '--json'],
    (s) => out.push(s),
    (s) => err.push(s)
  );
  return { code, out, err };
}

describe('diagnosis with odd figures', () => {
  it('a limit of 0 bytes gives no peak-to-limit ratio and never "Infinity %"', () => {
    const diagnosis = diagnose(
      blankInput({
        limitBytes: 0,
        memory: { ...blankInput().memory, workingSetBytes: 300 * MiB, anonBytes: 250 * MiB },
        sampledWorkingSet: [{ timeMs: NOW, bytes: 300 * MiB }],
      })
    );

    expect(diagnosis.peakToLimit).toBeNull();
    expect(diagnosis.verdicts.map((v) => v.summary).join(' ')).not.toMatch(/Infinity|NaN/);
  });

  it('cgroups without a pod name are not siblings: one near its limit does not blame the others', () => {
    const cgroups = [unnamedCgroup(1, 62 * MiB, 64 * MiB), unnamedCgroup(2, 10 * MiB, 256 * MiB)];
    const rows = joinContainers({ summaries: [], pods: null, sidecars: [sidecarResponse('worker-1', cgroups)] });

    const { diagnoses } = diagnoseRows(rows, NOW);

    expect(diagnoses.map((d) => d.container)).toEqual(['batch/job-1', 'batch/job-2']);
    expect(diagnoses[1].verdicts.map((v) => v.kind)).not.toContain('sibling-at-risk');
  });
});

describe('diagnose command with odd files', () => {
  it('a truncated sidecar answer exits 1 and names the file, printing no diagnosis', () => {
    const file = join(dir, 'truncated.json');
    const whole = JSON.stringify(sidecarResponse('worker-1', [unnamedCgroup(1, 40 * MiB, 64 * MiB)]));
    writeFileSync(file, whole.slice(0, whole.length - 40));

    const { code, out, err } = run(file);

    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err[0]).toMatch(new RegExp(`^cannot read ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
  });

  it('a file that is JSON but not a sidecar answer exits 1 with the reason', () => {
    const file = join(dir, 'list.json');
    writeFileSync(file, JSON.stringify([1, 2, 3]));

    const { code, out, err } = run(file);

    expect(code).toBe(1);
    expect(JSON.parse(out[0]).notices).toEqual([
      { severity: 'error', text: `sidecar ${file}: not a v1 containers answer` },
    ]);
    expect(err).toEqual([`no container could be diagnosed from ${file}`]);
  });

  it('10,000 unnamed containers in a 50 MB answer are each diagnosed on their own', () => {
    const cgroups = Array.from({ length: 10_000 }, (_, i) => {
      const container = unnamedCgroup(i, (30 + (i % 30)) * MiB, 64 * MiB);
      // About 5 KB of padding notices per container brings the file to the size of a large node's answer.
      container.notices = [`memory.pressure not readable: ${'x'.repeat(5_000)}`];
      return container;
    });
    const file = join(dir, 'node.json');
    const text = JSON.stringify(sidecarResponse('worker-1', cgroups));
    writeFileSync(file, text);

    const { code, out } = run(file);

    expect(text.length).toBeGreaterThan(50_000_000);
    expect(code).toBe(0);
    const result = JSON.parse(out[0]);
    expect(result.diagnoses).toHaveLength(10_000);
    expect(
      result.diagnoses.some((d: { verdicts: Array<{ kind: string }> }) =>
        d.verdicts.some((v) => v.kind === 'sibling-at-risk')
      )
    ).toBe(false);
  });
});
