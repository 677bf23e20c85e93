import { parsePodList } from './pod-list';
import { nodesRunning, planPodList, summaryPath } from './pod-scope';
import { v1Pod, v1PodList } from './test-objects';

describe('planPodList', () => {
  it('lists all pods of the cluster when nothing is picked', () => {
    expect(planPodList({})).toEqual({
      requests: [{ path: '/api/v1/pods', params: {}, url: '/api/v1/pods' }],
      podNames: null,
      notices: [],
    });
  });

  it('scopes by namespace, label selector and node, encoding the query', () => {
    const plan = planPodList({ namespace: 'shop', labelSelector: 'app=api,tier!=cache', node: 'node-a' });

    expect(plan.requests).toEqual([
      {
        path: '/api/v1/namespaces/shop/pods',
        params: { labelSelector: 'app=api,tier!=cache', fieldSelector: 'spec.nodeName=node-a' },
        url: '/api/v1/namespaces/shop/pods?labelSelector=app%3Dapi%2Ctier!%3Dcache&fieldSelector=spec.nodeName%3Dnode-a',
      },
    ]);
  });

  it('picks one pod with a field selector on its name', () => {
    const plan = planPodList({ namespace: 'shop', pod: 'api-7d9f-x2x8q' });

    expect(plan.requests[0].params).toEqual({ fieldSelector: 'metadata.name=api-7d9f-x2x8q' });
    expect(plan.podNames).toBeNull();
  });

  it('makes one request per namespace of a multi-value variable and filters several pods afterwards', () => {
    const plan = planPodList({ namespace: '{shop,billing}', pod: 'api-1,ledger-0' });

    expect(plan.requests.map((r) => r.url)).toEqual([
      '/api/v1/namespaces/shop/pods',
      '/api/v1/namespaces/billing/pods',
    ]);
    expect(plan.podNames).toEqual(['api-1', 'ledger-0']);
  });

  it('treats All and * as any', () => {
    expect(planPodList({ namespace: 'All', node: '*' }).requests[0].url).toBe('/api/v1/pods');
  });

  it.each([
    [{ namespace: '$namespace' }, 'the namespace "$namespace" still holds a template variable that has no value'],
    [{ namespace: 'Shop_Prod' }, '"Shop_Prod" is not a valid namespace name'],
    [{ node: 'node-a/../../secrets' }, '"node-a/../../secrets" is not a valid node name'],
    [{ labelSelector: 'app=$app' }, 'the label selector "app=$app" still holds a template variable that has no value'],
  ])('refuses %p with an error notice and no request', (scope, text) => {
    const plan = planPodList(scope);

    expect(plan.requests).toEqual([]);
    expect(plan.notices).toEqual([{ severity: 'error', text }]);
  });
});

describe('nodesRunning', () => {
  const pods = parsePodList(
    v1PodList(
      v1Pod({ name: 'api-1', nodeName: 'node-b', containers: [{ name: 'api' }] }),
      v1Pod({ name: 'api-2', nodeName: 'node-a', containers: [{ name: 'api' }] }),
      v1Pod({ name: 'api-3', nodeName: 'node-b', containers: [{ name: 'api' }] }),
      { metadata: { name: 'pending-1', namespace: 'shop' }, spec: { containers: [{ name: 'api' }] }, status: {} }
    )
  ).pods;

  it('asks only the nodes that run the selected pods, each once', () => {
    expect(nodesRunning(pods)).toEqual(['node-a', 'node-b']);
    expect(nodesRunning(pods, ['api-1', 'api-3'])).toEqual(['node-b']);
  });
});

describe('summaryPath', () => {
  it('goes through the API server’s node proxy or straight to the kubelet', () => {
    expect(summaryPath('node-a', 'apiserver')).toBe('/api/v1/nodes/node-a/proxy/stats/summary');
    expect(summaryPath('node-a', 'kubelet')).toBe('/stats/summary');
  });
});
