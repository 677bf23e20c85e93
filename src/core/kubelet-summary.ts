// A tolerant reading of the kubelet Summary API (`/stats/summary`, k8s.io/kubelet/pkg/apis/stats/v1alpha1). The
// kubelet omits what it does not know, and some payloads lie (zeros for stats never collected, counters that wrapped
// around); each such piece becomes a missing value with a reason, and the rest of the response survives.
import { z } from 'zod';

import { Notice, notice } from './notice';
import { parseTimeMs } from './timestamp';

/** Memory figures of one container, pod, system container or node. A missing or untrustworthy value is null. */
export interface MemoryStats {
  /** When the kubelet sampled these figures. */
  timeMs: number | null;
  /** Limit − working set; the kubelet sends it only when a limit is set. */
  availableBytes: number | null;
  usageBytes: number | null;
  workingSetBytes: number | null;
  rssBytes: number | null;
  pageFaults: number | null;
  majorPageFaults: number | null;
}

/** A container (or system container) as the kubelet reports it. `notes` say why a value is missing. */
export interface ContainerStats {
  name: string;
  startTimeMs: number | null;
  memory: MemoryStats;
  notes: string[];
}

/** A pod as the kubelet reports it. */
export interface PodStats {
  namespace: string;
  name: string;
  uid: string;
  startTimeMs: number | null;
  containers: ContainerStats[];
  /** The pod's own cgroup figures (all its containers together); never compared with one container's limit. */
  memory: MemoryStats;
}

/** One node's summary. */
export interface NodeSummary {
  nodeName: string;
  startTimeMs: number | null;
  memory: MemoryStats;
  /** `kubelet`, `runtime`, `pods`, `misc`: the node's own cgroups. */
  systemContainers: ContainerStats[];
  pods: PodStats[];
}

export interface SummaryResult {
  /** Null only when the body is not a summary at all. */
  summary: NodeSummary | null;
  notices: Notice[];
}

const objectSchema = z.record(z.string(), z.unknown());
const podRefSchema = z.object({ name: z.string().min(1), namespace: z.string().min(1), uid: z.string() });
const namedSchema = z.object({ name: z.string().min(1) });

const EMPTY_MEMORY: MemoryStats = {
  timeMs: null,
  availableBytes: null,
  usageBytes: null,
  workingSetBytes: null,
  rssBytes: null,
  pageFaults: null,
  majorPageFaults: null,
};

const BYTE_FIELDS = [
  'availableBytes',
  'usageBytes',
  'workingSetBytes',
  'rssBytes',
  'pageFaults',
  'majorPageFaults',
] as const;

/**
 * Reads a kubelet `/stats/summary` body (parsed JSON, or the raw text) for `nodeName`. Never throws: a bad piece
 * becomes a notice naming its node, pod and container, and is left out or shown as missing.
 */
export function parseSummary(body: unknown, nodeName: string): SummaryResult {
  const notices: Notice[] = [];
  const where = `node ${nodeName}`;

  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      notices.push(notice('error', `${where}: the stats summary is not JSON`));
      return { summary: null, notices };
    }
  }
  const root = objectSchema.safeParse(body);
  if (!root.success || Array.isArray(body)) {
    notices.push(notice('error', `${where}: the stats summary is not an object (got ${describe(body)})`));
    return { summary: null, notices };
  }

  const node = objectSchema.safeParse(root.data.node);
  if (!node.success) {
    notices.push(notice('warning', `${where}: the stats summary has no node section; node memory is unknown`));
  }
  const nodeSection = node.success ? node.data : {};
  if (typeof nodeSection.nodeName === 'string' && nodeSection.nodeName !== nodeName) {
    notices.push(notice('info', `${where}: the kubelet calls itself ${nodeSection.nodeName}`));
  }

  const summary: NodeSummary = {
    nodeName,
    startTimeMs: parseTimeMs(nodeSection.startTime),
    memory: readMemory(nodeSection.memory, where, [], notices),
    systemContainers: readContainers(nodeSection.systemContainers, `${where} system container`, notices, false),
    pods: [],
  };

  const pods = root.data.pods;
  if (pods === undefined || pods === null) {
    notices.push(notice('warning', `${where}: the stats summary lists no pods`));
  } else if (!Array.isArray(pods)) {
    notices.push(notice('warning', `${where}: the stats summary's pods are not a list (got ${describe(pods)})`));
  } else {
    for (let i = 0; i < pods.length; i++) {
      const pod = readPod(pods[i], i, where, notices);
      if (pod) {
        summary.pods.push(pod);
      }
    }
  }

  return { summary, notices };
}

