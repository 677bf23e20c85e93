import { readFileSync } from 'node:fs';

import fc from 'fast-check';

import { sharedPath } from '../test-support/shared';
import { MiB } from './headroom';
import { parseSummary } from './kubelet-summary';
import { summaryBody, summaryContainer } from './test-objects';

function fixtureText(name: string): string {
  return readFileSync(sharedPath('fixtures', 'kubelet-summary', name), 'utf8');
}

describe('parseSummary on real kubelet payloads', () => {
  it('reads every pod and container of the minikube summary, node memory included', () => {
    const { summary, notices } = parseSummary(JSON.parse(fixtureText('minikube-2020.json')), 'minikube');

    expect(notices).toEqual([]);
    expect(summary!.pods).toHaveLength(9);
    expect(summary!.pods.flatMap((p) => p.containers)).toHaveLength(9);
    expect(summary!.memory).toEqual({
      timeMs: Date.parse('2020-04-20T22:52:27Z'),
      availableBytes: 2620624896,
      usageBytes: 3608727552,
      workingSetBytes: 1234567890,
      rssBytes: 607125504,
      pageFaults: 12345,
      majorPageFaults: 12,
    });
    expect(summary!.systemContainers.map((c) => c.name)).toEqual(['kubelet', 'runtime', 'pods']);
  });

  it('keeps coredns’s availableBytes and working set, which together give its 170 MiB limit', () => {
    const { summary } = parseSummary(JSON.parse(fixtureText('minikube-2020.json')), 'minikube');
    const coredns = summary!.pods.find((p) => p.name === 'coredns-66bff467f8-szddj')!;

    expect(coredns.uid).toBe('0adffe8e-9849-4e05-b4cd-92d2d1e1f1c3');
    expect(coredns.containers[0].memory).toMatchObject({
      availableBytes: 172007424,
      workingSetBytes: 6250496,
      usageBytes: 7942144,
      rssBytes: 6807552,
      timeMs: Date.parse('2020-04-20T22:52:18Z'),
    });
    expect(coredns.containers[0].memory.availableBytes! + coredns.containers[0].memory.workingSetBytes!).toBe(
      170 * MiB
    );
  });

  it('leaves availableBytes missing for the seven minikube containers without a limit', () => {
    const { summary } = parseSummary(JSON.parse(fixtureText('minikube-2020.json')), 'minikube');
    const withoutAvailable = summary!.pods.flatMap((p) => p.containers).filter((c) => c.memory.availableBytes === null);

    expect(withoutAvailable).toHaveLength(7);
    expect(withoutAvailable.every((c) => c.memory.workingSetBytes! > 0)).toBe(true);
  });

  it('reads the CRLF GKE summary with userDefinedMetrics null: 10 pods, 17 containers, 3 with a limit', () => {
    const text = fixtureText('gke-2019.json');
    expect(text).toContain('\r\n');

    const { summary, notices } = parseSummary(text, 'gke-team-pool-1-1c8b424c-wnkn');

    expect(notices).toEqual([]);
    expect(summary!.pods).toHaveLength(10);
    const containers = summary!.pods.flatMap((p) => p.containers);
    expect(containers).toHaveLength(17);
    expect(
      containers.filter((c) => c.memory.availableBytes !== null).map((c) => [c.name, c.memory.availableBytes])
    ).toEqual([
      ['prometheus-to-sd-new-model', 14090240],
      ['fluentd-gcp', 363126784],
      ['kubedns', 165543936],
    ]);
  });

  it('keeps the odd fluentd-gcp-scaler figures as reported: 100 KiB RSS under a 39.7 MiB working set', () => {
    const { summary } = parseSummary(fixtureText('gke-2019.json'), 'gke-team-pool-1-1c8b424c-wnkn');
    const scaler = summary!.pods.find((p) => p.name === 'fluentd-gcp-scaler-54ccb89d5-pvjz2')!.containers[0];

    expect(scaler.memory.rssBytes).toBe(102400);
    expect(scaler.memory.workingSetBytes).toBe(41607168);
    expect(scaler.notes).toEqual([]);
  });
});

