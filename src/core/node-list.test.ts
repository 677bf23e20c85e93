import fc from 'fast-check';

import { parseNodeList } from './node-list';

const node = (name: string, pressure: string, allocatable: unknown = '15804764Ki') => ({
  metadata: { name, labels: { 'kubernetes.io/hostname': name } },
  status: {
    capacity: { cpu: '4', memory: '16409052Ki' },
    allocatable: { cpu: '3920m', memory: allocatable },
    conditions: [
      {
        type: 'MemoryPressure',
        status: pressure,
        reason: pressure === 'True' ? 'KubeletHasInsufficientMemory' : 'KubeletHasSufficientMemory',
      },
      { type: 'Ready', status: 'True', reason: 'KubeletReady' },
    ],
    addresses: [
      { type: 'InternalIP', address: '10.128.0.12' },
      { type: 'Hostname', address: name },
    ],
  },
});

describe('parseNodeList', () => {
  it('reads allocatable and capacity memory, MemoryPressure, Ready and the internal IP', () => {
    const { nodes, notices } = parseNodeList({
      kind: 'NodeList',
      items: [node('node-a', 'False'), node('node-b', 'True')],
    });

    expect(notices).toEqual([]);
    expect(nodes[0]).toEqual({
      name: 'node-a',
      allocatableBytes: 15804764 * 1024,
      capacityBytes: 16409052 * 1024,
      memoryPressure: false,
      memoryPressureReason: 'KubeletHasSufficientMemory',
      ready: true,
      internalIp: '10.128.0.12',
      labels: { 'kubernetes.io/hostname': 'node-a' },
    });
    expect(nodes[1].memoryPressure).toBe(true);
  });

  it('shows an unreadable allocatable as missing with a notice and keeps the node', () => {
    const { nodes, notices } = parseNodeList({ items: [node('node-a', 'False', 'lots')] });

    expect(nodes[0].allocatableBytes).toBeNull();
    expect(notices).toEqual([{ severity: 'warning', text: 'node node-a: allocatable memory is not a valid quantity' }]);
  });

  it('reports a node without conditions as pressure unknown, not as no pressure', () => {
    const { nodes } = parseNodeList({ items: [{ metadata: { name: 'node-c' }, status: {} }] });

    expect(nodes[0]).toMatchObject({ memoryPressure: null, ready: null, allocatableBytes: null, internalIp: null });
  });

  it('never throws on any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue(), (body) => Array.isArray(parseNodeList(body).nodes)));
  });
});
