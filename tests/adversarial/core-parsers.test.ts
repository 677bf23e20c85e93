// Hostile and odd input to the pure core's parsers and joins: each case keeps what it can, marks what it cannot trust
// as missing, and never throws.
import { readFileSync } from 'node:fs';

import {
  joinContainers,
  MiB,
  parseNodeList,
  parsePodList,
  parseQuantityBytes,
  parseSidecarResponse,
  parseSummary,
} from '../../src/core';
import {
  sidecarContainer,
  sidecarResponse,
  summaryBody,
  summaryContainer,
  v1Pod,
  v1PodList,
} from '../../src/core/test-objects';
import { sharedPath } from '../../src/test-support/shared';

function podWithContainers(containers: unknown, status: Record<string, unknown> = {}) {
  return {
    metadata: { namespace: 'shop', name: 'checkout-7d9f', uid: 'uid-checkout' },
    spec: { nodeName: 'worker-1', containers },
    status: { phase: 'Running', qosClass: 'Burstable', ...status },
  };
}

function nested(depth: number): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let current = root;
  for (let i = 0; i < depth; i++) {
    const next: Record<string, unknown> = {};
    current.inner = next;
    current = next;
  }
  return root;
}

describe('kubelet summary under hostile input', () => {
  it('a summary with a string workingSetBytes marks the value missing and keeps the other containers', () => {
    const body = summaryBody('worker-1', [
      {
        name: 'checkout-7d9f',
        containers: [
          summaryContainer('api', { usage: 400 * MiB, workingSet: 300 * MiB }),
          {
            ...summaryContainer('proxy', { usage: 90 * MiB }),
            memory: { workingSetBytes: '62914560', usageBytes: 90 * MiB },
          },
        ],
      },
    ]);

    const { summary, notices } = parseSummary(body, 'worker-1');

    const [api, proxy] = summary!.pods[0].containers;
    expect(api.memory.workingSetBytes).toBe(300 * MiB);
    expect(proxy.memory.workingSetBytes).toBeNull();
    expect(proxy.memory.usageBytes).toBe(90 * MiB);
    expect(notices.map((n) => n.text)).toContain(
      'node worker-1 pod shop/checkout-7d9f container proxy: workingSetBytes is not a number; shown as missing'
    );
  });

  it('a working set of 1e308 or past 2^53 is missing, never a number the math believes', () => {
    const body = summaryBody('worker-1', [
      { name: 'p', containers: [summaryContainer('api', { usage: 1e308, workingSet: 18446744073709551615 })] },
    ]);

    const memory = parseSummary(body, 'worker-1').summary!.pods[0].containers[0].memory;

    expect(memory.usageBytes).toBeNull();
    expect(memory.workingSetBytes).toBeNull();
  });

  it('a working set of -0 reads as 0, not as a negative zero', () => {
    const body = summaryBody('worker-1', [
      { name: 'p', containers: [summaryContainer('api', { usage: 20 * MiB, workingSet: -0 })] },
    ]);

    const ws = parseSummary(body, 'worker-1').summary!.pods[0].containers[0].memory.workingSetBytes;

    expect(Object.is(ws, 0)).toBe(true);
  });

  it('a container without a start time says so in words, not "undefined"', () => {
    const container = summaryContainer('api', { usage: 20 * MiB, workingSet: 10 * MiB });
    delete container.startTime;

    const stats = parseSummary(summaryBody('worker-1', [{ name: 'p', containers: [container] }]), 'worker-1').summary!
      .pods[0].containers[0];

    expect(stats.notes).toEqual(['start time unknown (kubelet sent nothing)']);
  });

  it('names __proto__, constructor and toString are ordinary names that join like any other', () => {
    const body = JSON.parse(
      '{"node":{"nodeName":"worker-1"},"pods":[{"podRef":{"name":"__proto__","namespace":"constructor","uid":"hasOwnProperty"},' +
        '"containers":[{"name":"toString","startTime":"2024-05-02T08:00:00Z","memory":{"usageBytes":41943040,"workingSetBytes":31457280}}]}]}'
    );

    const { summary } = parseSummary(body, 'worker-1');
    const rows = joinContainers({ summaries: [summary!], pods: null });

    expect(rows.map((r) => [r.namespace, r.pod, r.container, r.workingSetBytes])).toEqual([
      ['constructor', '__proto__', 'toString', 30 * MiB],
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a summary nested 10,000 levels deep or with arrays where objects belong is read without throwing', () => {
    const deep = nested(10_000);

    const asObject = parseSummary({ node: deep, pods: [deep, [[[]]], 'pod'] }, 'worker-1');
    const asList = parseSummary([{ node: {} }], 'worker-1');

    expect(asObject.summary!.pods).toEqual([]);
    expect(asObject.notices.filter((n) => n.text.includes('has no valid podRef'))).toHaveLength(3);
    expect(asList.summary).toBeNull();
    expect(asList.notices[0].text).toBe('node worker-1: the stats summary is not an object (got a list)');
  });

  it('a truncated summary is one error naming the node, not a throw', () => {
    const text = readFileSync(sharedPath('fixtures/kubelet-summary/minikube-2020.json'), 'utf8');

    const result = parseSummary(text.slice(0, Math.floor(text.length / 2)), 'minikube');

    expect(result.summary).toBeNull();
    expect(result.notices).toEqual([{ severity: 'error', text: 'node minikube: the stats summary is not JSON' }]);
  });

  it('a summary for another node than the one asked keeps its pods under the node asked, with a notice', () => {
    const body = summaryBody('worker-9', [
      { name: 'p', containers: [summaryContainer('api', { usage: 20 * MiB, workingSet: 10 * MiB })] },
    ]);

    const { summary, notices } = parseSummary(body, 'worker-1');

    expect(summary!.nodeName).toBe('worker-1');
    expect(notices.map((n) => n.text)).toContain('node worker-1: the kubelet calls itself worker-9');
  });
});

describe('pod list under hostile input', () => {
  it('a restart count and exit code sent as strings cost those fields only: the OOMKilled reason survives', () => {
    const pod = podWithContainers([{ name: 'api', resources: { limits: { memory: '512Mi' } } }], {
      containerStatuses: [
        {
          name: 'api',
          restartCount: '3',
          containerID: 'containerd://0c1d',
          state: { running: { startedAt: '2024-05-02T08:10:00Z' } },
          lastState: {
            terminated: { reason: 'OOMKilled', exitCode: '137', finishedAt: '2024-05-02T08:09:58Z' },
          },
        },
      ],
    });

    const container = parsePodList(v1PodList(pod)).pods[0].containers[0];

    expect(container.limitBytes).toBe(512 * MiB);
    expect(container.restartCount).toBeNull();
    expect(container.state).toBe('running');
    expect(container.lastTermination).toEqual({
      reason: 'OOMKilled',
      exitCode: null,
      startedAtMs: null,
      finishedAtMs: Date.parse('2024-05-02T08:09:58Z'),
      oomKilled: true,
    });
  });

  it('resources that are a list keep the container, with its limit unknown rather than unlimited', () => {
    const pod = podWithContainers([
      { name: 'api', resources: { limits: ['512Mi'] } },
      { name: 'proxy', resources: { limits: { memory: '64Mi' } } },
    ]);

    const { pods, notices } = parsePodList(v1PodList(pod));
    const rows = joinContainers({ summaries: [], pods });

    expect(pods[0].containers.map((c) => [c.name, c.limitBytes])).toEqual([
      ['api', null],
      ['proxy', 64 * MiB],
    ]);
    expect(notices.map((n) => n.text)).toEqual([
      'pod shop/checkout-7d9f container api: resources are not readable; memory limit and request unknown',
    ]);
    const api = rows.find((r) => r.container === 'api')!;
    expect(api.unlimited).toBe(false);
    expect(api.notes).toContain('limit unknown');
  });

  it('a containers field that is an object instead of a list is a notice, not a silent pod without containers', () => {
    const { pods, notices } = parsePodList(v1PodList(podWithContainers({ name: 'api' })));

    expect(pods[0].containers).toEqual([]);
    expect(notices.map((n) => n.text)).toEqual([
      "pod shop/checkout-7d9f: the spec's containers are not a list; its containers are left out",
    ]);
  });

  it('a memory limit of "0" is no limit (the runtime reads 0 as unset), so no headroom rather than negative headroom', () => {
    const pod = v1Pod({ name: 'batch-0', nodeName: 'worker-1', containers: [{ name: 'job', limit: '0' }] });
    const summary = parseSummary(
      summaryBody('worker-1', [
        {
          name: 'batch-0',
          uid: 'uid-batch-0',
          containers: [summaryContainer('job', { usage: 300 * MiB, workingSet: 250 * MiB })],
        },
      ]),
      'worker-1'
    ).summary!;

    const [row] = joinContainers({ summaries: [summary], pods: parsePodList(v1PodList(pod)).pods });

    expect(row.limitBytes).toBeNull();
    expect(row.unlimited).toBe(true);
    expect(row.headroomBytes).toBeNull();
    expect(row.workingSetToLimit).toBeNull();
  });

  it('a limit of 1 byte is a real limit: the working set sits far above it', () => {
    const pod = v1Pod({ name: 'tiny-0', nodeName: 'worker-1', containers: [{ name: 'app', limit: '1' }] });
    const summary = parseSummary(
      summaryBody('worker-1', [
        {
          name: 'tiny-0',
          uid: 'uid-tiny-0',
          containers: [summaryContainer('app', { usage: 2 * MiB, workingSet: MiB })],
        },
      ]),
      'worker-1'
    ).summary!;

    const [row] = joinContainers({ summaries: [summary], pods: parsePodList(v1PodList(pod)).pods });

    expect(row.limitBytes).toBe(1);
    expect(row.headroomBytes).toBe(1 - MiB);
    expect(row.workingSetToLimit).toBe(MiB);
  });

  it('the same pod listed twice with a container named twice yields one row per spec entry and never throws', () => {
    const pod = v1Pod({
      name: 'dup-0',
      nodeName: 'worker-1',
      containers: [
        { name: 'app', limit: '64Mi' },
        { name: 'app', limit: '128Mi' },
      ],
    });

    const { pods } = parsePodList(v1PodList(pod, pod));
    const rows = joinContainers({ summaries: [], pods });

    expect(pods).toHaveLength(2);
    expect(rows.map((r) => r.limitBytes)).toEqual([64 * MiB, 128 * MiB, 64 * MiB, 128 * MiB]);
  });
});

describe('node list under hostile input', () => {
  it('a label with a number value costs the labels, not the node', () => {
    const { nodes } = parseNodeList({
      items: [{ metadata: { name: 'worker-1', labels: { zone: 3 } }, status: { allocatable: { memory: '15Gi' } } }],
    });

    expect(nodes.map((n) => [n.name, n.labels, n.allocatableBytes])).toEqual([['worker-1', {}, 15 * 1024 * MiB]]);
  });

  it('an unreadable capacity is a notice, and allocatable as a list is a missing value', () => {
    const { nodes, notices } = parseNodeList({
      items: [{ metadata: { name: 'worker-1' }, status: { capacity: { memory: 'lots' }, allocatable: ['15Gi'] } }],
    });

    expect(nodes[0].capacityBytes).toBeNull();
    expect(nodes[0].allocatableBytes).toBeNull();
    expect(notices.map((n) => n.text)).toEqual(['node worker-1: memory capacity is not a valid quantity']);
  });
});

describe('quantities at the edges', () => {
  it.each([
    ['100n', 1],
    ['1m', 1],
    ['-0', 0],
    ['0', 0],
  ])('%s is %p bytes: a positive fraction of a byte rounds up to 1, and zero is never negative', (input, bytes) => {
    const parsed = parseQuantityBytes(input);

    expect(Object.is(parsed, bytes)).toBe(true);
  });

  it.each(['1e309', 'Infinity', 'NaN', '5 Mi', '0x10', '١٢٣', '1e', '12Mb'])('%s is not a quantity: null', (input) => {
    expect(parseQuantityBytes(input)).toBeNull();
  });
});

describe('sidecar answers under hostile input', () => {
  const identity = {
    namespace: 'shop',
    pod: 'checkout-7d9f',
    container: 'api',
    podUid: 'uid-checkout',
    containerId: null,
    cgroupPath: 'x',
  };

  it('a negative peak or limit from a sidecar is missing, with a notice, and the rest of the container is kept', () => {
    const container = sidecarContainer({
      identity,
      limitBytes: -1,
      usageBytes: 40 * MiB,
      workingSetBytes: 36 * MiB,
      windows: [
        {
          startMs: 0,
          endMs: 10_000,
          peakBytes: -5,
          peakExact: true,
          lastBytes: 40 * MiB,
          workingSetBytes: 36 * MiB,
          limitHit: false,
          samples: 10,
        },
      ],
    });

    const { response, notices } = parseSidecarResponse(sidecarResponse('worker-1', [container]), 'worker-1');

    const parsed = response!.containers[0];
    expect(parsed.limitBytes).toBeNull();
    expect(parsed.windows[0].peakBytes).toBeNull();
    expect(parsed.usageBytes).toBe(40 * MiB);
    expect(notices.map((n) => n.text)).toEqual([
      'sidecar worker-1: container #1 has negative byte counts (limitBytes, windows.0.peakBytes); shown as missing',
    ]);
  });

  it('windows sent newest first still give the highest peak and reach the diagnosis oldest first', () => {
    const at = Date.UTC(2024, 4, 2, 8, 59, 0);
    const window = (endMs: number, peakBytes: number) => ({
      startMs: endMs - 10_000,
      endMs,
      peakBytes,
      peakExact: true,
      lastBytes: 40 * MiB,
      workingSetBytes: 36 * MiB,
      limitHit: false,
      samples: 10,
    });
    const container = sidecarContainer({
      identity,
      limitBytes: 64 * MiB,
      windows: [window(at + 20_000, 40 * MiB), window(at + 10_000, 63 * MiB), window(at, 41 * MiB)],
    });

    const [row] = joinContainers({ summaries: [], pods: null, sidecars: [sidecarResponse('worker-1', [container])] });

    expect(row.sidecar!.peakBytes).toBe(63 * MiB);
    expect(row.sidecar!.windows.map((w) => w.endMs)).toEqual([at, at + 10_000, at + 20_000]);
  });

  it('a peak above the limit gives a ratio above 1 and negative peak headroom', () => {
    const container = sidecarContainer({
      identity,
      limitBytes: 64 * MiB,
      windows: [
        {
          startMs: 0,
          endMs: 10_000,
          peakBytes: 80 * MiB,
          peakExact: true,
          lastBytes: 40 * MiB,
          workingSetBytes: 36 * MiB,
          limitHit: true,
          samples: 10,
        },
      ],
    });

    const [row] = joinContainers({ summaries: [], pods: null, sidecars: [sidecarResponse('worker-1', [container])] });

    expect(row.peakToLimit).toBe(1.25);
    expect(row.peakHeadroomBytes).toBe(-16 * MiB);
  });

  it('an answer whose containers are an object is one error, and one bad container leaves the rest', () => {
    const good = sidecarContainer({ identity });
    const asObject = parseSidecarResponse({ ...sidecarResponse('worker-1', []), containers: { 0: good } }, 'worker-1');
    const mixed = parseSidecarResponse(
      { ...sidecarResponse('worker-1', []), containers: [good, { id: 7 }] },
      'worker-1'
    );

    expect(asObject.response).toBeNull();
    expect(asObject.notices[0].text).toBe('sidecar worker-1: not a v1 containers answer at containers');
    expect(mixed.response!.containers).toHaveLength(1);
    expect(mixed.notices.map((n) => n.text)).toEqual(['sidecar worker-1: container #2 is malformed at id; left out']);
  });
});
