// A tolerant reading of the Kubernetes API's v1 PodList (`/api/v1/pods`, `/api/v1/namespaces/NS/pods`): the pod spec
// gives each container's memory limit and request, the pod status its restarts and how it last ended.
import { z } from 'zod';

import { Notice, notice } from './notice';
import { parseQuantityBytes } from './quantity';
import { parseTimeMs } from './timestamp';

/** How a container ended: the current `state.terminated` or the `lastState.terminated` of a restarted one. */
export interface Termination {
  /** `OOMKilled`, `Error`, `Completed`, ... */
  reason: string | null;
  exitCode: number | null;
  startedAtMs: number | null;
  finishedAtMs: number | null;
  /** The kernel's OOM killer ended it (reason `OOMKilled`). */
  oomKilled: boolean;
}

export type ContainerStateName = 'running' | 'waiting' | 'terminated' | 'unknown';

/** One container of a pod: spec and status joined by name. */
export interface PodContainer {
  name: string;
  /** An init container (only listed by the kubelet while it runs). */
  init: boolean;
  /** `resources.limits.memory` in bytes; null when unset, set to 0 (no limit) or unreadable (see notes). */
  limitBytes: number | null;
  requestBytes: number | null;
  restartCount: number | null;
  state: ContainerStateName;
  /** `waiting.reason` or `terminated.reason` of the current state (`CrashLoopBackOff`, `OOMKilled`, ...). */
  stateReason: string | null;
  /** When the current run started (`state.running.startedAt`). */
  startedAtMs: number | null;
  /** The current state when terminated, otherwise the last termination; null when it never ended. */
  lastTermination: Termination | null;
  /** `containerd://…`, `cri-o://…`, `docker://…`; null before the container is created. */
  containerId: string | null;
  notes: string[];
}

export interface PodInfo {
  namespace: string;
  name: string;
  uid: string;
  /** Null while the pod is not yet scheduled. */
  nodeName: string | null;
  /** `Guaranteed`, `Burstable`, `BestEffort`. */
  qosClass: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** `Pending`, `Running`, `Succeeded`, `Failed`, `Unknown`. */
  phase: string | null;
  startTimeMs: number | null;
  containers: PodContainer[];
}

export interface PodListResult {
  pods: PodInfo[];
  notices: Notice[];
}

const objectSchema = z.record(z.string(), z.unknown());
const metadataSchema = z.object({
  name: z.string().min(1),
  namespace: z.string().min(1),
  uid: z.string().default(''),
});
const stringMapSchema = z.record(z.string(), z.string());
// A mistyped field costs that field only (`.catch(null)`), never the container or its status: a restart count sent as
// a string must not hide that the container was OOMKilled.
const resourcesSchema = z.object({
  limits: z.record(z.string(), z.unknown()).nullish(),
  requests: z.record(z.string(), z.unknown()).nullish(),
});
const containerSpecSchema = z.object({
  name: z.string().min(1),
  resources: z.unknown(),
});
const terminatedSchema = z.object({
  reason: z.string().nullish().catch(null),
  exitCode: z.number().nullish().catch(null),
  startedAt: z.string().nullish().catch(null),
  finishedAt: z.string().nullish().catch(null),
});
const stateSchema = z
  .object({
    running: z
      .object({ startedAt: z.string().nullish().catch(null) })
      .nullish()
      .catch(null),
    waiting: z
      .object({ reason: z.string().nullish().catch(null) })
      .nullish()
      .catch(null),
    terminated: terminatedSchema.nullish().catch(null),
  })
  .nullish()
  .catch(null);
const containerStatusSchema = z.object({
  name: z.string().min(1),
  restartCount: z.number().nullish().catch(null),
  containerID: z.string().nullish().catch(null),
  state: stateSchema,
  lastState: stateSchema,
});

/**
 * Reads a v1 PodList body. Never throws: a pod that cannot be read becomes a notice and is left out; an invalid memory
 * quantity is a missing limit or request with a note.
 */
export function parsePodList(body: unknown): PodListResult {
  const notices: Notice[] = [];
  const root = objectSchema.safeParse(body);
  if (!root.success || Array.isArray(body)) {
    notices.push(notice('error', 'the pod list is not an object'));
    return { pods: [], notices };
  }
  const items = root.data.items;
  if (items === null || items === undefined) {
    // The API server sends `items: []` for an empty list; some proxies drop empty arrays.
    return { pods: [], notices };
  }
  if (!Array.isArray(items)) {
    notices.push(notice('error', 'the pod list has no list of items'));
    return { pods: [], notices };
  }

  const pods: PodInfo[] = [];
  for (let i = 0; i < items.length; i++) {
    const pod = parsePod(items[i], notices);
    if (pod) {
      pods.push(pod);
    } else {
      notices.push(notice('warning', `pod #${i + 1} of the pod list has no name or namespace; left out`));
    }
  }
  return { pods, notices };
}

