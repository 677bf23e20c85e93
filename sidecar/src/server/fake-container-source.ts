import type { PeakWindow, SidecarContainer } from '../../../src/core/sidecar-api';
import type { ContainerSource } from '../container-source';

/** 2023-11-14T22:13:20Z, the "now" of the server and metrics tests. */
export const NOW_MS = 1_700_000_000_000;

const MIB = 1024 * 1024;

/** A one-second window ending `endsAgoMs` before `NOW_MS`. */
export function window(endsAgoMs: number, peakBytes: number | null, overrides: Partial<PeakWindow> = {}): PeakWindow {
  return {
    startMs: NOW_MS - endsAgoMs - 1000,
    endMs: NOW_MS - endsAgoMs,
    peakBytes,
    peakExact: true,
    lastBytes: 40 * MIB,
    workingSetBytes: 36 * MIB,
    limitHit: false,
    samples: 10,
    ...overrides,
  };
}

/** The `api` container of pod `checkout-7d9f` on cgroup v2 with a 64 MiB limit, using 40 MiB now. */
export function apiContainer(overrides: Partial<SidecarContainer> = {}): SidecarContainer {
  return {
    id: 'pod3f2a-api-0c1d',
    identity: {
      namespace: 'shop',
      pod: 'checkout-7d9f',
      container: 'api',
      podUid: '3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b',
      containerId: '0c1d2e3f4a5b',
      cgroupPath:
        'kubepods.slice/kubepods-pod3f2a9c1e_5b7d_4e8f_9a0b_1c2d3e4f5a6b.slice/cri-containerd-0c1d2e3f4a5b.scope',
    },
    cgroupVersion: 2,
    method: 'v2-peak-reset',
    windowMs: 1000,
    sampleIntervalMs: 100,
    firstSeenMs: NOW_MS - 3_600_000,
    startedMs: NOW_MS - 3_600_000,
    timeMs: NOW_MS - 50,
    limitBytes: 64 * MIB,
    highBytes: null,
    usageBytes: 40 * MIB,
    workingSetBytes: 36 * MIB,
    unreclaimableBytes: 30 * MIB,
    breakdown: {
      anonBytes: 28 * MIB,
      fileBytes: 10 * MIB,
      activeFileBytes: 6 * MIB,
      inactiveFileBytes: 4 * MIB,
      shmemBytes: 0,
      kernelBytes: 2 * MIB,
      kernelStackBytes: 256 * 1024,
      pageTablesBytes: 512 * 1024,
      sockBytes: 0,
      slabReclaimableBytes: 512 * 1024,
      slabUnreclaimableBytes: 256 * 1024,
    },
    lifetimePeakBytes: 60 * MIB,
    events: { max: 3, high: 0, oom: 1, oom_kill: 1 },
    recentEvents: [{ timeMs: NOW_MS - 20_000, kind: 'max', delta: 1, count: 3 }],
    pressure: { someAvg10: 2.5, someAvg60: 1, someAvg300: 0.2, fullAvg10: 0.5, fullAvg60: 0.1, fullAvg300: 0 },
    threads: 24,
    allocator: null,
    windows: [window(90_000, 58 * MIB), window(30_000, 50 * MIB), window(0, 40 * MIB)],
    notices: [],
    ...overrides,
  };
}

/** A source that serves fixed containers, trimming their windows to the asked range, and counts its reads. */
export class FakeContainerSource implements ContainerSource {
  reads = 0;

  constructor(
    private readonly all: SidecarContainer[],
    private readonly sourceNotices: string[] = []
  ) {}

  containers(fromMs: number, toMs: number): SidecarContainer[] {
    this.reads++;
    return this.all.map((container) => ({
      ...container,
      windows: container.windows.filter((w) => w.endMs >= fromMs && w.startMs <= toMs),
    }));
  }

  notices(): string[] {
    return this.sourceNotices;
  }
}
