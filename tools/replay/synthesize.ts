/**
 * A large replayed cluster built in memory from the shapes of real kubelet summaries: each synthesized pod copies a
 * real pod's document (containers, CPU, network, volumes) and gets a new name, uid, namespace and memory figures drawn
 * from a seeded random source, so the same seed always gives the same cluster.
 */
import { sharedPath } from '../../src/test-support/shared';
import { SeededRandom } from './seeded-random';
import { ReplayNode, SummaryContainer, SummaryDocument, SummaryMemory, SummaryPod } from './summary-document';
import { loadSummaryDirectory } from './summary-files';

const MiB = 2 ** 20;

export interface SynthesizeOptions {
  nodes: number;
  /** Default 30. */
  podsPerNode?: number;
  seed: number;
  /** Real summaries to copy shapes from; default: the shared kubelet summary fixtures. */
  templates?: ReplayNode[];
  /** The time every synthesized figure is stamped with (ms since epoch); default: now. */
  nowMs?: number;
}

const APPS = ['api', 'web', 'worker', 'cache', 'search', 'checkout', 'payments', 'ingest', 'notifier', 'reports'];
const NAMESPACES = ['shop', 'payments', 'search', 'data', 'platform', 'monitoring', 'kube-system'];
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Builds `nodes` summaries of `podsPerNode` pods each, named `replay-node-0001`, ... */
export function synthesizeCluster(options: SynthesizeOptions): ReplayNode[] {
  const templates = options.templates ?? loadSummaryDirectory(sharedPath('fixtures', 'kubelet-summary')).nodes;
  if (templates.length === 0) {
    throw new Error('no template summaries to synthesize a cluster from');
  }
  const templatePods = templates.flatMap((template) => template.summary.pods);
  const podsPerNode = options.podsPerNode ?? 30;
  const nowMs = options.nowMs ?? Date.now();
  const random = new SeededRandom(options.seed);
  const width = Math.max(4, String(options.nodes).length);

  const nodes: ReplayNode[] = [];
  for (let n = 0; n < options.nodes; n++) {
    const template = templates[n % templates.length].summary;
    const name = `replay-node-${String(n + 1).padStart(width, '0')}`;
    const pods = Array.from({ length: podsPerNode }, () => synthesizePod(random.pick(templatePods), random, nowMs));
    const summary = synthesizeNode(template, name, pods, random, nowMs);
    let body: string | null = null;
    nodes.push({
      name,
      summary,
      body: () => (body ??= JSON.stringify(summary)),
      source: 'synthesized',
    });
  }
  return nodes;
}

function synthesizeNode(
  template: SummaryDocument,
  name: string,
  pods: SummaryPod[],
  random: SeededRandom,
  nowMs: number
): SummaryDocument {
  const node = clone(template.node);
  node.nodeName = name;
  node.startTime = iso(nowMs - random.between(2, 30) * 86_400_000);

  const podsWorkingSet = pods.reduce((sum, pod) => sum + (pod.memory?.workingSetBytes ?? 0), 0);
  const capacityBytes = Math.ceil((podsWorkingSet * random.between(1.6, 2.4) + 2048 * MiB) / (1024 * MiB)) * 1024 * MiB;
  const workingSetBytes = podsWorkingSet + Math.round(random.between(600, 1200) * MiB);
  node.memory = {
    time: iso(nowMs),
    availableBytes: Math.max(0, capacityBytes - workingSetBytes),
    usageBytes: workingSetBytes + Math.round(random.between(500, 2000) * MiB),
    workingSetBytes,
    rssBytes: Math.round(workingSetBytes * 0.6),
    pageFaults: Math.round(random.between(1e5, 1e7)),
    majorPageFaults: Math.round(random.between(0, 500)),
  };
  node.systemContainers = (node.systemContainers ?? []).map((container) => {
    const copy = clone(container);
    copy.startTime = node.startTime;
    if (copy.memory) {
      copy.memory.time = iso(nowMs);
    }
    if (copy.name === 'pods' && copy.memory) {
      // The pods cgroup is capped at allocatable: capacity less the kube and system reserves.
      const podsLimitBytes = capacityBytes - 512 * MiB;
      copy.memory.workingSetBytes = podsWorkingSet;
      copy.memory.usageBytes = podsWorkingSet + Math.round(random.between(100, 800) * MiB);
      copy.memory.availableBytes = Math.max(0, podsLimitBytes - podsWorkingSet);
    }
    return copy;
  });
  return { node, pods };
}