/** Reads one v1 Pod; null when it has no name or namespace. */
export function parsePod(value: unknown, notices: Notice[] = []): PodInfo | null {
  const pod = objectSchema.safeParse(value);
  if (!pod.success) {
    return null;
  }
  const metadataObject = objectSchema.safeParse(pod.data.metadata);
  const metadata = metadataSchema.safeParse(metadataObject.success ? metadataObject.data : undefined);
  if (!metadata.success || !metadataObject.success) {
    return null;
  }
  const spec = objectSchema.safeParse(pod.data.spec);
  const status = objectSchema.safeParse(pod.data.status);
  const specData = spec.success ? spec.data : {};
  const statusData = status.success ? status.data : {};
  const where = `pod ${metadata.data.namespace}/${metadata.data.name}`;

  const statuses = new Map<string, z.infer<typeof containerStatusSchema>>();
  for (const list of [statusData.initContainerStatuses, statusData.containerStatuses]) {
    if (Array.isArray(list)) {
      for (const entry of list) {
        const parsed = containerStatusSchema.safeParse(entry);
        if (parsed.success) {
          statuses.set(parsed.data.name, parsed.data);
        }
      }
    }
  }

  const containers: PodContainer[] = [];
  for (const [list, init] of [
    [specData.initContainers, true],
    [specData.containers, false],
  ] as const) {
    if (list === undefined || list === null) {
      continue;
    }
    if (!Array.isArray(list)) {
      const field = init ? 'initContainers' : 'containers';
      notices.push(notice('warning', `${where}: the spec's ${field} are not a list; its containers are left out`));
      continue;
    }
    for (const entry of list) {
      const parsed = containerSpecSchema.safeParse(entry);
      if (!parsed.success) {
        notices.push(notice('warning', `${where}: a container spec without a name; left out`));
        continue;
      }
      containers.push(readContainer(parsed.data, statuses.get(parsed.data.name), init, where, notices));
    }
  }

  return {
    namespace: metadata.data.namespace,
    name: metadata.data.name,
    uid: metadata.data.uid,
    nodeName: typeof specData.nodeName === 'string' && specData.nodeName !== '' ? specData.nodeName : null,
    qosClass: typeof statusData.qosClass === 'string' ? statusData.qosClass : null,
    labels: readStringMap(metadataObject.data.labels),
    annotations: readStringMap(metadataObject.data.annotations),
    phase: typeof statusData.phase === 'string' ? statusData.phase : null,
    startTimeMs: parseTimeMs(statusData.startTime),
    containers,
  };
}

function readContainer(
  spec: z.infer<typeof containerSpecSchema>,
  status: z.infer<typeof containerStatusSchema> | undefined,
  init: boolean,
  where: string,
  notices: Notice[]
): PodContainer {
  const notes: string[] = [];
  const resources = readResources(spec.resources, `${where} container ${spec.name}`, notes, notices);
  const limitBytes = readMemoryQuantity(resources?.limits, 'limit', `${where} container ${spec.name}`, notes, notices);
  const requestBytes = readMemoryQuantity(
    resources?.requests,
    'request',
    `${where} container ${spec.name}`,
    notes,
    notices
  );

  const state = status?.state;
  let stateName: ContainerStateName = 'unknown';
  let stateReason: string | null = null;
  if (state?.running) {
    stateName = 'running';
  } else if (state?.terminated) {
    stateName = 'terminated';
    stateReason = state.terminated.reason ?? null;
  } else if (state?.waiting) {
    stateName = 'waiting';
    stateReason = state.waiting.reason ?? null;
  }

  const ended = state?.terminated ?? status?.lastState?.terminated ?? null;
  const restartCount = status?.restartCount;
  return {
    name: spec.name,
    init,
    limitBytes,
    requestBytes,
    restartCount: typeof restartCount === 'number' && restartCount >= 0 ? restartCount : null,
    state: stateName,
    stateReason,
    startedAtMs: parseTimeMs(state?.running?.startedAt),
    lastTermination: ended ? readTermination(ended) : null,
    containerId: status?.containerID || null,
    notes,
  };
}

/** The container's `resources`; unreadable ones make the limit unknown (a note starting "memory limit"), not absent. */
function readResources(
  value: unknown,
  where: string,
  notes: string[],
  notices: Notice[]
): z.infer<typeof resourcesSchema> | null {
  if (value === undefined || value === null) {
    return null;
  }
  const parsed = resourcesSchema.safeParse(value);
  if (parsed.success) {
    return parsed.data;
  }
  notes.push('memory limit and request unknown: the resources are not readable');
  notices.push(notice('warning', `${where}: resources are not readable; memory limit and request unknown`));
  return null;
}

function readTermination(terminated: z.infer<typeof terminatedSchema>): Termination {
  const reason = terminated.reason ?? null;
  return {
    reason,
    exitCode: terminated.exitCode ?? null,
    startedAtMs: parseTimeMs(terminated.startedAt),
    finishedAtMs: parseTimeMs(terminated.finishedAt),
    oomKilled: reason === 'OOMKilled',
  };
}

function readMemoryQuantity(
  resources: Record<string, unknown> | null | undefined,
  kind: 'limit' | 'request',
  where: string,
  notes: string[],
  notices: Notice[]
): number | null {
  const raw = resources?.memory;
  if (raw === undefined || raw === null) {
    return null;
  }
  const bytes = parseQuantityBytes(raw);
  if (bytes === null) {
    notes.push(`memory ${kind} ${JSON.stringify(raw)} is not a valid quantity`);
    notices.push(notice('warning', `${where}: memory ${kind} ${JSON.stringify(raw)} is not a valid quantity`));
    return null;
  }
  if (bytes === 0 && kind === 'limit') {
    // The kubelet sets no cgroup limit for a limit of 0 (the runtime reads 0 as "unset"): unlimited, not 0 bytes.
    notes.push('a memory limit of 0 sets no limit');
    return null;
  }
  return bytes;
}

function readStringMap(value: unknown): Record<string, string> {
  const parsed = stringMapSchema.safeParse(value);
  return parsed.success ? parsed.data : {};
}
