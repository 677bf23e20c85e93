import { parsePodList } from './pod-list';
import { v1Pod, v1PodList } from './test-objects';
import { variableValues } from './variables';

describe('variableValues', () => {
  const pods = parsePodList(
    v1PodList(
      v1Pod({ namespace: 'shop', name: 'api-2', nodeName: 'node-b', containers: [{ name: 'api' }, { name: 'envoy' }] }),
      v1Pod({ namespace: 'shop', name: 'api-1', nodeName: 'node-a', containers: [{ name: 'api' }, { name: 'envoy' }] }),
      v1Pod({
        namespace: 'billing',
        name: 'ledger-0',
        nodeName: 'node-a',
        initContainers: [{ name: 'migrate' }],
        containers: [{ name: 'ledger' }],
      })
    )
  ).pods;

  it('lists distinct namespaces, nodes, pods and containers, sorted', () => {
    expect(variableValues('namespace', pods)).toEqual(['billing', 'shop']);
    expect(variableValues('node', pods)).toEqual(['node-a', 'node-b']);
    expect(variableValues('pod', pods)).toEqual(['api-1', 'api-2', 'ledger-0']);
    expect(variableValues('container', pods)).toEqual(['api', 'envoy', 'ledger']);
  });

  it('narrows by namespace and node', () => {
    expect(variableValues('pod', pods, { namespace: 'shop' })).toEqual(['api-1', 'api-2']);
    expect(variableValues('pod', pods, { node: 'node-a' })).toEqual(['api-1', 'ledger-0']);
    expect(variableValues('container', pods, { namespace: 'billing' })).toEqual(['ledger']);
  });
});
