// A tolerant reading of the Kubernetes API's v1 NodeList (`/api/v1/nodes`).
import { z } from 'zod';

import { Notice, notice } from './notice';
import { parseQuantityBytes } from './quantity';

export interface NodeInfo {
  name: string;
  /** `status.allocatable.memory`: what the scheduler may hand to pods. */
  allocatableBytes: number | null;
  /** `status.capacity.memory`: the machine's memory. */
  capacityBytes: number | null;
  /** The `MemoryPressure` condition; null when the node does not report it. */
  memoryPressure: boolean | null;
  /** Why, as the kubelet words it (`KubeletHasSufficientMemory`, `KubeletHasInsufficientMemory`). */
  memoryPressureReason: string | null;
  /** The `Ready` condition; null when unknown. */
  ready: boolean | null;
  internalIp: string | null;
  labels: Record<string, string>;
}

export interface NodeListResult {
  nodes: NodeInfo[];
  notices: Notice[];
}

const objectSchema = z.record(z.string(), z.unknown());
const nodeSchema = z.object({
  // Unreadable labels cost the labels, not the node.
  metadata: z.object({ name: z.string().min(1), labels: z.record(z.string(), z.string()).nullish().catch(null) }),
  status: z
    .object({
      allocatable: z.record(z.string(), z.unknown()).nullish().catch(null),
      capacity: z.record(z.string(), z.unknown()).nullish().catch(null),
      conditions: z
        .array(z.object({ type: z.string(), status: z.string(), reason: z.string().nullish() }).loose())
        .nullish()
        .catch(null),
      addresses: z
        .array(z.object({ type: z.string(), address: z.string() }).loose())
        .nullish()
        .catch(null),
    })
    .nullish()
    .catch(null),
});

/** Reads a v1 NodeList body. Never throws: a node that cannot be read becomes a notice and is left out. */
export function parseNodeList(body: unknown): NodeListResult {
  const notices: Notice[] = [];
  const root = objectSchema.safeParse(body);
  if (!root.success || Array.isArray(body)) {
    notices.push(notice('error', 'the node list is not an object'));
    return { nodes: [], notices };
  }
  const items = root.data.items ?? [];
  if (!Array.isArray(items)) {
    notices.push(notice('error', 'the node list has no list of items'));
    return { nodes: [], notices };
  }

  const nodes: NodeInfo[] = [];
  for (let i = 0; i < items.length; i++) {
    const parsed = nodeSchema.safeParse(items[i]);
    if (!parsed.success) {
      notices.push(notice('warning', `node #${i + 1} of the node list has no name; left out`));
      continue;
    }

    const { metadata, status } = parsed.data;
    const pressure = status?.conditions?.find((c) => c.type === 'MemoryPressure');
    const ready = status?.conditions?.find((c) => c.type === 'Ready');
    const allocatableBytes = parseQuantityBytes(status?.allocatable?.memory ?? null);
    const capacityBytes = parseQuantityBytes(status?.capacity?.memory ?? null);
    if (allocatableBytes === null && status?.allocatable?.memory !== undefined) {
      notices.push(notice('warning', `node ${metadata.name}: allocatable memory is not a valid quantity`));
    }
    if (capacityBytes === null && status?.capacity?.memory !== undefined) {
      notices.push(notice('warning', `node ${metadata.name}: memory capacity is not a valid quantity`));
    }

    nodes.push({
      name: metadata.name,
      allocatableBytes,
      capacityBytes,
      memoryPressure: conditionValue(pressure?.status),
      memoryPressureReason: pressure?.reason ?? null,
      ready: conditionValue(ready?.status),
      internalIp: status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? null,
      labels: metadata.labels ?? {},
    });
  }
  return { nodes, notices };
}

function conditionValue(status: string | undefined): boolean | null {
  if (status === 'True') {
    return true;
  }
  return status === 'False' ? false : null;
}
