import pino from 'pino';
import { ContainerNameIndex } from './container-names';
import { nodePodsPath, ownPodPath, PodDirectory } from './pod-directory';

const CHECKOUT_UID = '3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b';

/** A node's pod list as the API server returns it, trimmed to the fields the sidecar reads. */
const POD_LIST = {
  kind: 'PodList',
  apiVersion: 'v1',
  items: [
    {
      metadata: { name: 'checkout-7d9f', namespace: 'shop', uid: CHECKOUT_UID },
      spec: { nodeName: 'worker-3' },
      status: {
        initContainerStatuses: [{ name: 'migrate', containerID: 'containerd://aa11bb22' }],
        containerStatuses: [
          { name: 'api', containerID: 'containerd://0c1d2e3f4a5b' },
          { name: 'envoy', containerID: 'containerd://9e8d7c6b5a4f' },
          { name: 'starting' },
        ],
      },
    },
    {
      metadata: { name: 'redis-0', namespace: 'cache', uid: '77aa88bb-0000-4111-8222-933344445555' },
      status: { containerStatuses: [{ name: 'redis', containerID: 'cri-o://feedface' }] },
    },
  ],
};

function logger() {
  const logs: Array<{ level: number; msg: string }> = [];
  return { logs, log: pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line)) }) };
}

describe('container names from the pod list', () => {
  it('names a container by pod UID and runtime container ID', () => {
    const index = ContainerNameIndex.fromPodList(POD_LIST);

    expect(index.lookup(CHECKOUT_UID, '0c1d2e3f4a5b')).toEqual({
      namespace: 'shop',
      pod: 'checkout-7d9f',
      container: 'api',
    });
    expect(index.lookup('77aa88bb-0000-4111-8222-933344445555', 'feedface')).toEqual({
      namespace: 'cache',
      pod: 'redis-0',
      container: 'redis',
    });
  });

  it('accepts the systemd spelling of the pod UID and the runtime prefix of the container ID', () => {
    const index = ContainerNameIndex.fromPodList(POD_LIST);

    expect(index.lookup('3f2a9c1e_5b7d_4e8f_9a0b_1c2d3e4f5a6b', 'containerd://9e8d7c6b5a4f')).toEqual({
      namespace: 'shop',
      pod: 'checkout-7d9f',
      container: 'envoy',
    });
    expect(index.lookup(CHECKOUT_UID, 'aa11bb22')?.container).toBe('migrate');
  });

  it('a known pod with an unknown container keeps the pod names and a null container', () => {
    const index = ContainerNameIndex.fromPodList(POD_LIST);

    expect(index.lookup(CHECKOUT_UID, 'ffff0000')).toEqual({
      namespace: 'shop',
      pod: 'checkout-7d9f',
      container: null,
    });
    expect(index.lookup('00000000-0000-0000-0000-000000000000', '0c1d2e3f4a5b')).toBeNull();
  });

  it('refuses something that is not a pod list', () => {
    expect(() => ContainerNameIndex.fromPodList({ kind: 'Status', status: 'Failure' })).toThrow(
      'the pod list has no items array'
    );
  });
});

describe('pod directory', () => {
  it('asks for the pods of its node, or for its own pod', () => {
    expect(nodePodsPath('worker-3')).toBe('/api/v1/pods?fieldSelector=spec.nodeName%3Dworker-3');
    expect(ownPodPath('shop', 'checkout-7d9f')).toBe(
      '/api/v1/namespaces/shop/pods?fieldSelector=metadata.name%3Dcheckout-7d9f'
    );
  });

  it('without a pod list it resolves nothing and warns once, however often it retries', async () => {
    const { logs, log } = logger();
    const directory = new PodDirectory({
      fetchPods: () => Promise.reject(new Error('the API server answered 403: pods is forbidden')),
      log,
    });

    await directory.refresh();
    await directory.refresh();
    await directory.refresh();

    expect(directory.resolve(CHECKOUT_UID, '0c1d2e3f4a5b')).toBeNull();
    expect(directory.notice()).toBe(
      'pod list unavailable, containers are labelled by ID: the API server answered 403: pods is forbidden'
    );
    expect(logs.map((entry) => [entry.level, entry.msg])).toEqual([
      [40, 'pod list unavailable; containers are labelled by pod UID and container ID'],
    ]);
  });

  it('a failed refresh keeps the names of the last good list', async () => {
    const { log } = logger();
    let fail = false;
    const directory = new PodDirectory({
      fetchPods: () => (fail ? Promise.reject(new Error('connect ECONNREFUSED')) : Promise.resolve(POD_LIST)),
      log,
    });
    await directory.refresh();

    fail = true;
    await directory.refresh();

    expect(directory.resolve(CHECKOUT_UID, '0c1d2e3f4a5b')?.container).toBe('api');
    expect(directory.notice()).toBe('pod list unavailable, containers are labelled by ID: connect ECONNREFUSED');
  });
});
