import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';

import { ownMemoryCgroup } from '../sidecar/src/realkernel/cgroup-v1-child';
import { sharedPath } from '../src/test-support/shared';
import { liveContainerUnavailable } from './replay/live-container';

const REPO = resolve(__dirname, '..');
const FIXTURES = sharedPath('fixtures', 'kubelet-summary');
const MiB = 1024 * 1024;

/** Runs `npm run report -- ...` as a separate process, as an operator would. */
function report(...args: string[]) {
  const run = spawnSync(process.execPath, [require.resolve('tsx/cli'), join('tools', 'report.ts'), ...args], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The cells of the table row for a pod and container, split on the column gaps. */
function row(stdout: string, pod: string, container: string): string[] {
  const line = stdout.split('\n').find((l) => l.includes(` ${pod} `) && l.includes(` ${container} `));
  if (!line) {
    throw new Error(`no row for ${pod}/${container} in:\n${stdout}`);
  }
  return line.trim().split(/ {2,}/);
}

jest.setTimeout(180_000);

describe('report on the real kubelet summaries, through the DataSource and the stand-in Grafana', () => {
  it('prints coredns with its 170 MiB limit read back from availableBytes + workingSetBytes', () => {
    const { code, stdout } = report(
      '--summaries',
      FIXTURES,
      '--no-live',
      '--namespace',
      'kube-system',
      '--selector',
      'app=coredns'
    );

    expect(code).toBe(0);
    // 172007424 + 6250496 = 178257920 bytes = 170 MiB; working set 6250496 = 6.0 MiB; headroom 164.0 MiB; 3.5 %.
    // coredns runs no peak sidecar, so its peak is unknown.
    expect(row(stdout, 'coredns-66bff467f8-szddj', 'coredns')).toEqual([
      'kube-system',
      'coredns-66bff467f8-szddj',
      'coredns',
      'minikube',
      '170.0',
      '6.0',
      '7.6',
      '164.0',
      '3.5%',
      '-',
      '-',
      'spec',
      '-',
    ]);
    expect(stdout.split('\n').filter((line) => line.includes(' coredns '))).toHaveLength(2);
  });

  it('--json prints the frames with the exact limit in bytes', () => {
    const { code, stdout } = report('--summaries', FIXTURES, '--no-live', '--json', '--namespace', 'default');

    expect(code).toBe(0);
    const frames = JSON.parse(stdout);
    const fields = Object.fromEntries(
      frames[0].fields.map((field: { name: string; values: unknown[] }) => [field.name, field.values])
    );
    expect(fields.pod).toEqual(['go-hello-world-5456b4b8cd-99vxc']);
    expect(fields.workingSet).toEqual([25083904]);
    expect(fields.limit).toEqual([null]);
    expect(fields.limitSource).toEqual(['unlimited']);
    expect(frames.map((frame: { name: string }) => frame.name)).toEqual(['containers']);
  });

  it('a node that fails gives a partial table and a notice naming that node', () => {
    const { code, stdout } = report(
      '--summaries',
      FIXTURES,
      '--no-live',
      '--selector',
      'app in (coredns,kube-dns)',
      '--fault',
      'minikube=status500'
    );

    expect(code).toBe(0);
    expect(row(stdout, 'kube-dns-5877696fb4-m6cvp', 'kubedns').slice(4, 9)).toEqual([
      '170.0',
      '12.1',
      '12.1',
      '157.9',
      '7.1%',
    ]);
    expect(row(stdout, 'coredns-66bff467f8-szddj', 'coredns')[5]).toBe('-');
    const notices = stdout.slice(stdout.indexOf('Notices:'));
    expect(notices).toContain('node "minikube"');
    expect(notices).toContain('HTTP 500');
  });

  it('exits non-zero with a clear message on a missing directory', () => {
    const missing = join(tmpdir(), 'headroom-no-summaries-here');
    const { code, stderr } = report('--summaries', missing);

    expect(code).toBe(2);
    expect(stderr).toContain(`report: cannot read the summary directory ${missing}`);
  });

  it('a live container spiking to 94 % of its limit shows a peak above 90 % where the 15 s sampler read about 41 %', () => {
    const reason = liveContainerUnavailable();
    if (reason) {
      console.warn(`live container not run: ${reason}; checking that the report says so instead`);
      const { code, stdout } = report('--summaries', FIXTURES, '--namespace', 'headroom-demo');

      expect(code).toBe(0);
      expect(stdout).toContain(`Live container: not shown, ${reason}`);
      return;
    }

    const own = ownMemoryCgroup();
    const childCgroups = () => ('reason' in own ? [] : readdirSync(join(own.mountPoint, own.path)));
    const before = new Set(childCgroups());
    const { code, stdout } = report('--summaries', FIXTURES, '--json', '--namespace', 'headroom-demo');

    expect(code).toBe(0);
    const frames: Array<{ name: string; fields: Array<{ name: string; values: unknown[] }> }> = JSON.parse(stdout);
    const columns = (name: string) =>
      Object.fromEntries(frames.find((f) => f.name === name)!.fields.map((field) => [field.name, field.values]));
    const containers = columns('containers');
    const live = columns('live-container');

    // The row comes from the plugin's join: the pod spec's 64Mi limit and the sidecar's peak, reached by the pod proxy.
    expect(containers.pod).toEqual(['spiky-app']);
    expect(containers.container).toEqual(['app']);
    expect(containers.limit).toEqual([64 * MiB]);
    expect(containers.peakMethod).toEqual(['v1-reset']);
    const peak = containers.peak[0] as number;
    expect(peak).toBeGreaterThanOrEqual(0.9 * 64 * MiB);
    expect(containers.peakToLimit[0]).toBeCloseTo(peak / (64 * MiB), 10);

    expect(live.peak).toEqual([peak]);
    expect(live.spikes).toEqual([4]);
    expect(live.sampledReads).toEqual([2]);
    const sampledMax = live.sampledMax[0] as number;
    expect(sampledMax).toBeLessThan(0.6 * 64 * MiB);
    expect(sampledMax).toBeLessThan(peak);

    // Nothing is left behind: the report removed the child cgroup it made.
    const left = childCgroups().filter((name) => !before.has(name) && name.startsWith('headroom-report-live-'));
    expect(left).toEqual([]);
  });
});