function synthesizePod(template: SummaryPod, random: SeededRandom, nowMs: number): SummaryPod {
  const pod = clone(template);
  const app = random.pick(APPS);
  const name = `${app}-${random.text(random.pick([9, 10]), NAME_ALPHABET)}-${random.text(5, NAME_ALPHABET)}`;
  const startMs = nowMs - random.between(0.1, 240) * 3_600_000;
  pod.podRef = { name, namespace: random.pick(NAMESPACES), uid: random.uuid() };
  pod.startTime = iso(startMs);

  pod.containers = (template.containers ?? []).map((container, index) =>
    synthesizeContainer(container, index === 0 ? app : container.name, random, startMs, nowMs)
  );
  const sum = (pick: (memory: SummaryMemory) => number | undefined) =>
    (pod.containers ?? []).reduce((total, container) => total + (pick(container.memory ?? {}) ?? 0), 0);
  pod.memory = {
    time: iso(nowMs),
    usageBytes: sum((memory) => memory.usageBytes),
    workingSetBytes: sum((memory) => memory.workingSetBytes),
    rssBytes: sum((memory) => memory.rssBytes),
    pageFaults: sum((memory) => memory.pageFaults),
    majorPageFaults: sum((memory) => memory.majorPageFaults),
  };
  return pod;
}

/**
 * Memory figures for one container: the working set scales the template's; three in four containers get a limit,
 * mostly with ample room and one in twenty within 10 % of it, so headroom and warnings show a realistic spread.
 */
function synthesizeContainer(
  template: SummaryContainer,
  name: string,
  random: SeededRandom,
  startMs: number,
  nowMs: number
): SummaryContainer {
  const container = clone(template);
  container.name = name;
  container.startTime = iso(startMs + random.between(0.5, 20) * 1000);

  const templateMemory = template.memory ?? {};
  const workingSetBytes = Math.round(
    Math.max(4 * MiB, templateMemory.workingSetBytes ?? 16 * MiB) * random.between(0.5, 3)
  );
  const cacheBytes = Math.max(0, (templateMemory.usageBytes ?? 0) - (templateMemory.workingSetBytes ?? 0));
  const memory: SummaryMemory = {
    time: iso(nowMs - random.between(0, 15) * 1000),
    usageBytes: workingSetBytes + Math.round(cacheBytes * random.between(0.5, 2)),
    workingSetBytes,
    rssBytes: Math.round(workingSetBytes * random.between(0.7, 0.98)),
    pageFaults: Math.round(random.between(1e3, 1e6)),
    majorPageFaults: Math.round(random.between(0, 50)),
  };
  if (random.next() < 0.75) {
    const closeToLimit = random.next() < 0.05;
    const limitBytes = closeToLimit
      ? Math.ceil(workingSetBytes / random.between(0.9, 0.99))
      : Math.ceil((workingSetBytes * random.between(1.3, 4)) / (16 * MiB)) * 16 * MiB;
    memory.availableBytes = Math.max(0, limitBytes - workingSetBytes);
  }
  container.memory = memory;
  return container;
}

const cloneSources = new WeakMap<object, string>();

/** A deep copy; the JSON text of each template object is kept, as the same templates are copied thousands of times. */
function clone<T>(value: T): T {
  const key = value as object;
  let text = cloneSources.get(key);
  if (text === undefined) {
    text = JSON.stringify(value);
    cloneSources.set(key, text);
  }
  return JSON.parse(text) as T;
}

function iso(ms: number): string {
  return new Date(Math.round(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