function readPod(value: unknown, index: number, where: string, notices: Notice[]): PodStats | null {
  const pod = objectSchema.safeParse(value);
  const ref = podRefSchema.safeParse(pod.success ? pod.data.podRef : undefined);
  if (!pod.success || !ref.success) {
    notices.push(notice('warning', `${where}: pod #${index + 1} in the stats summary has no valid podRef; left out`));
    return null;
  }

  const podWhere = `${where} pod ${ref.data.namespace}/${ref.data.name}`;
  let containers: ContainerStats[] = [];
  if (pod.data.containers === undefined || pod.data.containers === null) {
    notices.push(notice('warning', `${podWhere}: the stats summary lists no containers`));
  } else {
    containers = readContainers(pod.data.containers, `${podWhere} container`, notices, true);
  }

  return {
    namespace: ref.data.namespace,
    name: ref.data.name,
    uid: ref.data.uid,
    startTimeMs: parseTimeMs(pod.data.startTime),
    containers,
    memory: readMemory(pod.data.memory, podWhere, [], notices),
  };
}

function readContainers(value: unknown, where: string, notices: Notice[], isPod: boolean): ContainerStats[] {
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    notices.push(notice('warning', `${where}s are not a list (got ${describe(value)})`));
    return [];
  }

  const containers: ContainerStats[] = [];
  for (let i = 0; i < value.length; i++) {
    const entry = objectSchema.safeParse(value[i]);
    const named = namedSchema.safeParse(entry.success ? entry.data : undefined);
    if (!entry.success || !named.success) {
      notices.push(notice('warning', `${where} #${i + 1} has no name; left out`));
      continue;
    }

    const name = named.data.name;
    const notes: string[] = [];
    const startTimeMs = parseTimeMs(entry.data.startTime);
    if (startTimeMs === null) {
      notes.push(`start time unknown (kubelet sent ${describe(entry.data.startTime)})`);
      // System containers with `startTime: null` are a known kubelet habit: a note, not a notice.
      if (isPod) {
        notices.push(notice('info', `${where} ${name}: start time unknown`));
      }
    }
    const memory = readMemory(entry.data.memory, `${where} ${name}`, notes, notices);
    containers.push({ name, startTimeMs, memory, notes });
  }
  return containers;
}

/** Reads a memory object; `notes` gets the reasons for missing values, `notices` the ones worth a panel notice. */
function readMemory(value: unknown, where: string, notes: string[], notices: Notice[]): MemoryStats {
  const parsed = objectSchema.safeParse(value);
  if (!parsed.success) {
    notes.push('no memory stats from the kubelet');
    return { ...EMPTY_MEMORY };
  }

  const raw = parsed.data;
  const memory: MemoryStats = { ...EMPTY_MEMORY, timeMs: parseTimeMs(raw.time) };
  for (const field of BYTE_FIELDS) {
    memory[field] = readCount(raw[field], field, where, notes, notices);
  }

  // A memory object with only `time` and `workingSetBytes: 0`, or with usage, working set and RSS all 0, is the kubelet
  // reporting stats it never collected (a container still starting, or a runtime that does not report them). A running
  // container always has some memory charged, so these zeros mean "unknown".
  const ws = memory.workingSetBytes;
  const usage = memory.usageBytes;
  if (ws === 0 && (usage === null || usage === 0) && (memory.rssBytes === null || memory.rssBytes === 0)) {
    const reported = usage === null ? 'only a working set of 0' : 'usage, working set and RSS all 0';
    notes.push(`kubelet reported ${reported}: memory not measured`);
    notices.push(notice('warning', `${where}: kubelet reported ${reported}; shown as missing`));
    memory.usageBytes = null;
    memory.workingSetBytes = null;
    memory.rssBytes = null;
  }

  return memory;
}

/** A byte count or counter: a finite, non-negative integer no larger than 2^53. */
function readCount(value: unknown, field: string, where: string, notes: string[], notices: Notice[]): number | null {
  if (value === undefined || value === null) {
    return null;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    notes.push(`${field} is not a number (${describe(value)})`);
    notices.push(notice('warning', `${where}: ${field} is not a number; shown as missing`));
    return null;
  }
  if (value < 0) {
    notes.push(`${field} is negative (${value})`);
    notices.push(notice('warning', `${where}: ${field} is negative (${value}); shown as missing`));
    return null;
  }
  if (value > Number.MAX_SAFE_INTEGER) {
    // 18446744073709551615 is a uint64 −1: a subtraction in the kubelet or cAdvisor that wrapped around.
    notes.push(`${field} ${value} wrapped around`);
    notices.push(notice('warning', `${where}: ${field} ${value} is past 2^53 (wrapped around); shown as missing`));
    return null;
  }
  // `+ 0` turns -0 into 0.
  return Math.floor(value) + 0;
}

function describe(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (value === undefined) {
    return 'nothing';
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  if (typeof value === 'string') {
    return value.length > 40 ? `"${value.slice(0, 40)}…"` : `"${value}"`;
  }
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
