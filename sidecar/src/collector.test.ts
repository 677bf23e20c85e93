import * as fs from 'fs';
import * as path from 'path';
import { sidecarContainerSchema } from '../../src/core/sidecar-api';
import { CgroupFs } from './cgroup/cgroup-files';
import { linkCgroup, MiB, preparedRoot, statText, v1Files, v2Files, writeCgroup } from './cgroup/prepared-tree';
import { Collector, CollectorOptions, EVENT_POLL_MS } from './collector';

const T0 = 1_700_000_000_000;
const roots: string[] = [];
afterAll(() => roots.forEach((root) => fs.rmSync(root, { recursive: true, force: true })));

function newRoot(): string {
  const root = preparedRoot();
  roots.push(root);
  return root;
}

/**
 * Node's file calls as the kernel answers them for cgroup files: a descriptor held open on a cgroup that has been
 * removed fails with ENODEV (a prepared tree's plain files would go on reading). `afterRead` sees every read.
 */
function kernfsLike(afterRead: (file: string) => void = () => {}): CgroupFs {
  const opened = new Map<number, string>();
  return {
    existsSync: fs.existsSync,
    openSync(file, flags) {
      const fd = fs.openSync(file, flags);
      opened.set(fd, file);
      return fd;
    },
    readSync(fd, buffer, offset, length, position) {
      const file = opened.get(fd)!;
      if (!fs.existsSync(path.dirname(file))) {
        throw Object.assign(new Error(`ENODEV: no such device, read`), { code: 'ENODEV' });
      }
      const count = fs.readSync(fd, buffer, offset, length, position);
      afterRead(file);
      return count;
    },
    closeSync(fd) {
      opened.delete(fd);
      fs.closeSync(fd);
    },
  };
}

/** A collector on a hand-driven clock; `advance` moves time and ticks once. */
function drive(options: CollectorOptions) {
  let now = T0;
  const collector = new Collector({ clock: () => now, watchEvents: false, ...options });
  return {
    collector,
    advance(ms: number) {
      now += ms;
      collector.tick();
    },
    now: () => now,
  };
}

const C6 = v2Files({
  current: 256 * MiB,
  max: 256 * MiB,
  peak: 256 * MiB,
  stat: { anon: 8 * MiB, file: 246.5 * MiB, active_file: 46.5 * MiB, inactive_file: 200 * MiB },
  events: { oom_kill: 0 },
  threads: 4,
});

