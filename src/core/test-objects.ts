// Realistic Kubernetes and sidecar objects for the core tests: a v1 Pod, a kubelet summary pod and a sidecar container,
// each with sensible defaults that a test overrides where its rule lives.
import { MiB } from './headroom';
import { ContainersResponse, emptyMemoryBreakdown, SidecarContainer } from './sidecar-api';

export interface TestContainer {
  name: string;
  limit?: string;
  request?: string;
  restartCount?: number;
  lastTerminated?: { reason: string; exitCode: number; finishedAt: string; startedAt?: string };
  terminatedNow?: { reason: string; exitCode: number; finishedAt: string };
  waitingReason?: string;
  startedAt?: string;
}

/** A v1 Pod as the API server returns it. */
export function v1Pod(options: {
  namespace?: string;
  name: string;
  uid?: string;
  nodeName?: string;
  qosClass?: string;
  labels?: Record<string, string>;
  containers: TestContainer[];
  initContainers?: TestContainer[];
}): Record<string, unknown> {
  const spec = (c: TestContainer) => ({
    name: c.name,
    image: `registry.example/${c.name}:1.0`,
    resources: {
      ...(c.limit ? { limits: { memory: c.limit, cpu: '500m' } } : {}),
      ...(c.request ? { requests: { memory: c.request, cpu: '100m' } } : {}),
    },
  });
  const status = (c: TestContainer) => ({
    name: c.name,
    ready: true,
    restartCount: c.restartCount ?? 0,
    containerID: `containerd://${c.name}-0123456789abcdef`,
    state: c.terminatedNow
      ? { terminated: c.terminatedNow }
      : c.waitingReason
        ? { waiting: { reason: c.waitingReason } }
        : { running: { startedAt: c.startedAt ?? '2024-05-02T08:00:00Z' } },
    lastState: c.lastTerminated ? { terminated: c.lastTerminated } : {},
  });
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: options.name,
      namespace: options.namespace ?? 'shop',
      uid: options.uid ?? `uid-${options.name}`,
      labels: options.labels ?? { app: options.name },
      annotations: { 'headroom.dev/port': '9180' },
    },
    spec: {
      nodeName: options.nodeName ?? 'node-a',
      containers: options.containers.map(spec),
      initContainers: (options.initContainers ?? []).map(spec),
    },
    status: {
      phase: 'Running',
      qosClass: options.qosClass ?? 'Burstable',
      startTime: '2024-05-02T07:59:50Z',
      containerStatuses: options.containers.map(status),
      initContainerStatuses: (options.initContainers ?? []).map((c) => ({
        ...status(c),
        state: { terminated: { reason: 'Completed', exitCode: 0, finishedAt: '2024-05-02T07:59:58Z' } },
      })),
    },
  };
}

/** A v1 PodList body. */
export function v1PodList(...pods: Array<Record<string, unknown>>): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: '4711' }, items: pods };
}

/** A container's entry in a kubelet summary, with the given memory figures in bytes. */
export function summaryContainer(
  name: string,
  memory: { usage?: number; workingSet?: number; rss?: number; available?: number; time?: string }
): Record<string, unknown> {
  return {
    name,
    startTime: '2024-05-02T08:00:00Z',
    memory: {
      time: memory.time ?? '2024-05-02T09:00:00Z',
      ...(memory.available !== undefined ? { availableBytes: memory.available } : {}),
      ...(memory.usage !== undefined ? { usageBytes: memory.usage } : {}),
      ...(memory.workingSet !== undefined ? { workingSetBytes: memory.workingSet } : {}),
      ...(memory.rss !== undefined ? { rssBytes: memory.rss } : {}),
      pageFaults: 1200,
      majorPageFaults: 0,
    },
  };
}

/** A kubelet `/stats/summary` body for one node. */
export function summaryBody(
  nodeName: string,
  pods: Array<{ namespace?: string; name: string; uid?: string; containers: Array<Record<string, unknown>> }>
): Record<string, unknown> {
  return {
    node: {
      nodeName,
      startTime: '2024-05-01T00:00:00Z',
      memory: {
        time: '2024-05-02T09:00:00Z',
        availableBytes: 6 * 1024 * MiB,
        usageBytes: 9 * 1024 * MiB,
        workingSetBytes: 10 * 1024 * MiB,
        rssBytes: 5 * 1024 * MiB,
      },
      systemContainers: [
        {
          name: 'pods',
          startTime: '2024-05-01T00:00:05Z',
          memory: { time: '2024-05-02T09:00:00Z', workingSetBytes: 8 * 1024 * MiB },
        },
      ],
    },
    pods: pods.map((p) => ({
      podRef: { name: p.name, namespace: p.namespace ?? 'shop', uid: p.uid ?? `uid-${p.name}` },
      startTime: '2024-05-02T07:59:50Z',
      containers: p.containers,
    })),
  };
}

/** A sidecar's view of one container, with exact peaks by default. */
export function sidecarContainer(
  overrides: Partial<SidecarContainer> & { identity: SidecarContainer['identity'] }
): SidecarContainer {
  return {
    id: `cg-${overrides.identity.container}`,
    cgroupVersion: 2,
    method: 'v2-peak-reset',
    windowMs: 10_000,
    sampleIntervalMs: 1_000,
    firstSeenMs: Date.UTC(2024, 4, 2, 8, 0, 0),
    startedMs: null,
    timeMs: Date.UTC(2024, 4, 2, 9, 0, 0),
    limitBytes: null,
    highBytes: null,
    usageBytes: null,
    workingSetBytes: null,
    unreclaimableBytes: null,
    breakdown: emptyMemoryBreakdown(),
    lifetimePeakBytes: null,
    events: { max: 0, high: 0, oom: 0, oom_kill: 0 },
    recentEvents: [],
    pressure: null,
    threads: null,
    allocator: null,
    windows: [],
    notices: [],
    ...overrides,
  };
}

/** A sidecar `/v1/containers` answer. */
export function sidecarResponse(node: string, containers: SidecarContainer[]): ContainersResponse {
  return {
    apiVersion: 'v1',
    scope: 'pod',
    node,
    timeMs: Date.UTC(2024, 4, 2, 9, 0, 0),
    fromMs: Date.UTC(2024, 4, 2, 8, 0, 0),
    toMs: Date.UTC(2024, 4, 2, 9, 0, 0),
    containers,
    notices: [],
  };
}
