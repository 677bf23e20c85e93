import { synthesizeCluster } from './synthesize';

const NOW_MS = Date.UTC(2025, 5, 2, 12, 0, 0);

describe('synthesized cluster', () => {
  it('builds the asked number of nodes of 30 pods each, named replay-node-0001 on', () => {
    const nodes = synthesizeCluster({ nodes: 3, seed: 42, nowMs: NOW_MS });

    expect(nodes.map((node) => node.name)).toEqual(['replay-node-0001', 'replay-node-0002', 'replay-node-0003']);
    expect(nodes.map((node) => node.summary.pods.length)).toEqual([30, 30, 30]);
    expect(JSON.parse(nodes[1].body()).node.nodeName).toBe('replay-node-0002');
  });

  it('the same seed gives the same cluster and another seed a different one', () => {
    const first = synthesizeCluster({ nodes: 2, seed: 7, nowMs: NOW_MS });
    const again = synthesizeCluster({ nodes: 2, seed: 7, nowMs: NOW_MS });
    const other = synthesizeCluster({ nodes: 2, seed: 8, nowMs: NOW_MS });

    expect(again.map((node) => node.body())).toEqual(first.map((node) => node.body()));
    expect(other[0].body()).not.toBe(first[0].body());
  });

  it('pod names and uids are unique and a limit is never below the working set', () => {
    const nodes = synthesizeCluster({ nodes: 20, seed: 3, nowMs: NOW_MS });
    const pods = nodes.flatMap((node) => node.summary.pods);
    const containers = pods.flatMap((pod) => pod.containers ?? []);

    expect(new Set(pods.map((pod) => pod.podRef.uid)).size).toBe(600);
    expect(new Set(pods.map((pod) => `${pod.podRef.namespace}/${pod.podRef.name}`)).size).toBe(600);
    expect(containers.every((c) => c.memory?.availableBytes === undefined || c.memory.availableBytes >= 0)).toBe(true);
    const limited = containers.filter((c) => c.memory?.availableBytes !== undefined).length / containers.length;
    expect(limited).toBeGreaterThan(0.6);
    expect(limited).toBeLessThan(0.9);
  });
});
