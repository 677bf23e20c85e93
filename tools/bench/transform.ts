// Times the plugin's hot path on a large scope: joinContainers + containersTable over 100,000 containers synthesized
// from the shapes of the real kubelet summaries (pods and containers cloned across nodes, with pod specs for all and
// sidecar answers for one container in ten). Prints figures; asserts nothing.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

import { containersTable, joinContainers, NodeSummary, parsePodList, parseSummary, PodInfo } from '../../src/core';
import { ContainersResponse } from '../../src/core/sidecar-api';
import { sidecarContainer } from '../../src/core/test-objects';
import { sharedPath } from '../../src/test-support/shared';

const TARGET_CONTAINERS = Number(process.env.CONTAINERS ?? 100_000);
const RUNS = Number(process.env.RUNS ?? 7);

function fixture(name: string): NodeSummary {
  const text = readFileSync(sharedPath('fixtures', 'kubelet-summary', name), 'utf8');
  return parseSummary(text, name).summary!;
}

const templates = [fixture('minikube-2020.json'), fixture('gke-2019.json')];
const summaries: NodeSummary[] = [];
const podItems: unknown[] = [];
const sidecars: ContainersResponse[] = [];
let containers = 0;

for (let n = 0; containers < TARGET_CONTAINERS; n++) {
  const template = templates[n % templates.length];
  const nodeName = `node-${n}`;
  const summary: NodeSummary = { ...template, nodeName, pods: [] };
  const response: ContainersResponse = {
    apiVersion: 'v1',
    scope: 'node',
    node: nodeName,
    timeMs: 1_714_640_400_000,
    fromMs: 1_714_636_800_000,
    toMs: 1_714_640_400_000,
    containers: [],
    notices: [],
  };

  for (let copy = 0; copy < 6 && containers < TARGET_CONTAINERS; copy++) {
    for (const pod of template.pods) {
      if (containers >= TARGET_CONTAINERS) {
        break;
      }
      const name = `${pod.name}-${n}-${copy}`;
      const uid = `${pod.uid}-${n}-${copy}`;
      const podContainers = pod.containers.slice(0, TARGET_CONTAINERS - containers);
      summary.pods.push({ ...pod, name, uid, containers: podContainers });
      podItems.push({
        metadata: { name, namespace: pod.namespace, uid },
        spec: {
          nodeName,
          containers: podContainers.map((c, i) => ({
            name: c.name,
            resources: i % 2 === 0 ? { limits: { memory: '256Mi' }, requests: { memory: '128Mi' } } : {},
          })),
        },
        status: {
          phase: 'Running',
          qosClass: 'Burstable',
          containerStatuses: podContainers.map((c) => ({ name: c.name, restartCount: 1, state: { running: {} } })),
        },
      });
      for (const c of podContainers) {
        if (containers % 10 === 0) {
          response.containers.push(
            sidecarContainer({
              identity: {
                namespace: pod.namespace,
                pod: name,
                container: c.name,
                podUid: uid,
                containerId: null,
                cgroupPath: uid,
              },
              limitBytes: 256 * 2 ** 20,
              windows: Array.from({ length: 6 }, (_, w) => ({
                startMs: 1_714_640_340_000 + w * 10_000,
                endMs: 1_714_640_350_000 + w * 10_000,
                peakBytes: (100 + w) * 2 ** 20,
                peakExact: true,
                lastBytes: 90 * 2 ** 20,
                workingSetBytes: 80 * 2 ** 20,
                limitHit: false,
                samples: 10,
              })),
            })
          );
        }
        containers++;
      }
    }
  }
  summaries.push(summary);
  sidecars.push(response);
}

const pods: PodInfo[] = parsePodList({ items: podItems }).pods;
const range = { fromMs: 1_714_636_800_000, toMs: 1_714_640_400_000 };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const joinMs: number[] = [];
const tableMs: number[] = [];
const cpuMs: number[] = [];
let rowCount = 0;
for (let run = 0; run < RUNS + 1; run++) {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const rows = joinContainers({ summaries, pods, sidecars, range });
  const joined = performance.now();
  const frame = containersTable(rows);
  const done = performance.now();
  const cpu = process.cpuUsage(cpuStart);
  rowCount = frame.fields[0].values.length;
  // The first run warms the JIT and is not counted.
  if (run > 0) {
    joinMs.push(joined - start);
    tableMs.push(done - joined);
    // CPU time of this process (user + system, all its threads, garbage collection included): on a busy machine wall
    // time also counts the time other processes held the cores.
    cpuMs.push((cpu.user + cpu.system) / 1000);
  }
}

const totals = joinMs.map((ms, i) => ms + tableMs[i]);
console.log(
  `containers: ${containers} on ${summaries.length} nodes, ${pods.length} pods, sidecar containers: ${sidecars.reduce((n, s) => n + s.containers.length, 0)}`
);
console.log(`rows: ${rowCount}, runs: ${RUNS} (after 1 warm-up)`);
console.log(
  `joinContainers  median ${median(joinMs).toFixed(1)} ms  (min ${Math.min(...joinMs).toFixed(1)}, max ${Math.max(...joinMs).toFixed(1)})`
);
console.log(
  `containersTable median ${median(tableMs).toFixed(1)} ms  (min ${Math.min(...tableMs).toFixed(1)}, max ${Math.max(...tableMs).toFixed(1)})`
);
console.log(`join + table    median ${median(totals).toFixed(1)} ms wall (aim: under 300 ms)`);
console.log(`join + table    median ${median(cpuMs).toFixed(1)} ms CPU time of the process`);
console.log(
  `load average    ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} on ${os.cpus().length} cores`
);
