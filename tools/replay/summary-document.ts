/**
 * The parts of a kubelet `/stats/summary` document the replay reads. Everything else in the document is served
 * untouched. Values are as the kubelet writes them: RFC 3339 times, bytes as numbers, fields often absent.
 */

export interface SummaryMemory {
  time?: string;
  availableBytes?: number;
  usageBytes?: number;
  workingSetBytes?: number;
  rssBytes?: number;
  pageFaults?: number;
  majorPageFaults?: number;
}

export interface SummaryContainer {
  name: string;
  startTime?: string | null;
  memory?: SummaryMemory;
  [other: string]: unknown;
}

export interface SummaryPod {
  podRef: { name: string; namespace: string; uid: string };
  startTime?: string | null;
  containers?: SummaryContainer[];
  memory?: SummaryMemory;
  [other: string]: unknown;
}

export interface SummaryDocument {
  node: {
    nodeName: string;
    startTime?: string | null;
    memory?: SummaryMemory;
    systemContainers?: SummaryContainer[];
    [other: string]: unknown;
  };
  pods: SummaryPod[];
}

/** One node of the replayed cluster: its summary and the exact text served for it. */
export interface ReplayNode {
  name: string;
  summary: SummaryDocument;
  /** The body of `/stats/summary`: the file's own text (line endings kept), or JSON built on first use. */
  body: () => string;
  /** Where the summary came from, for logs: a file name or `synthesized`. */
  source: string;
}

/** Checks the shape the replay depends on; returns the reason a document cannot be used, or null. */
export function summaryProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'not a JSON object';
  }
  const node = (value as { node?: unknown }).node;
  if (typeof node !== 'object' || node === null) {
    return 'no "node" object';
  }
  const nodeName = (node as { nodeName?: unknown }).nodeName;
  if (typeof nodeName !== 'string' || nodeName.trim() === '') {
    return 'no "node.nodeName"';
  }
  const pods = (value as { pods?: unknown }).pods;
  if (pods !== undefined && !Array.isArray(pods)) {
    return '"pods" is not a list';
  }
  for (const pod of (pods as unknown[] | undefined) ?? []) {
    const ref = (pod as { podRef?: { name?: unknown; namespace?: unknown; uid?: unknown } } | null)?.podRef;
    if (typeof ref?.name !== 'string' || typeof ref.namespace !== 'string' || typeof ref.uid !== 'string') {
      return 'a pod without a complete "podRef" (name, namespace, uid)';
    }
  }
  return null;
}