describe('Collector', () => {
  it('reports a target cgroup exactly in the sidecar API shape', () => {
    const root = newRoot();
    writeCgroup(path.join(root, 'app'), C6);
    const { collector, advance } = drive({
      cgroupRoot: root,
      targets: [{ path: 'app', name: 'app' }],
      sampleIntervalMs: 100,
    });

    collector.tick();
    advance(100);
    advance(1000);
    const [container] = collector.containers(T0 - 1000, T0 + 2000);
    collector.stop();

    expect(sidecarContainerSchema.safeParse(container).success).toBe(true);
    expect(container).toMatchObject({
      id: 'app',
      identity: { namespace: null, pod: null, container: 'app', podUid: null, containerId: null, cgroupPath: 'app' },
      cgroupVersion: 2,
      method: 'v2-peak-reset',
      windowMs: 1000,
      sampleIntervalMs: 100,
      firstSeenMs: T0,
      timeMs: T0 + 1100,
      limitBytes: 256 * MiB,
      highBytes: null,
      threads: 4,
      lifetimePeakBytes: 256 * MiB,
      events: { max: 0, high: 0, oom: 0, oom_kill: 0 },
    });
    expect(container.windows.length).toBe(2);
  });

  it('C6: shows usage at the limit but a working set of 56 MiB (22 %) and anon at 3 %', () => {
    const root = newRoot();
    writeCgroup(path.join(root, 'app'), C6);
    const { collector } = drive({ cgroupRoot: root, targets: [{ path: 'app', name: 'app' }] });

    collector.tick();
    const [container] = collector.containers(T0, T0);
    collector.stop();

    expect(container.usageBytes).toBe(256 * MiB);
    expect(container.workingSetBytes).toBe(56 * MiB);
    expect(Math.round((container.workingSetBytes! / container.limitBytes!) * 100)).toBe(22);
    expect(Math.round((container.breakdown.anonBytes! / container.limitBytes!) * 100)).toBe(3);
    expect(container.windows[0].workingSetBytes).toBe(56 * MiB);
  });

  it('keeps an exact window peak above the limit and marks the limit hit', () => {
    const root = newRoot();
    const dir = writeCgroup(path.join(root, 'app'), C6);
    const { collector, advance } = drive({ cgroupRoot: root, targets: [{ path: 'app', name: 'app' }] });

    collector.tick();
    advance(1000); // closes the first (partial, not exact) window
    fs.writeFileSync(path.join(dir, 'memory.peak'), `${300 * MiB}\n`);
    advance(1000);
    const windows = collector.containers(T0, T0 + 2000)[0].windows;
    collector.stop();

    expect(windows[1]).toMatchObject({ startMs: T0 + 1000, peakBytes: 300 * MiB, peakExact: true, limitHit: true });
  });

  it('reports the lifetime peak as unknown when memory.peak is missing, with the reason', () => {
    const root = newRoot();
    const files = { ...C6 };
    delete files['memory.peak'];
    writeCgroup(path.join(root, 'app'), files);
    const { collector } = drive({ cgroupRoot: root, targets: [{ path: 'app', name: 'app' }] });

    collector.tick();
    const [container] = collector.containers(T0, T0);
    collector.stop();

    expect(container.method).toBe('v2-sampled');
    expect(container.lifetimePeakBytes).toBeNull();
    expect(container.notices).toContain('memory.peak is missing (kernel before 5.19): the lifetime peak is unknown');
    expect(container.windows[0]).toMatchObject({ peakBytes: 256 * MiB, peakExact: false });
  });

  it('records a v1 failcnt increase as a limit hit and a recent event', () => {
    const root = newRoot();
    const spec = { usage: 200 * MiB, limit: 256 * MiB, maxUsage: 250 * MiB, stat: { rss: 190 * MiB }, failcnt: 4 };
    const dir = writeCgroup(path.join(root, 'memory', 'app'), v1Files(spec));
    const { collector, advance } = drive({ cgroupRoot: root, targets: [{ path: 'memory/app', name: 'app' }] });

    collector.tick();
    writeCgroup(dir, { 'memory.failcnt': 9 });
    advance(100);
    const [container] = collector.containers(T0, T0 + 1000);
    collector.stop();

    expect(container.method).toBe('v1-sampled');
    expect(container.recentEvents).toEqual([{ timeMs: T0 + 100, kind: 'max', delta: 5, count: 9 }]);
    expect(container.windows[0].limitHit).toBe(true);
  });

  it('drops a cgroup removed mid-read and keeps the others', () => {
    const root = newRoot();
    const gone = writeCgroup(path.join(root, 'gone'), C6);
    writeCgroup(path.join(root, 'stays'), C6);
    const removingMidRead = kernfsLike((file) => {
      if (file === path.join(gone, 'memory.stat') && fs.existsSync(gone)) {
        fs.rmSync(gone, { recursive: true });
      }
    });
    const { collector, advance } = drive({
      cgroupRoot: root,
      targets: [
        { path: 'gone', name: 'gone' },
        { path: 'stays', name: 'stays' },
      ],
      fs: removingMidRead,
    });

    collector.tick();
    advance(100);
    const names = collector.containers(T0, T0 + 1000).map((container) => container.id);
    collector.stop();

    expect(names).toEqual(['stays']);
    expect(collector.notices()).toEqual([]);
  });

  it('gives a restarted target cgroup a new id', () => {
    const root = newRoot();
    const dir = writeCgroup(path.join(root, 'app'), C6);
    const { collector, advance } = drive({
      cgroupRoot: root,
      targets: [{ path: 'app', name: 'app' }],
      rediscoverEveryMs: 1000,
      fs: kernfsLike(),
    });

    collector.tick();
    fs.rmSync(dir, { recursive: true });
    advance(EVENT_POLL_MS); // the next read of the counters meets the removed cgroup
    const whileGone = collector.containers(T0, T0 + 5000).length;
    writeCgroup(dir, C6);
    advance(1000);
    const ids = collector.containers(T0, T0 + 5000).map((container) => container.id);
    collector.stop();

    expect(whileGone).toBe(0);
    expect(ids).toEqual(['app#2']);
  });

  it('knows the start of a container that appears while it watches, not of one that was already running', () => {
    const root = newRoot();
    const dir = writeCgroup(path.join(root, 'app'), C6);
    const { collector, advance } = drive({
      cgroupRoot: root,
      targets: [{ path: 'app', name: 'app' }],
      rediscoverEveryMs: 1000,
      fs: kernfsLike(),
    });

    collector.tick();
    const before = collector.containers(T0, T0 + 5000).map((c) => c.startedMs);
    fs.rmSync(dir, { recursive: true });
    advance(EVENT_POLL_MS);
    writeCgroup(dir, C6);
    advance(1000);
    const after = collector.containers(T0, T0 + 5000);
    collector.stop();

    expect(before).toEqual([null]);
    expect(after.map((c) => c.id)).toEqual(['app#2']);
    expect(after[0].startedMs).toBe(after[0].firstSeenMs);
    expect(after[0].startedMs).toBeGreaterThan(T0);
  });

  it('names discovered containers through the identity lookup and leaves out sandboxes', () => {
    const root = newRoot();
    const pod =
      'kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0a1b2c3d_4e5f_6789_abcd_ef0123456789.slice';
    fs.mkdirSync(root, { recursive: true });
    fs.writeFileSync(path.join(root, 'cgroup.controllers'), 'cpu memory\n');
    writeCgroup(path.join(root, pod, `cri-containerd-${'a'.repeat(64)}.scope`), C6);
    writeCgroup(path.join(root, pod, `cri-containerd-${'f'.repeat(64)}.scope`), C6);
    const { collector } = drive({
      cgroupRoot: root,
      nodeScope: true,
      resolveIdentity: (podUid, containerId) =>
        containerId === 'a'.repeat(64)
          ? { namespace: 'shop', pod: 'checkout-7d9f', container: 'api' }
          : { namespace: 'shop', pod: 'checkout-7d9f', container: null, sandbox: true },
    });

    collector.tick();
    const containers = collector.containers(T0, T0);
    collector.stop();

    expect(containers.map((container) => container.identity)).toEqual([
      {
        namespace: 'shop',
        pod: 'checkout-7d9f',
        container: 'api',
        podUid: '0a1b2c3d-4e5f-6789-abcd-ef0123456789',
        containerId: 'a'.repeat(64),
        cgroupPath: `${pod}/cri-containerd-${'a'.repeat(64)}.scope`,
      },
    ]);
  });

  it('watches only the given pod in pod scope', () => {
    const root = newRoot();
    fs.writeFileSync(path.join(root, 'cgroup.controllers'), 'cpu memory\n');
    const mine = 'kubepods.slice/kubepods-pod0a1b2c3d_4e5f_6789_abcd_ef0123456789.slice';
    const other = 'kubepods.slice/kubepods-podf1e2d3c4_b5a6_4789_8abc_def012345678.slice';
    writeCgroup(path.join(root, mine, `cri-containerd-${'a'.repeat(64)}.scope`), C6);
    writeCgroup(path.join(root, other, `cri-containerd-${'b'.repeat(64)}.scope`), C6);
    const { collector } = drive({
      cgroupRoot: root,
      nodeScope: true,
      podUid: '0a1b2c3d-4e5f-6789-abcd-ef0123456789',
    });

    collector.tick();
    const ids = collector.containers(T0, T0).map((container) => container.id);
    collector.stop();

    expect(ids).toEqual(['a'.repeat(64)]);
  });

  it('says so when a target cgroup does not exist', () => {
    const root = newRoot();
    const { collector } = drive({ cgroupRoot: root, targets: [{ path: 'nowhere', name: 'app' }] });

    collector.tick();

    expect(collector.containers(T0, T0)).toEqual([]);
    expect(collector.notices()).toEqual(['cgroup nowhere (app) not found or has no memory files']);
  });

  it('watches 2,000 cgroups in one tree, sampling them in turn within the per-tick bound', () => {
    const root = newRoot();
    writeCgroup(path.join(root, 'memory'), { 'memory.usage_in_bytes': 0 });
    const template = writeCgroup(
      path.join(root, 'template'),
      v1Files({ usage: 100 * MiB, limit: 512 * MiB, maxUsage: 120 * MiB, stat: { rss: 80 * MiB } })
    );
    for (let pod = 0; pod < 1000; pod++) {
      const uid = `00000000-0000-4000-8000-${pod.toString().padStart(12, '0')}`;
      for (const container of [1, 2]) {
        const id = `${pod}`.padStart(32, '0') + `${container}`.padStart(32, '0');
        linkCgroup(template, path.join(root, 'memory', 'kubepods', 'burstable', `pod${uid}`, id));
      }
    }
    const { collector, advance } = drive({ cgroupRoot: root, nodeScope: true, maxCgroupsPerTick: 250 });

    collector.tick();
    for (let tick = 1; tick < 8; tick++) {
      advance(100);
    }
    const containers = collector.containers(T0, T0 + 1000);
    collector.stop();

    expect(containers.length).toBe(2000);
    expect(containers.every((container) => sidecarContainerSchema.safeParse(container).success)).toBe(true);
    expect(containers[0].sampleIntervalMs).toBe(800);
    expect(containers[1999].windows[0]).toMatchObject({ peakBytes: 100 * MiB, samples: 1 });
  });
});

