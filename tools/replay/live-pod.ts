/**
 * A pod the replay serves beside the replayed ones, backed by a container that really runs: its spec carries the
 * container's limit and the sidecar port annotation, its kubelet summary entry is read from the container's cgroup
 * when the summary is asked for, and the pod proxy reaches its sidecar.
 */
import { bytesQuantity, PodObject } from './cluster-objects';
import { SummaryDocument, SummaryMemory, SummaryPod } from './summary-document';

export interface LivePod {
  namespace: string;
  name: string;
  uid: string;
  container: string;
  /** The replayed node the pod runs on. */
  node: string;
  limitBytes: number;
  /** When the container started. */
  startTimeMs: number;
  annotations: Record<string, string>;
  /** The port the pod proxy forwards to `sidecarUrl`; any other port is refused, as the pod does not listen there. */
  sidecarPort: number | null;
  /** Base URL of the pod's sidecar, e.g. `http://127.0.0.1:40123`. */
  sidecarUrl: string | null;
  /** The container's memory as the kubelet would report it now; null when the cgroup cannot be read. */
  memory: () => SummaryMemory | null;
}

/** The Pod object of a live pod: Running on its node, one container with its memory limit in the spec. */
export function livePodObject(live: LivePod, hostIP: string): PodObject {
  const startTime = new Date(live.startTimeMs).toISOString();
  const image = `replay.local/${live.container}:live`;
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: {
      name: live.name,
      namespace: live.namespace,
      uid: live.uid,
      labels: { app: live.name },
      annotations: { ...live.annotations },
      creationTimestamp: startTime,
    },
    spec: {
      nodeName: live.node,
      containers: [{ name: live.container, image, resources: { limits: { memory: bytesQuantity(live.limitBytes) } } }],
    },
    status: {
      phase: 'Running',
      hostIP,
      startTime,
      containerStatuses: [
        { name: live.container, ready: true, restartCount: 0, image, state: { running: { startedAt: startTime } } },
      ],
    },
  };
}

/** The summary entry of a live pod at `nowMs`; a container whose cgroup cannot be read has no memory block. */
export function livePodStats(live: LivePod, nowMs: number): SummaryPod {
  const startTime = new Date(live.startTimeMs).toISOString();
  const memory = live.memory();
  const withTime = memory ? { time: new Date(nowMs).toISOString(), ...memory } : undefined;
  return {
    podRef: { name: live.name, namespace: live.namespace, uid: live.uid },
    startTime,
    containers: [{ name: live.container, startTime, ...(withTime ? { memory: withTime } : {}) }],
    ...(withTime ? { memory: withTime } : {}),
  };
}

/** A node's summary text with its live pods added, read at `nowMs`. */
export function summaryWithLivePods(summary: SummaryDocument, live: readonly LivePod[], nowMs: number): string {
  return JSON.stringify({ ...summary, pods: [...summary.pods, ...live.map((pod) => livePodStats(pod, nowMs))] });
}
