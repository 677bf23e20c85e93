import { annotationEvents, annotationsFrom } from './annotations';
import { MiB } from './headroom';
import { parsePodList } from './pod-list';
import { SidecarContainer } from './sidecar-api';
import { sidecarContainer, sidecarResponse, v1Pod, v1PodList } from './test-objects';

const t = (hhmmss: string) => Date.parse(`2024-05-02T${hhmmss}Z`);

describe('annotations from pod status', () => {
  const pods = parsePodList(
    v1PodList(
      v1Pod({
        name: 'worker-0',
        nodeName: 'node-a',
        containers: [
          {
            name: 'worker',
            limit: '1Gi',
            restartCount: 3,
            lastTerminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: '2024-05-02T08:41:07Z' },
          },
          {
            name: 'uploader',
            restartCount: 1,
            lastTerminated: { reason: 'Error', exitCode: 1, finishedAt: '2024-05-02T08:12:00Z' },
          },
          {
            name: 'old',
            restartCount: 1,
            lastTerminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: '2024-05-01T23:00:00Z' },
          },
        ],
      })
    )
  ).pods;
  const range = { fromMs: t('08:00:00'), toMs: t('09:00:00') };

  it('places an OOM kill and a restart at the time each container ended, oldest first, within the range', () => {
    const events = annotationEvents(pods, range);

    expect(events.map((e) => [e.timeMs, e.kind, e.title])).toEqual([
      [t('08:12:00'), 'restart', 'Restarted: shop/worker-0/uploader'],
      [t('08:41:07'), 'oom-kill', 'OOMKilled: shop/worker-0/worker'],
    ]);
    expect(events[1].text).toBe('reason OOMKilled, exit code 137, restarts 3, limit 1073741824 bytes, node node-a');
    expect(events[1].tags).toEqual(['oom-kill', 'namespace:shop', 'pod:worker-0', 'container:worker']);
  });

  it('builds the frame Grafana reads annotations from: time, title, text, tags', () => {
    const frame = annotationsFrom(pods, range, 'Anno');

    expect(frame.refId).toBe('Anno');
    expect(frame.fields.map((f) => [f.name, f.type])).toEqual([
      ['time', 'time'],
      ['title', 'string'],
      ['text', 'string'],
      ['tags', 'string'],
    ]);
    expect(frame.fields[3].values).toEqual([
      'restart,namespace:shop,pod:worker-0,container:uploader',
      'oom-kill,namespace:shop,pod:worker-0,container:worker',
    ]);
  });
});

describe('annotations from the peak sidecars', () => {
  const pods = parsePodList(
    v1PodList(
      v1Pod({
        name: 'worker-0',
        uid: 'uid-worker-0',
        nodeName: 'node-a',
        containers: [
          {
            name: 'worker',
            limit: '1Gi',
            restartCount: 2,
            lastTerminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: '2024-05-02T08:41:07Z' },
          },
        ],
      })
    )
  ).pods;
  const range = { fromMs: t('08:00:00'), toMs: t('09:00:00') };
  const worker = (identity: Partial<SidecarContainer['identity']>) =>
    sidecarContainer({
      identity: {
        namespace: null,
        pod: null,
        container: 'worker',
        podUid: 'uid-worker-0',
        containerId: null,
        cgroupPath: 'kubepods/burstable/poduid-worker-0/abc',
        ...identity,
      },
      limitBytes: 1024 * MiB,
      recentEvents: [
        { timeMs: t('08:20:03'), kind: 'oom_kill', delta: 1, count: 1 },
        { timeMs: t('08:30:00'), kind: 'max', delta: 4, count: 4 },
        { timeMs: t('08:30:20'), kind: 'max', delta: 3, count: 7 },
        { timeMs: t('08:41:06'), kind: 'oom_kill', delta: 1, count: 2 },
        { timeMs: t('09:30:00'), kind: 'oom_kill', delta: 1, count: 3 },
      ],
    });

  it('shows every OOM kill the kernel counted, not only the last termination, and the pod-status kill once', () => {
    const events = annotationEvents(pods, range, [sidecarResponse('node-a', [worker({})])]);

    expect(events.map((e) => [e.timeMs, e.kind, e.title])).toEqual([
      [t('08:20:03'), 'oom-kill', 'OOM kill (kernel): shop/worker-0/worker'],
      [t('08:30:00'), 'limit-hit', 'Limit hit: shop/worker-0/worker'],
      [t('08:41:06'), 'oom-kill', 'OOM kill (kernel): shop/worker-0/worker'],
    ]);
    expect(events[0].text).toBe(
      "the kernel's oom_kill counter reached 1; limit 1073741824 bytes; seen by the peak sidecar"
    );
  });

  it('folds the limit hits of one reclaim burst into one annotation with their count', () => {
    const events = annotationEvents(pods, range, [sidecarResponse('node-a', [worker({})])]);
    const hit = events.find((e) => e.kind === 'limit-hit')!;

    expect(hit.text).toBe('the cgroup reached its limit 7 time(s) and the kernel reclaimed; limit 1073741824 bytes');
    expect(hit.tags).toEqual(['limit-hit', 'namespace:shop', 'pod:worker-0', 'container:worker']);
  });
});