describe('parseSummary on payloads that lie (C11)', () => {
  it('shows a memory object with only time and workingSetBytes 0 as not measured', () => {
    const body = summaryBody('node-a', [
      {
        name: 'api-7d9f',
        containers: [
          {
            name: 'api',
            startTime: '2024-05-02T08:00:00Z',
            memory: { time: '2024-05-02T09:00:00Z', workingSetBytes: 0 },
          },
          summaryContainer('envoy', { usage: 90 * MiB, workingSet: 80 * MiB, rss: 70 * MiB }),
        ],
      },
    ]);

    const { summary, notices } = parseSummary(body, 'node-a');
    const [api, envoy] = summary!.pods[0].containers;

    expect(api.memory.workingSetBytes).toBeNull();
    expect(api.memory.usageBytes).toBeNull();
    expect(api.memory.timeMs).toBe(Date.parse('2024-05-02T09:00:00Z'));
    expect(api.notes).toEqual(['kubelet reported only a working set of 0: memory not measured']);
    expect(notices).toEqual([
      {
        severity: 'warning',
        text: 'node node-a pod shop/api-7d9f container api: kubelet reported only a working set of 0; shown as missing',
      },
    ]);
    expect(envoy.memory.workingSetBytes).toBe(80 * MiB);
  });

  it('shows usage, working set and RSS all 0 with availableBytes 1 GiB as not measured, keeping available', () => {
    const body = summaryBody('node-a', [
      {
        name: 'batch-0',
        containers: [summaryContainer('worker', { usage: 0, workingSet: 0, rss: 0, available: 1073741824 })],
      },
    ]);

    const { summary, notices } = parseSummary(body, 'node-a');
    const worker = summary!.pods[0].containers[0];

    expect(worker.memory).toMatchObject({
      usageBytes: null,
      workingSetBytes: null,
      rssBytes: null,
      availableBytes: 1073741824,
    });
    expect(worker.notes).toEqual(['kubelet reported usage, working set and RSS all 0: memory not measured']);
    expect(notices.map((n) => n.severity)).toEqual(['warning']);
  });

  it('reads a system container with startTime null as an unknown start, keeping its memory', () => {
    const body = summaryBody('node-a', []);
    (body.node as { systemContainers: unknown[] }).systemContainers.push({
      name: 'misc',
      startTime: null,
      memory: { time: '2024-05-02T09:00:00Z', usageBytes: 50 * MiB, workingSetBytes: 30 * MiB },
    });

    const { summary } = parseSummary(body, 'node-a');
    const misc = summary!.systemContainers.find((c) => c.name === 'misc')!;

    expect(misc.startTimeMs).toBeNull();
    expect(misc.notes).toEqual(['start time unknown (kubelet sent null)']);
    expect(misc.memory.workingSetBytes).toBe(30 * MiB);
  });

  it('leaves availableBytes missing for a container without a limit, with no notice (that is normal)', () => {
    const body = summaryBody('node-a', [
      {
        name: 'web-1',
        containers: [summaryContainer('nginx', { usage: 40 * MiB, workingSet: 30 * MiB, rss: 20 * MiB })],
      },
    ]);

    const { summary, notices } = parseSummary(body, 'node-a');

    expect(summary!.pods[0].containers[0].memory.availableBytes).toBeNull();
    expect(notices).toEqual([]);
  });

  it.each([
    [18446744073709551615, 'availableBytes 18446744073709552000 wrapped around'],
    [2 ** 53 + 2, 'availableBytes 9007199254740994 wrapped around'],
    [-4096, 'availableBytes is negative (-4096)'],
    ['1Gi', 'availableBytes is not a number ("1Gi")'],
  ])('shows availableBytes %p as missing with the reason', (available, note) => {
    const body = summaryBody('node-a', [
      {
        name: 'api-1',
        containers: [summaryContainer('api', { usage: 300 * MiB, workingSet: 250 * MiB, available: 0 })],
      },
    ]);
    const container = (body.pods as Array<{ containers: Array<{ memory: Record<string, unknown> }> }>)[0].containers[0];
    container.memory.availableBytes = available;

    const { summary, notices } = parseSummary(body, 'node-a');
    const api = summary!.pods[0].containers[0];

    expect(api.memory.availableBytes).toBeNull();
    expect(api.memory.workingSetBytes).toBe(250 * MiB);
    expect(api.notes).toEqual([note]);
    expect(notices[0].text).toMatch(/^node node-a pod shop\/api-1 container api: availableBytes/);
  });

  it('keeps the other pods when one pod has no containers', () => {
    const body = summaryBody('node-a', [
      { name: 'empty-1', containers: [] },
      { name: 'api-1', containers: [summaryContainer('api', { usage: 300 * MiB, workingSet: 250 * MiB })] },
    ]);
    delete (body.pods as Array<Record<string, unknown>>)[0].containers;

    const { summary, notices } = parseSummary(body, 'node-a');

    expect(summary!.pods.map((p) => [p.name, p.containers.length])).toEqual([
      ['empty-1', 0],
      ['api-1', 1],
    ]);
    expect(notices).toEqual([
      { severity: 'warning', text: 'node node-a pod shop/empty-1: the stats summary lists no containers' },
    ]);
  });

  it('keeps the node when the summary lists no pods', () => {
    const body = summaryBody('node-a', []);
    delete body.pods;

    const { summary, notices } = parseSummary(body, 'node-a');

    expect(summary!.pods).toEqual([]);
    expect(summary!.memory.workingSetBytes).toBe(10 * 1024 * MiB);
    expect(notices).toEqual([{ severity: 'warning', text: 'node node-a: the stats summary lists no pods' }]);
  });

  it('leaves out a pod without a podRef and a container without a name, naming where they were', () => {
    const body = summaryBody('node-a', [
      {
        name: 'api-1',
        containers: [{ memory: {} }, summaryContainer('api', { usage: 300 * MiB, workingSet: 250 * MiB })],
      },
    ]);
    (body.pods as unknown[]).unshift({ containers: [] });

    const { summary, notices } = parseSummary(body, 'node-a');

    expect(summary!.pods.map((p) => p.name)).toEqual(['api-1']);
    expect(summary!.pods[0].containers.map((c) => c.name)).toEqual(['api']);
    expect(notices.map((n) => n.text)).toEqual([
      'node node-a: pod #1 in the stats summary has no valid podRef; left out',
      'node node-a pod shop/api-1 container #1 has no name; left out',
    ]);
  });

  it.each([
    [null, 'null'],
    [[], 'a list'],
    [42, 'number 42'],
    ['<html>502 Bad Gateway</html>', null],
  ])('answers a body of %p with an error notice and no summary', (body, got) => {
    const { summary, notices } = parseSummary(body, 'node-b');

    expect(summary).toBeNull();
    expect(notices).toHaveLength(1);
    expect(notices[0].severity).toBe('error');
    expect(notices[0].text).toBe(
      got === null
        ? 'node node-b: the stats summary is not JSON'
        : `node node-b: the stats summary is not an object (got ${got})`
    );
  });

  it('never throws on any JSON value, and every byte value it keeps is a safe non-negative integer', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        const { summary } = parseSummary(body, 'node-x');
        const memories = summary
          ? [summary.memory, ...summary.pods.flatMap((p) => [p.memory, ...p.containers.map((c) => c.memory)])]
          : [];
        return memories.every((m) =>
          [m.usageBytes, m.workingSetBytes, m.availableBytes, m.rssBytes].every(
            (v) => v === null || (Number.isSafeInteger(v) && v >= 0)
          )
        );
      })
    );
  });

  it('never throws on summaries with arbitrary values in every memory field', () => {
    const anyValue = fc.oneof(fc.jsonValue(), fc.double(), fc.constant(18446744073709551615));
    fc.assert(
      fc.property(anyValue, anyValue, anyValue, anyValue, (usage, workingSet, rss, available) => {
        const body = summaryBody('node-a', [
          {
            name: 'p',
            containers: [
              {
                name: 'c',
                memory: { usageBytes: usage, workingSetBytes: workingSet, rssBytes: rss, availableBytes: available },
              },
            ],
          },
        ]);
        const { summary } = parseSummary(body, 'node-a');
        return summary!.pods[0].containers.length === 1;
      })
    );
  });
});