describe('Collector cadences', () => {
  const C1_V1 = v1Files({
    usage: 200 * MiB,
    limit: 256 * MiB,
    maxUsage: 220 * MiB,
    stat: { rss: 190 * MiB },
    failcnt: 4,
  });

  it('samples usage once a window where window peaks are exact, and every 100 ms where they are sampled', () => {
    const root = newRoot();
    writeCgroup(path.join(root, 'exact'), C6);
    const withoutPeak = { ...C6 };
    delete withoutPeak['memory.peak'];
    writeCgroup(path.join(root, 'sampled'), withoutPeak);
    const { collector, advance } = drive({
      cgroupRoot: root,
      targets: [
        { path: 'exact', name: 'exact' },
        { path: 'sampled', name: 'sampled' },
      ],
    });

    collector.tick();
    for (let tick = 1; tick <= 10; tick++) {
      advance(100);
    }
    const [exact, sampled] = collector.containers(T0, T0);
    collector.stop();

    expect([exact.method, exact.sampleIntervalMs, exact.windows[0].samples]).toEqual(['v2-peak-reset', 1000, 1]);
    expect([sampled.method, sampled.sampleIntervalMs, sampled.windows[0].samples]).toEqual(['v2-sampled', 100, 10]);
  });

  it('sees a v1 limit hit at the next 200 ms event poll, and the OOM kill that follows, with one sample a window', () => {
    const root = newRoot();
    const dir = writeCgroup(path.join(root, 'memory', 'app'), C1_V1);
    const { collector, advance } = drive({
      cgroupRoot: root,
      targets: [{ path: 'memory/app', name: 'app' }],
      v1ResetPeak: true,
    });

    collector.tick();
    writeCgroup(dir, { 'memory.failcnt': 9 });
    advance(100);
    advance(100);
    writeCgroup(dir, { 'memory.oom_control': 'oom_kill_disable 0\nunder_oom 0\noom_kill 1\n' });
    advance(200);
    const [container] = collector.containers(T0, T0 + 1000);
    collector.stop();

    expect(container.method).toBe('v1-reset');
    expect(container.recentEvents).toEqual([
      { timeMs: T0 + 200, kind: 'max', delta: 5, count: 9 },
      { timeMs: T0 + 400, kind: 'oom_kill', delta: 1, count: 1 },
    ]);
    expect(container.windows[0]).toMatchObject({ limitHit: true, samples: 1 });
  });

  it('reads the limit every window and memory.stat once per detail interval (10 s)', () => {
    const root = newRoot();
    const dir = writeCgroup(path.join(root, 'app'), C6);
    const { collector, advance } = drive({ cgroupRoot: root, targets: [{ path: 'app', name: 'app' }] });

    collector.tick();
    writeCgroup(dir, {
      'memory.max': 512 * MiB,
      'memory.stat': statText({ anon: 8 * MiB, file: 246.5 * MiB, active_file: 146.5 * MiB, inactive_file: 100 * MiB }),
    });
    advance(1000);
    const nextWindow = collector.containers(T0, T0 + 1000)[0];
    advance(9000);
    const afterDetail = collector.containers(T0, T0 + 10_000)[0];
    collector.stop();

    expect([nextWindow.limitBytes, nextWindow.workingSetBytes]).toEqual([512 * MiB, 56 * MiB]);
    expect([afterDetail.limitBytes, afterDetail.workingSetBytes]).toEqual([512 * MiB, 156 * MiB]);
  });

  it('closes every file it opened when stopped', () => {
    const root = newRoot();
    writeCgroup(path.join(root, 'memory', 'app'), C1_V1);
    let open = 0;
    const counting: CgroupFs = {
      existsSync: fs.existsSync,
      openSync: (file, flags) => {
        open++;
        return fs.openSync(file, flags);
      },
      readSync: fs.readSync,
      closeSync: (fd) => {
        open--;
        fs.closeSync(fd);
      },
    };
    const { collector, advance } = drive({
      cgroupRoot: root,
      targets: [{ path: 'memory/app', name: 'app' }],
      fs: counting,
    });

    collector.tick();
    advance(1000);
    const heldWhileWatching = open;
    collector.stop();

    expect(heldWhileWatching).toBe(11);
    expect(open).toBe(0);
  });
});
