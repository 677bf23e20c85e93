import fc from 'fast-check';

import { MiB } from './headroom';
import { parsePodList } from './pod-list';
import { v1Pod, v1PodList } from './test-objects';

describe('parsePodList', () => {
  it('reads limits, requests, QoS, labels, node and start time of each container', () => {
    const body = v1PodList(
      v1Pod({
        name: 'checkout-6f7c9',
        nodeName: 'node-a',
        labels: { app: 'checkout', tier: 'web' },
        containers: [
          { name: 'app', limit: '512Mi', request: '256Mi' },
          { name: 'proxy', limit: '128Mi', request: '64Mi' },
        ],
      })
    );

    const { pods, notices } = parsePodList(body);

    expect(notices).toEqual([]);
    expect(pods).toHaveLength(1);
    expect(pods[0]).toMatchObject({
      namespace: 'shop',
      name: 'checkout-6f7c9',
      uid: 'uid-checkout-6f7c9',
      nodeName: 'node-a',
      qosClass: 'Burstable',
      phase: 'Running',
      labels: { app: 'checkout', tier: 'web' },
      annotations: { 'headroom.dev/port': '9180' },
      startTimeMs: Date.parse('2024-05-02T07:59:50Z'),
    });
    expect(pods[0].containers.map((c) => [c.name, c.limitBytes, c.requestBytes, c.state])).toEqual([
      ['app', 512 * MiB, 256 * MiB, 'running'],
      ['proxy', 128 * MiB, 64 * MiB, 'running'],
    ]);
    expect(pods[0].containers[0].startedAtMs).toBe(Date.parse('2024-05-02T08:00:00Z'));
    expect(pods[0].containers[0].containerId).toBe('containerd://app-0123456789abcdef');
  });

  it('makes an OOM kill in the last termination stand out, with its time and exit code 137', () => {
    const body = v1PodList(
      v1Pod({
        name: 'worker-0',
        containers: [
          {
            name: 'worker',
            limit: '1Gi',
            restartCount: 3,
            lastTerminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: '2024-05-02T08:41:07Z' },
          },
        ],
      })
    );

    const worker = parsePodList(body).pods[0].containers[0];

    expect(worker.restartCount).toBe(3);
    expect(worker.lastTermination).toEqual({
      reason: 'OOMKilled',
      exitCode: 137,
      startedAtMs: null,
      finishedAtMs: Date.parse('2024-05-02T08:41:07Z'),
      oomKilled: true,
    });
  });

  it('takes a container terminated right now as its last termination, and reads waiting reasons', () => {
    const body = v1PodList(
      v1Pod({
        name: 'job-1',
        containers: [
          { name: 'run', terminatedNow: { reason: 'OOMKilled', exitCode: 137, finishedAt: '2024-05-02T08:50:00Z' } },
          { name: 'retry', waitingReason: 'CrashLoopBackOff' },
        ],
      })
    );

    const [run, retry] = parsePodList(body).pods[0].containers;

    expect(run.state).toBe('terminated');
    expect(run.stateReason).toBe('OOMKilled');
    expect(run.lastTermination?.oomKilled).toBe(true);
    expect(retry.state).toBe('waiting');
    expect(retry.stateReason).toBe('CrashLoopBackOff');
    expect(retry.lastTermination).toBeNull();
  });

  it('marks init containers and reads their limits too', () => {
    const body = v1PodList(
      v1Pod({ name: 'db-0', initContainers: [{ name: 'migrate', limit: '256Mi' }], containers: [{ name: 'db' }] })
    );

    const containers = parsePodList(body).pods[0].containers;

    expect(containers.map((c) => [c.name, c.init, c.limitBytes])).toEqual([
      ['migrate', true, 256 * MiB],
      ['db', false, null],
    ]);
  });

  it('shows an invalid memory limit as missing with a note, not as 0', () => {
    const body = v1PodList(v1Pod({ name: 'api-1', containers: [{ name: 'api', limit: '512MB' }] }));

    const { pods, notices } = parsePodList(body);

    expect(pods[0].containers[0].limitBytes).toBeNull();
    expect(pods[0].containers[0].notes).toEqual(['memory limit "512MB" is not a valid quantity']);
    expect(notices).toEqual([
      { severity: 'warning', text: 'pod shop/api-1 container api: memory limit "512MB" is not a valid quantity' },
    ]);
  });

  it('reads a pending pod without node or statuses', () => {
    const body = v1PodList({
      metadata: { name: 'pending-1', namespace: 'shop', uid: 'u-1' },
      spec: { containers: [{ name: 'app', resources: { limits: { memory: '1Gi' } } }] },
      status: { phase: 'Pending' },
    });

    const pod = parsePodList(body).pods[0];

    expect(pod.nodeName).toBeNull();
    expect(pod.phase).toBe('Pending');
    expect(pod.containers[0]).toMatchObject({
      name: 'app',
      limitBytes: 1073741824,
      restartCount: null,
      state: 'unknown',
    });
  });

  it('leaves out an item without a name and keeps the rest', () => {
    const body = v1PodList(
      { metadata: { namespace: 'shop' } },
      v1Pod({ name: 'api-1', containers: [{ name: 'api' }] })
    );

    const { pods, notices } = parsePodList(body);

    expect(pods.map((p) => p.name)).toEqual(['api-1']);
    expect(notices).toEqual([
      { severity: 'warning', text: 'pod #1 of the pod list has no name or namespace; left out' },
    ]);
  });

  it.each([null, 'Forbidden', [], { items: 'x' }])('answers a body of %p with an error notice and no pods', (body) => {
    const { pods, notices } = parsePodList(body);

    expect(pods).toEqual([]);
    expect(notices.map((n) => n.severity)).toEqual(['error']);
  });

  it('never throws on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        const { pods } = parsePodList(body);
        return Array.isArray(pods);
      })
    );
  });

  it('never throws on pods with arbitrary specs and statuses', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (spec, status) => {
        const { pods } = parsePodList({ items: [{ metadata: { name: 'p', namespace: 'n' }, spec, status }] });
        return pods.length === 1;
      })
    );
  });
});
