import { readFileSync } from 'node:fs';

import fc from 'fast-check';

import { sharedPath } from '../test-support/shared';
import { joinContainers } from './containers';
import { MiB } from './headroom';
import { NodeSummary, parseSummary } from './kubelet-summary';
import { PodInfo, parsePodList } from './pod-list';
import { sidecarContainer, sidecarResponse, summaryBody, summaryContainer, v1Pod, v1PodList } from './test-objects';

const t = (hhmmss: string) => Date.parse(`2024-05-02T${hhmmss}Z`);

function summaryOf(body: unknown, node = 'node-a'): NodeSummary {
  return parseSummary(body, node).summary!;
}

function podsOf(...pods: Array<Record<string, unknown>>): PodInfo[] {
  return parsePodList(v1PodList(...pods)).pods;
}

describe('joinContainers', () => {
  it('compares each container with its own limit: the 128 Mi proxy at 155 Mi is at 121 %, not the pod at 455 of 512 Mi (C9)', () => {
    const pods = podsOf(
      v1Pod({
        name: 'checkout-6f7c9',
        containers: [
          { name: 'app', limit: '512Mi', request: '512Mi' },
          { name: 'proxy', limit: '128Mi', request: '64Mi' },
        ],
      })
    );
    const summary = summaryOf(
      summaryBody('node-a', [
        {
          name: 'checkout-6f7c9',
          containers: [
            summaryContainer('app', { usage: 340 * MiB, workingSet: 300 * MiB, rss: 280 * MiB, available: 212 * MiB }),
            summaryContainer('proxy', { usage: 160 * MiB, workingSet: 155 * MiB, rss: 150 * MiB, available: 0 }),
          ],
        },
      ])
    );

    const rows = joinContainers({ summaries: [summary], pods });

    expect(rows.map((r) => [r.container, r.limitBytes, r.limitSource, r.workingSetBytes, r.headroomBytes])).toEqual([
      ['app', 512 * MiB, 'spec', 300 * MiB, 212 * MiB],
      ['proxy', 128 * MiB, 'spec', 155 * MiB, -27 * MiB],
    ]);
    expect(rows[0].workingSetToLimit).toBeCloseTo(0.586, 3);
    expect(rows[1].workingSetToLimit).toBeCloseTo(1.211, 3);
    expect(rows.every((r) => r.workingSetToLimit !== (300 + 155) / 512)).toBe(true);
  });

  it('recovers coredns’s 170 MiB limit from availableBytes + workingSetBytes when no pod spec is known', () => {
    const text = readFileSync(sharedPath('fixtures', 'kubelet-summary', 'minikube-2020.json'), 'utf8');

    const rows = joinContainers({ summaries: [summaryOf(JSON.parse(text), 'minikube')], pods: null });
    const coredns = rows.find((r) => r.pod === 'coredns-66bff467f8-szddj')!;

    expect(rows).toHaveLength(9);
    expect(coredns.limitBytes).toBe(170 * MiB);
    expect(coredns.limitSource).toBe('available');
    expect(coredns.headroomBytes).toBe(172007424);
    expect(coredns.workingSetToLimit).toBeCloseTo(6250496 / 178257920, 10);
    expect(coredns.inactiveFileBytes).toBe(7942144 - 6250496);
    expect(coredns.notes).toContain('limit derived from the kubelet: available + working set');
  });

  it('shows the seven minikube containers without availableBytes as unlimited, with no headroom and no ratio', () => {
    const text = readFileSync(sharedPath('fixtures', 'kubelet-summary', 'minikube-2020.json'), 'utf8');

    const rows = joinContainers({ summaries: [summaryOf(JSON.parse(text), 'minikube')], pods: null });
    const unlimited = rows.filter((r) => r.unlimited);

    expect(unlimited.map((r) => r.container).sort()).toEqual([
      'etcd',
      'kube-apiserver',
      'kube-controller-manager',
      'kube-proxy',
      'kube-scheduler',
      'server',
      'storage-provisioner',
    ]);
    for (const row of unlimited) {
      expect(row).toMatchObject({
        limitBytes: null,
        limitSource: 'none',
        headroomBytes: null,
        workingSetToLimit: null,
      });
      expect(row.notes).toContain('no limit: the kubelet reports no available bytes, so no headroom');
    }
  });

  it('recovers the three GKE limits: 20 MiB, 500 MiB and 170 MiB', () => {
    const text = readFileSync(sharedPath('fixtures', 'kubelet-summary', 'gke-2019.json'), 'utf8');

    const rows = joinContainers({ summaries: [summaryOf(text, 'gke-team-pool-1-1c8b424c-wnkn')], pods: null });

    expect(rows).toHaveLength(17);
    expect(rows.filter((r) => r.limitBytes !== null).map((r) => [r.container, r.limitBytes])).toEqual([
      ['prometheus-to-sd-new-model', 20 * MiB],
      ['fluentd-gcp', 500 * MiB],
      ['kubedns', 170 * MiB],
    ]);
  });

  it('prefers the pod spec’s limit over the one the kubelet implies', () => {
    const pods = podsOf(v1Pod({ name: 'api-1', containers: [{ name: 'api', limit: '1Gi' }] }));
    const summary = summaryOf(
      summaryBody('node-a', [
        {
          name: 'api-1',
          containers: [summaryContainer('api', { usage: 600 * MiB, workingSet: 500 * MiB, available: 524 * MiB })],
        },
      ])
    );

    const [row] = joinContainers({ summaries: [summary], pods });

    expect(row.limitBytes).toBe(1024 * MiB);
    expect(row.limitSource).toBe('spec');
    expect(row.availableBytes).toBe(524 * MiB);
  });

  it('treats an unreadable limit in the spec as unknown, not unlimited, and falls back to the kubelet’s', () => {
    const pods = podsOf(v1Pod({ name: 'api-1', containers: [{ name: 'api', limit: '512MB' }] }));
    const summary = summaryOf(
      summaryBody('node-a', [
        {
          name: 'api-1',
          containers: [summaryContainer('api', { usage: 300 * MiB, workingSet: 250 * MiB, available: 262 * MiB })],
        },
      ])
    );

    const [row] = joinContainers({ summaries: [summary], pods });

    expect(row).toMatchObject({ limitBytes: 512 * MiB, limitSource: 'available', unlimited: false });
    expect(row.notes).toEqual([
      'memory limit "512MB" is not a valid quantity',
      'limit derived from the kubelet: available + working set',
    ]);
  });

  describe('payloads that lie (C11): missing or unlimited with a reason, never 0 % or 100 % headroom', () => {
    const pods = podsOf(
      v1Pod({
        name: 'mixed-1',
        containers: [
          { name: 'zero-ws' },
          { name: 'all-zero' },
          { name: 'no-available' },
          { name: 'healthy', limit: '256Mi' },
        ],
      })
    );
    const body = summaryBody('node-a', [
      {
        name: 'mixed-1',
        containers: [
          {
            name: 'zero-ws',
            startTime: '2024-05-02T08:00:00Z',
            memory: { time: '2024-05-02T09:00:00Z', workingSetBytes: 0 },
          },
          summaryContainer('all-zero', { usage: 0, workingSet: 0, rss: 0, available: 1073741824 }),
          summaryContainer('no-available', { usage: 80 * MiB, workingSet: 64 * MiB, rss: 60 * MiB }),
          summaryContainer('healthy', { usage: 120 * MiB, workingSet: 100 * MiB, rss: 90 * MiB, available: 156 * MiB }),
        ],
      },
    ]);

    it('shows each container as the rule says, without pod specs', () => {
      const rows = joinContainers({ summaries: [summaryOf(body)], pods: null });
      const byName = new Map(rows.map((r) => [r.container, r]));

      expect(byName.get('zero-ws')).toMatchObject({
        workingSetBytes: null,
        headroomBytes: null,
        workingSetToLimit: null,
      });
      expect(byName.get('zero-ws')!.notes).toEqual([
        'kubelet reported only a working set of 0: memory not measured',
        'limit unknown',
      ]);
      expect(byName.get('all-zero')).toMatchObject({
        workingSetBytes: null,
        limitBytes: null,
        unlimited: false,
        headroomBytes: null,
        workingSetToLimit: null,
      });
      expect(byName.get('all-zero')!.notes).toEqual([
        'kubelet reported usage, working set and RSS all 0: memory not measured',
        'a limit is set but unknown: the working set was not measured',
      ]);
      expect(byName.get('no-available')).toMatchObject({
        unlimited: true,
        headroomBytes: null,
        workingSetToLimit: null,
      });
      expect(byName.get('healthy')).toMatchObject({ limitBytes: 256 * MiB, headroomBytes: 156 * MiB });
    });

    it('shows each container as the rule says, with pod specs', () => {
      const rows = joinContainers({ summaries: [summaryOf(body)], pods });

      expect(rows.map((r) => [r.container, r.workingSetToLimit === null, r.headroomBytes])).toEqual([
        ['zero-ws', true, null],
        ['all-zero', true, null],
        ['no-available', true, null],
        ['healthy', false, 156 * MiB],
      ]);
      expect(rows[2].notes).toContain('no memory limit in the pod spec: unlimited, so no headroom');
    });
  });

  it('lists spec containers the kubelet has no stats for, saying so', () => {
    const pods = podsOf(v1Pod({ name: 'api-1', containers: [{ name: 'api', limit: '512Mi' }] }));

    const [row] = joinContainers({ summaries: [], pods });

    expect(row).toMatchObject({ container: 'api', limitBytes: 512 * MiB, workingSetBytes: null, headroomBytes: null });
    expect(row.notes).toEqual(['no kubelet stats for this container']);
  });

  it('shows only the pods in scope when a pod list is given, though a summary lists every pod of its node', () => {
    const pods = podsOf(v1Pod({ name: 'api-1', containers: [{ name: 'api', limit: '512Mi' }] }));
    const summary = summaryOf(
      summaryBody('node-a', [
        { name: 'api-1', containers: [summaryContainer('api', { usage: 300 * MiB, workingSet: 250 * MiB })] },
        {
          name: 'other-1',
          namespace: 'billing',
          containers: [summaryContainer('x', { usage: 30 * MiB, workingSet: 25 * MiB })],
        },
      ])
    );

    const rows = joinContainers({ summaries: [summary], pods });

    expect(rows.map((r) => `${r.namespace}/${r.pod}/${r.container}`)).toEqual(['shop/api-1/api']);
  });

  it('skips finished init containers but keeps one the kubelet still reports', () => {
    const pods = podsOf(
      v1Pod({
        name: 'db-0',
        initContainers: [
          { name: 'migrate', limit: '256Mi' },
          { name: 'seed', limit: '128Mi' },
        ],
        containers: [{ name: 'db', limit: '2Gi' }],
      })
    );
    const summary = summaryOf(
      summaryBody('node-a', [
        { name: 'db-0', containers: [summaryContainer('seed', { usage: 60 * MiB, workingSet: 50 * MiB })] },
      ])
    );

    const rows = joinContainers({ summaries: [summary], pods });

    expect(rows.map((r) => [r.container, r.init])).toEqual([
      ['seed', true],
      ['db', false],
    ]);
  });

  it('filters rows by container name, node, pod and namespace', () => {
    const pods = podsOf(
      v1Pod({ name: 'api-1', nodeName: 'node-a', containers: [{ name: 'api' }, { name: 'proxy' }] }),
      v1Pod({ name: 'api-2', nodeName: 'node-b', containers: [{ name: 'api' }, { name: 'proxy' }] })
    );

    const key = (filter: object) =>
      joinContainers({ summaries: [], pods, filter }).map((r) => `${r.pod}/${r.container}`);

    expect(key({ container: 'proxy' })).toEqual(['api-1/proxy', 'api-2/proxy']);
    expect(key({ node: 'node-b' })).toEqual(['api-2/api', 'api-2/proxy']);
    expect(key({ pod: 'api-1', container: 'api' })).toEqual(['api-1/api']);
    expect(key({ namespace: 'billing' })).toEqual([]);
  });

  it('carries restarts and the last OOM kill from the pod status', () => {
    const pods = podsOf(
      v1Pod({
        name: 'worker-0',
        containers: [
          {
            name: 'worker',
            limit: '1Gi',
            restartCount: 4,
            lastTerminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: '2024-05-02T08:41:07Z' },
          },
        ],
      })
    );

    const [row] = joinContainers({ summaries: [], pods });

    expect(row).toMatchObject({
      restartCount: 4,
      lastTerminationReason: 'OOMKilled',
      lastTerminationMs: t('08:41:07'),
      lastExitCode: 137,
      oomKilled: true,
    });
  });

  describe('with sidecars', () => {
    const pods = podsOf(v1Pod({ name: 'api-1', uid: 'a1b2c3', containers: [{ name: 'api', limit: '50Mi' }] }));
    const summary = summaryOf(
      summaryBody('node-a', [
        {
          name: 'api-1',
          uid: 'a1b2c3',
          containers: [summaryContainer('api', { usage: 42 * MiB, workingSet: 41 * MiB, available: 9 * MiB })],
        },
      ])
    );
    const window = (start: string, end: string, peak: number, limitHit = false) => ({
      startMs: t(start),
      endMs: t(end),
      peakBytes: peak,
      peakExact: true,
      lastBytes: 40 * MiB,
      workingSetBytes: 39 * MiB,
      limitHit,
      samples: 100,
    });

    it('finds the true peak at the limit and the OOM kill that 30 s scrapes missed (C1)', () => {
      const sidecar = sidecarContainer({
        identity: {
          namespace: 'shop',
          pod: 'api-1',
          container: 'api',
          podUid: 'a1b2c3',
          containerId: 'abc',
          cgroupPath: 'x',
        },
        limitBytes: 50 * MiB,
        lifetimePeakBytes: 50 * MiB,
        events: { max: 3, high: 0, oom: 1, oom_kill: 1 },
        recentEvents: [
          { timeMs: t('08:30:05'), kind: 'max', delta: 3, count: 3 },
          { timeMs: t('08:30:05'), kind: 'oom_kill', delta: 1, count: 1 },
        ],
        windows: [
          window('08:29:50', '08:30:00', 42 * MiB),
          window('08:30:00', '08:30:10', 50 * MiB, true),
          window('08:30:10', '08:30:20', 41 * MiB),
        ],
        breakdown: {
          ...sidecarContainer({ identity: {} as never }).breakdown,
          anonBytes: 38 * MiB,
          fileBytes: 3 * MiB,
        },
        threads: 12,
      });

      const [row] = joinContainers({
        summaries: [summary],
        pods,
        sidecars: [sidecarResponse('node-a', [sidecar])],
        range: { fromMs: t('08:00:00'), toMs: t('09:00:00') },
      });

      expect(row.workingSetToLimit).toBeCloseTo(0.82, 2);
      expect(row.peakToLimit).toBe(1);
      expect(row.peakHeadroomBytes).toBe(0);
      expect(row.sidecar).toMatchObject({
        peakBytes: 50 * MiB,
        peakTimeMs: t('08:30:10'),
        peakExact: true,
        lifetimePeakBytes: 50 * MiB,
        limitHits: 3,
        oomKills: 1,
        method: 'v2-peak-reset',
        anonBytes: 38 * MiB,
        fileBytes: 3 * MiB,
        threads: 12,
      });
    });

    it('matches by namespace, pod and container name when the sidecar knows no pod UID', () => {
      const sidecar = sidecarContainer({
        identity: {
          namespace: 'shop',
          pod: 'api-1',
          container: 'api',
          podUid: null,
          containerId: null,
          cgroupPath: 'x',
        },
        windows: [window('08:30:00', '08:30:10', 47 * MiB)],
      });

      const rows = joinContainers({ summaries: [summary], pods, sidecars: [sidecarResponse('node-a', [sidecar])] });

      expect(rows).toHaveLength(1);
      expect(rows[0].sidecar?.peakBytes).toBe(47 * MiB);
      expect(rows[0].peakToLimit).toBeCloseTo(0.94, 2);
    });

    it('counts only windows and events inside the range', () => {
      const sidecar = sidecarContainer({
        identity: {
          namespace: 'shop',
          pod: 'api-1',
          container: 'api',
          podUid: 'a1b2c3',
          containerId: null,
          cgroupPath: 'x',
        },
        recentEvents: [{ timeMs: t('07:00:00'), kind: 'oom_kill', delta: 1, count: 1 }],
        windows: [window('07:00:00', '07:00:10', 50 * MiB, true), window('08:30:00', '08:30:10', 44 * MiB)],
      });

      const [row] = joinContainers({
        summaries: [summary],
        pods,
        sidecars: [sidecarResponse('node-a', [sidecar])],
        range: { fromMs: t('08:00:00'), toMs: t('09:00:00') },
      });

      expect(row.sidecar).toMatchObject({ peakBytes: 44 * MiB, limitHits: 0, oomKills: 0 });
      expect(row.sidecar?.windows).toHaveLength(1);
    });

    it('keeps the OOM kill and peak of the instance that died when the container restarted', () => {
      const identity = { namespace: 'shop', pod: 'api-1', container: 'api', podUid: 'a1b2c3', cgroupPath: 'x' };
      const killed = sidecarContainer({
        id: 'cg-old',
        identity: { ...identity, containerId: 'old' },
        timeMs: t('08:30:06'),
        recentEvents: [{ timeMs: t('08:30:05'), kind: 'oom_kill', delta: 1, count: 1 }],
        windows: [window('08:30:00', '08:30:10', 50 * MiB, true)],
      });
      const fresh = sidecarContainer({
        id: 'cg-new',
        identity: { ...identity, containerId: 'new' },
        timeMs: t('09:00:00'),
        windows: [window('08:59:50', '09:00:00', 30 * MiB)],
        threads: 8,
      });

      const [row] = joinContainers({
        summaries: [summary],
        pods,
        sidecars: [sidecarResponse('node-a', [fresh, killed])],
      });

      expect(row.sidecar).toMatchObject({ id: 'cg-new', peakBytes: 50 * MiB, oomKills: 1, limitHits: 1, threads: 8 });
      expect(row.sidecar?.windows.map((w) => w.endMs)).toEqual([t('08:30:10'), t('09:00:00')]);
    });

    it('takes the limit from the sidecar’s cgroup reading when there is no pod spec', () => {
      const sidecar = sidecarContainer({
        identity: {
          namespace: 'shop',
          pod: 'api-1',
          container: 'api',
          podUid: 'a1b2c3',
          containerId: null,
          cgroupPath: 'x',
        },
        limitBytes: 64 * MiB,
      });

      const [row] = joinContainers({
        summaries: [summary],
        pods: null,
        sidecars: [sidecarResponse('node-a', [sidecar])],
      });

      expect(row.limitBytes).toBe(64 * MiB);
      expect(row.limitSource).toBe('sidecar');
    });

    it('adds a row for a sidecar-only container in scope, with usage from the sidecar', () => {
      const sidecar = sidecarContainer({
        identity: {
          namespace: 'shop',
          pod: 'api-1',
          container: 'warmup',
          podUid: 'a1b2c3',
          containerId: null,
          cgroupPath: 'x',
        },
        limitBytes: 32 * MiB,
        usageBytes: 20 * MiB,
        workingSetBytes: 16 * MiB,
      });
      const stranger = sidecarContainer({
        identity: {
          namespace: 'billing',
          pod: 'b-1',
          container: 'b',
          podUid: 'zzz',
          containerId: null,
          cgroupPath: 'y',
        },
      });

      const rows = joinContainers({
        summaries: [summary],
        pods,
        sidecars: [sidecarResponse('node-a', [sidecar, stranger])],
      });

      expect(rows.map((r) => r.container)).toEqual(['api', 'warmup']);
      expect(rows[1]).toMatchObject({ limitSource: 'sidecar', workingSetBytes: 16 * MiB, headroomBytes: 16 * MiB });
      expect(rows[1].notes).toContain('usage and working set from the sidecar');
    });
  });

  it('shows a cgroup the sidecar could not name by its path when there is no pod list', () => {
    const cgroup = sidecarContainer({
      identity: {
        namespace: null,
        pod: null,
        container: null,
        podUid: null,
        containerId: null,
        cgroupPath: 'system.slice/containerd.service',
      },
      limitBytes: null,
      usageBytes: 700 * MiB,
      workingSetBytes: 300 * MiB,
    });

    const rows = joinContainers({ summaries: [], pods: null, sidecars: [sidecarResponse('node-a', [cgroup])] });

    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      container: 'system.slice/containerd.service',
      node: 'node-a',
      unlimited: true,
      workingSetBytes: 300 * MiB,
      inactiveFileBytes: 400 * MiB,
      headroomBytes: null,
    });
  });

  it('has a ratio exactly when it has a limit and a working set, and headroom + working set = limit', () => {
    const bytes = fc.option(
      fc.integer({ min: 1, max: 64 * 1024 }).map((n) => n * MiB),
      { nil: undefined }
    );
    fc.assert(
      fc.property(bytes, bytes, bytes, (limitBytes, workingSet, available) => {
        const pods = podsOf(
          v1Pod({
            name: 'p',
            containers: [{ name: 'c', limit: limitBytes === undefined ? undefined : String(limitBytes) }],
          })
        );
        const summary = summaryOf(
          summaryBody('node-a', [
            { name: 'p', containers: [summaryContainer('c', { usage: workingSet, workingSet, available })] },
          ])
        );
        for (const row of [
          ...joinContainers({ summaries: [summary], pods }),
          ...joinContainers({ summaries: [summary], pods: null }),
        ]) {
          const known = row.limitBytes !== null && row.workingSetBytes !== null;
          if ((row.workingSetToLimit !== null) !== known || (row.headroomBytes !== null) !== known) {
            return false;
          }
          if (known && row.headroomBytes! + row.workingSetBytes! !== row.limitBytes) {
            return false;
          }
          if (row.limitBytes === 0 || (row.limitBytes !== null && row.headroomBytes === row.limitBytes)) {
            return false;
          }
        }
        return true;
      })
    );
  });
});
