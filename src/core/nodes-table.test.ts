import { readFileSync } from 'node:fs';

import { sharedPath } from '../test-support/shared';
import { ColumnFrame } from './frame';
import { MiB } from './headroom';
import { parseSummary } from './kubelet-summary';
import { parseNodeList } from './node-list';
import { nodesTable } from './nodes-table';

function values(frame: ColumnFrame, name: string) {
  return frame.fields.find((f) => f.name === name)!.values;
}

describe('nodesTable', () => {
  const text = readFileSync(sharedPath('fixtures', 'kubelet-summary', 'gke-2019.json'), 'utf8');
  const summary = parseSummary(text, 'gke-team-pool-1-1c8b424c-wnkn').summary!;
  const nodes = parseNodeList({
    items: [
      {
        metadata: { name: 'gke-team-pool-1-1c8b424c-wnkn' },
        status: {
          allocatable: { memory: '2702164Ki' },
          capacity: { memory: '3785556Ki' },
          conditions: [{ type: 'MemoryPressure', status: 'False' }],
        },
      },
      {
        metadata: { name: 'gke-team-pool-1-1c8b424c-zzzz' },
        status: { conditions: [{ type: 'MemoryPressure', status: 'True' }] },
      },
    ],
  }).nodes;

  it('gives the GKE node 2,325,123,072 bytes above the 100 Mi hard eviction threshold', () => {
    const frame = nodesTable([summary], nodes);

    expect(values(frame, 'node')).toEqual(['gke-team-pool-1-1c8b424c-wnkn', 'gke-team-pool-1-1c8b424c-zzzz']);
    expect(values(frame, 'available')).toEqual([2429980672, null]);
    expect(values(frame, 'evictionDistance')).toEqual([2429980672 - 100 * MiB, null]);
    expect(values(frame, 'workingSet')).toEqual([1447833600, null]);
    expect(values(frame, 'allocatable')).toEqual([2702164 * 1024, null]);
    expect(values(frame, 'podsWorkingSet')).toEqual([464281600, null]);
    expect(values(frame, 'podsToAllocatable')[0]).toBeCloseTo(464281600 / (2702164 * 1024), 10);
    expect(values(frame, 'memoryPressure')).toEqual([false, true]);
    expect(values(frame, 'notes')).toEqual(['', 'no stats summary from this node']);
  });

  it('honours a custom eviction threshold and works without a node list', () => {
    const frame = nodesTable([summary], null, { evictionHardBytes: 500 * MiB });

    expect(values(frame, 'evictionDistance')).toEqual([2429980672 - 500 * MiB]);
    expect(values(frame, 'allocatable')).toEqual([null]);
    expect(values(frame, 'memoryPressure')).toEqual([null]);
    expect(values(frame, 'notes')).toEqual(['node list unavailable']);
  });
});
