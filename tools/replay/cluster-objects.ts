/**
 * The API server objects a replayed cluster shows, derived from kubelet summaries alone: a summary has no spec, so
 * a memory limit appears only where the kubelet revealed it (`availableBytes + workingSetBytes`), requests never,
 * restart counts are 0 and every pod is Running.
 */
import { ReplayNode, SummaryContainer, SummaryMemory, SummaryPod } from './summary-document';

export interface KubeObjectMeta {
  name: string;
  namespace?: string;
  uid: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp: string | null;
}

export interface NodeObject {
  kind: 'Node';
  apiVersion: 'v1';
  metadata: KubeObjectMeta;
  status: {
    capacity: Record<string, string>;
    allocatable: Record<string, string>;
    conditions: Array<{ type: string; status: string; reason: string; message: string }>;
    addresses: Array<{ type: string; address: string }>;
    nodeInfo: { kubeletVersion: string; operatingSystem: string; architecture: string };
  };
}

export interface ContainerSpec {
  name: string;
  image: string;
  resources: { limits?: Record<string, string>; requests?: Record<string, string> };
}

export interface PodObject {
  kind: 'Pod';
  apiVersion: 'v1';
  metadata: KubeObjectMeta;
  spec: { nodeName: string; containers: ContainerSpec[] };
  status: {
    phase: 'Running';
    hostIP: string;
    startTime: string | null;
    containerStatuses: Array<{
      name: string;
      ready: boolean;
      restartCount: number;
      image: string;
      state: { running: { startedAt: string | null } };
    }>;
  };
}

/** `127.0.0.x` for the node at this position (1-based hosts, wrapping into the next octet past 254). */
export function internalIp(index: number): string {
  const host = (index % 254) + 1;
  const third = Math.floor(index / 254) % 256;
  return `127.0.${third}.${host}`;
}

/** A memory limit the kubelet revealed: `availableBytes` is only present when the cgroup has a limit. */
export function summaryLimitBytes(memory: SummaryMemory | undefined): number | null {
  if (typeof memory?.availableBytes !== 'number' || typeof memory.workingSetBytes !== 'number') {
    return null;
  }
  return memory.availableBytes + memory.workingSetBytes;
}

/** A byte count as a Kubernetes quantity: `Mi` or `Ki` when whole, as people and the API server write them. */
export function bytesQuantity(bytes: number): string {
  if (bytes % 1048576 === 0) {
    return `${bytes / 1048576}Mi`;
  }
  if (bytes % 1024 === 0) {
    return `${bytes / 1024}Ki`;
  }
  return String(bytes);
}

/**
 * The workload name behind a pod name: drops a Deployment's `-<template hash>-<suffix>`, a DaemonSet's or Job's
 * `-<suffix>`, or a static pod's `-<node name>`.
 */
export function appLabel(podName: string, nodeName: string): string {
  if (podName.endsWith(`-${nodeName}`) && podName.length > nodeName.length + 1) {
    return podName.slice(0, -(nodeName.length + 1));
  }
  const deployment = /^(.+)-[a-z0-9]{6,10}-[a-z0-9]{5}$/.exec(podName);
  if (deployment) {
    return deployment[1];
  }
  const generated = /^(.+)-[a-z0-9]{5}$/.exec(podName);
  return generated ? generated[1] : podName;
}

/** The Node object for a replayed node (`index` picks its InternalIP). */
export function nodeObject(node: ReplayNode, index: number): NodeObject {
  const capacityBytes = summaryLimitBytes(node.summary.node.memory);
  const podsCgroup = node.summary.node.systemContainers?.find((container) => container.name === 'pods');
  const podsLimitBytes = summaryLimitBytes(podsCgroup?.memory);

  // The pods cgroup limit is capacity minus reserves; an edited summary can show it above capacity, so cap it.
  const allocatableBytes =
    podsLimitBytes !== null && capacityBytes !== null ? Math.min(podsLimitBytes, capacityBytes) : capacityBytes;

  const capacity: Record<string, string> = {};
  const allocatable: Record<string, string> = {};
  if (capacityBytes !== null) {
    capacity.memory = bytesQuantity(capacityBytes);
  }
  if (allocatableBytes !== null) {
    allocatable.memory = bytesQuantity(allocatableBytes);
  }

  return {
    kind: 'Node',
    apiVersion: 'v1',
    metadata: {
      name: node.name,
      uid: stableUid(`node/${node.name}`),
      labels: { 'kubernetes.io/hostname': node.name, 'kubernetes.io/os': 'linux' },
      creationTimestamp: node.summary.node.startTime ?? null,
    },
    status: {
      capacity,
      allocatable,
      conditions: [
        {
          type: 'MemoryPressure',
          status: 'False',
          reason: 'KubeletHasSufficientMemory',
          message: 'kubelet has sufficient memory available',
        },
        { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
      ],
      addresses: [
        { type: 'InternalIP', address: internalIp(index) },
        { type: 'Hostname', address: node.name },
      ],
      nodeInfo: { kubeletVersion: 'v1.29.0-replay', operatingSystem: 'linux', architecture: 'amd64' },
    },
  };
}

/** The Pod objects for the pods a node's summary lists. */
export function podObjects(node: ReplayNode, index: number, annotations: Record<string, string> = {}): PodObject[] {
  return node.summary.pods.map((pod) => podObject(pod, node.name, internalIp(index), annotations));
}

function podObject(pod: SummaryPod, nodeName: string, hostIP: string, annotations: Record<string, string>): PodObject {
  const containers = pod.containers ?? [];
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: {
      name: pod.podRef.name,
      namespace: pod.podRef.namespace,
      uid: pod.podRef.uid,
      labels: { app: appLabel(pod.podRef.name, nodeName) },
      annotations: { ...annotations },
      creationTimestamp: pod.startTime ?? null,
    },
    spec: { nodeName, containers: containers.map(containerSpec) },
    status: {
      phase: 'Running',
      hostIP,
      startTime: pod.startTime ?? null,
      containerStatuses: containers.map((container) => ({
        name: container.name,
        ready: true,
        restartCount: 0,
        image: imageOf(container),
        state: { running: { startedAt: container.startTime ?? null } },
      })),
    },
  };
}

function containerSpec(container: SummaryContainer): ContainerSpec {
  const limitBytes = summaryLimitBytes(container.memory);
  return {
    name: container.name,
    image: imageOf(container),
    resources: limitBytes === null ? {} : { limits: { memory: bytesQuantity(limitBytes) } },
  };
}

function imageOf(container: SummaryContainer): string {
  return `replay.local/${container.name}:summary`;
}

/** A UUID-shaped id that is the same for the same text on every run. */
export function stableUid(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  const hex: string[] = [];
  for (let round = 0; round < 4; round++) {
    for (const char of `${round}:${text}`) {
      a = Math.imul(a ^ char.charCodeAt(0), 0x01000193) >>> 0;
      b = Math.imul(b + char.charCodeAt(0), 0x5bd1e995) >>> 0;
    }
    hex.push(((a ^ b) >>> 0).toString(16).padStart(8, '0'));
  }
  const all = hex.join('');
  return `${all.slice(0, 8)}-${all.slice(8, 12)}-4${all.slice(13, 16)}-8${all.slice(17, 20)}-${all.slice(20, 32)}`;
}
