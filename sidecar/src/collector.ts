/**
 * Watches container cgroups and keeps their windowed peaks: the sidecar's `ContainerSource`.
 *
 * Every tick samples `memory.current` (or v1 `memory.usage_in_bytes`) and the event counters of each watched cgroup;
 * at each window boundary it reads the kernel's high-water mark (see `peak-method.ts`) and every other memory file.
 * Cgroups come from explicit targets (`--cgroup PATH --name NAME`) and, in node scope, from discovery under the cgroup
 * root, repeated every few seconds. Work per tick is bounded: beyond `maxCgroupsPerTick` cgroups are sampled in turn,
 * and each container reports the sampling interval it really got.
 */
import * as nodeFs from 'fs';
import * as path from 'path';
import type {
  AllocatorStats,
  ContainerIdentity,
  MemoryEventCounts,
  SidecarContainer,
} from '../../src/core/sidecar-api';
import { CgroupFiles, CgroupFs, CgroupGoneError } from './cgroup/cgroup-files';
import type { CgroupReader, CgroupReading } from './cgroup/cgroup-reading';
import { EventCounter, watchMemoryEvents } from './cgroup/events';
import type { CgroupVersion } from './cgroup/memory-stat';
import { PeakFileIo, PeakTracker } from './cgroup/peak-method';
import { PeakWindowRing } from './cgroup/peak-window';
import { CgroupV1Reader } from './cgroup/reader-v1';
import { CgroupV2Reader } from './cgroup/reader-v2';
import { estimateUnreclaimable } from './cgroup/unreclaimable';
import { workingSetBytes } from './cgroup/working-set';
import type { ContainerSource } from './container-source';
import { discoverPodCgroups, parseContainerDirName, parsePodDirName } from './discovery/pod-cgroups';

/** A cgroup named on the command line. A relative path is taken from the cgroup root. */
export interface CollectorTarget {
  path: string;
  name: string;
}

/** Names for a cgroup, from the pod list. `sandbox` marks a pod's pause container, which is then not reported. */
export interface ResolvedIdentity {
  namespace: string | null;
  pod: string | null;
  container: string | null;
  sandbox?: boolean;
}

export type IdentityResolver = (podUid: string | null, containerId: string | null) => ResolvedIdentity | null;

export type AllocatorStatsSource = (identity: ContainerIdentity) => AllocatorStats | null;

export interface CollectorOptions {
  /** Default `/sys/fs/cgroup`. */
  cgroupRoot?: string;
  targets?: CollectorTarget[];
  /** Discover every pod container under the root. */
  nodeScope?: boolean;
  /** With `nodeScope`, watch only this pod's containers (pod scope); the tree is still walked to find them. */
  podUid?: string | null;
  sampleIntervalMs?: number;
  windowMs?: number;
  keepMs?: number;
  /** Reset v1 `memory.max_usage_in_bytes` every window (exact peaks; changes what cAdvisor reports). */
  v1ResetPeak?: boolean;
  resolveIdentity?: IdentityResolver;
  allocatorStats?: AllocatorStatsSource;
  clock?: () => number;
  rediscoverEveryMs?: number;
  /** Cgroups sampled per tick at most; more are sampled in turn. */
  maxCgroupsPerTick?: number;
  /**
   * Watch v2 `memory.events` for kernel notifications (at most `maxWatchers`), so a kill is read at once; the counters
   * are polled every sample as well, which keeps limit hits in the right window where no notification comes.
   */
  watchEvents?: boolean;
  maxWatchers?: number;
  /** Called once per distinct notice (for logging). */
  onNotice?: (notice: string, cgroupPath: string | null) => void;
  fs?: CgroupFs;
  peakIo?: PeakFileIo;
}

interface Watched {
  id: string;
  podUid: string | null;
  containerId: string | null;
  /** Name given on the command line, for explicit targets. */
  name: string | null;
  cgroupPath: string;
  reader: CgroupReader;
  tracker: PeakTracker;
  ring: PeakWindowRing;
  events: EventCounter;
  firstSeenMs: number;
  timeMs: number;
  usageBytes: number | null;
  reading: CgroupReading | null;
  lifetimePeakBytes: number | null;
  /** Number of the window being filled (time / windowMs). */
  window: number | null;
  stopWatching: (() => void) | null;
}

const DEFAULT_CGROUP_ROOT = '/sys/fs/cgroup';

export class Collector implements ContainerSource {
  private readonly options: Required<
    Omit<CollectorOptions, 'resolveIdentity' | 'allocatorStats' | 'fs' | 'peakIo' | 'podUid'>
  > &
    CollectorOptions;
  private readonly watched = new Map<string, Watched>();
  private readonly incarnations = new Map<string, number>();
  private sourceNotices: string[] = [];
  private readonly reportedNotices = new Set<string>();
  private lastDiscoveryMs = -Infinity;
  private cursor = 0;
  private watchers = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(options: CollectorOptions = {}) {
    this.options = {
      cgroupRoot: DEFAULT_CGROUP_ROOT,
      targets: [],
      nodeScope: false,
      sampleIntervalMs: 100,
      windowMs: 1000,
      keepMs: 3_600_000,
      v1ResetPeak: false,
      clock: Date.now,
      rediscoverEveryMs: 5000,
      maxCgroupsPerTick: 256,
      watchEvents: true,
      maxWatchers: 256,
      onNotice: () => {},
      ...options,
    };
  }

  /** Samples on a timer until `stop()`. */
  start(): void {
    if (this.timer) {
      return;
    }
    this.tick();
    this.timer = setInterval(() => this.tick(), this.options.sampleIntervalMs);
  }

  /** Stops sampling and releases open files and watchers. */
  stop(): void {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
    for (const watched of this.watched.values()) {
      this.release(watched);
    }
    this.watched.clear();
  }

  /** One round of work: rediscovery when due, then one sample of each cgroup in this tick's share. */
  tick(): void {
    const now = this.options.clock();
    if (now - this.lastDiscoveryMs >= this.options.rediscoverEveryMs) {
      this.discover(now);
    }

    const all = [...this.watched.values()];
    const share = Math.min(all.length, this.options.maxCgroupsPerTick);
    for (let step = 0; step < share; step++) {
      const watched = all[(this.cursor + step) % all.length];
      this.sample(watched, now);
    }
    this.cursor = all.length === 0 ? 0 : (this.cursor + share) % all.length;
  }

  /** Watched containers with their windows overlapping [fromMs, toMs]. Reads change nothing. */
  containers(fromMs: number, toMs: number): SidecarContainer[] {
    const result: SidecarContainer[] = [];
    for (const watched of this.watched.values()) {
      if (watched.reading === null) {
        continue;
      }
      const resolved = this.options.resolveIdentity?.(watched.podUid, watched.containerId) ?? null;
      if (resolved?.sandbox) {
        continue;
      }
      result.push(this.describe(watched, resolved, fromMs, toMs));
    }
    return result;
  }

  notices(): string[] {
    return [...this.sourceNotices];
  }

  /** Milliseconds between samples each cgroup really gets, given the per-tick bound. */
  effectiveSampleIntervalMs(): number {
    const rounds = Math.max(1, Math.ceil(this.watched.size / this.options.maxCgroupsPerTick));
    return this.options.sampleIntervalMs * rounds;
  }

  private describe(
    watched: Watched,
    resolved: ResolvedIdentity | null,
    fromMs: number,
    toMs: number
  ): SidecarContainer {
    const reading = watched.reading!;
    const breakdown = { ...reading.stat.breakdown };
    const unreclaimable = estimateUnreclaimable(breakdown, watched.reader.version, reading.stat.percpuBytes);
    const identity: ContainerIdentity = {
      namespace: resolved?.namespace ?? null,
      pod: resolved?.pod ?? null,
      container: resolved?.container ?? watched.name,
      podUid: watched.podUid,
      containerId: watched.containerId,
      cgroupPath: watched.cgroupPath,
    };
    const notices = watched.reader.files.notices();
    if (unreclaimable.notice) {
      notices.push(unreclaimable.notice);
    }

    return {
      id: watched.id,
      identity,
      cgroupVersion: watched.reader.version,
      method: watched.tracker.method,
      windowMs: this.options.windowMs,
      sampleIntervalMs: this.effectiveSampleIntervalMs(),
      firstSeenMs: watched.firstSeenMs,
      timeMs: watched.timeMs,
      limitBytes: reading.limitBytes,
      highBytes: reading.highBytes,
      usageBytes: watched.usageBytes,
      workingSetBytes: workingSetBytes(watched.usageBytes, breakdown.inactiveFileBytes),
      unreclaimableBytes: unreclaimable.bytes,
      breakdown,
      lifetimePeakBytes: watched.lifetimePeakBytes,
      events: watched.events.counts(),
      recentEvents: watched.events.recent(fromMs, toMs),
      pressure: reading.pressure ? { ...reading.pressure } : null,
      threads: reading.threads,
      allocator: this.options.allocatorStats?.(identity) ?? null,
      windows: watched.ring.windowsBetween(fromMs, toMs),
      notices,
    };
  }

  private sample(watched: Watched, now: number): void {
    try {
      this.sampleOrThrow(watched, now);
      watched.reader.files.clear('sample');
    } catch (error) {
      if (error instanceof CgroupGoneError) {
        this.forget(watched);
        return;
      }
      // Any other failure concerns this cgroup only: say so once and keep the others going.
      watched.reader.files.problem('sample', `sampling failed: ${(error as Error).message}`);
    }
  }

  private sampleOrThrow(watched: Watched, now: number): void {
    const { ring, reader, tracker } = watched;
    const window = Math.floor(now / this.options.windowMs);

    if (watched.window !== null && window > watched.window) {
      // The window that just ended gets the kernel's mark; the first read after a gap covers several windows.
      const closedStartMs = watched.window * this.options.windowMs;
      const peak = tracker.closeWindow(window - watched.window === 1);
      if (peak.peakBytes !== null) {
        ring.recordPeak(closedStartMs, peak.peakBytes, peak.exact);
        const limit = watched.reading?.limitBytes ?? null;
        if (peak.exact && limit !== null && peak.peakBytes >= limit) {
          ring.markLimitHit(closedStartMs);
        }
      }
      watched.lifetimePeakBytes = peak.lifetimePeakBytes;
    }
    if (watched.window === null) {
      watched.lifetimePeakBytes = tracker.lifetimePeak();
    }
    if (watched.window === null || window > watched.window) {
      this.readAll(watched, now);
    } else {
      this.observeEvents(watched, reader.readEvents(), now);
    }

    const usage = reader.readUsage();
    const inactiveFile = watched.reading?.stat.breakdown.inactiveFileBytes ?? null;
    ring.addSample(now, usage, workingSetBytes(usage, inactiveFile));
    const limit = watched.reading?.limitBytes ?? null;
    if (usage !== null && limit !== null && usage >= limit) {
      ring.markLimitHit(now);
    }

    watched.usageBytes = usage;
    watched.timeMs = now;
    watched.window = window;
  }

  private readAll(watched: Watched, now: number): void {
    const reading = watched.reader.read({ lifetimePeak: false });
    watched.reading = reading;
    this.observeEvents(watched, reading.events, now);
  }

  private observeEvents(watched: Watched, counts: MemoryEventCounts, now: number): void {
    const fresh = watched.events.observe(counts, now);
    if (fresh.some((event) => event.kind === 'max' || event.kind === 'oom' || event.kind === 'oom_kill')) {
      watched.ring.markLimitHit(now);
    }
  }

  private discover(now: number): void {
    this.lastDiscoveryMs = now;
    const notices: string[] = [];
    const present = new Set<string>();

    for (const target of this.options.targets) {
      const dir = path.isAbsolute(target.path) ? target.path : path.join(this.options.cgroupRoot, target.path);
      const version = this.versionOf(dir);
      if (version === null) {
        notices.push(`cgroup ${target.path} (${target.name}) not found or has no memory files`);
        continue;
      }
      const key = `target:${dir}`;
      present.add(key);
      if (!this.watched.has(key)) {
        const podName = parsePodDirName(path.basename(path.dirname(dir)));
        const container = podName ? parseContainerDirName(path.basename(dir)) : null;
        this.watch(key, dir, version, now, {
          podUid: podName?.podUid ?? null,
          containerId: container?.containerId ?? null,
          name: target.name,
        });
      }
    }

    if (this.options.nodeScope) {
      const found = discoverPodCgroups(this.options.cgroupRoot);
      notices.push(...found.notices);
      const onlyPod = this.options.podUid ? this.options.podUid.toLowerCase().replace(/_/g, '-') : null;
      for (const cgroup of found.cgroups) {
        if (onlyPod !== null && cgroup.podUid.toLowerCase() !== onlyPod) {
          continue;
        }
        const key = `pod:${cgroup.dir}`;
        present.add(key);
        if (!this.watched.has(key)) {
          this.watch(key, cgroup.dir, cgroup.version, now, {
            podUid: cgroup.podUid,
            containerId: cgroup.containerId,
            name: null,
          });
        }
      }
    }

    for (const [key, watched] of this.watched) {
      if (!present.has(key)) {
        this.forget(watched);
      }
    }
    this.sourceNotices = notices;
    for (const notice of notices) {
      this.report(notice, null);
    }
  }

  private versionOf(dir: string): CgroupVersion | null {
    const fs = this.options.fs ?? nodeFs;
    if (fs.existsSync(path.join(dir, 'memory.current'))) {
      return 2;
    }
    if (fs.existsSync(path.join(dir, 'memory.usage_in_bytes'))) {
      return 1;
    }
    return null;
  }

  private watch(
    key: string,
    dir: string,
    version: CgroupVersion,
    now: number,
    who: { podUid: string | null; containerId: string | null; name: string | null }
  ): void {
    const cgroupPath = path.relative(this.options.cgroupRoot, dir) || '.';
    const files = new CgroupFiles(dir, this.options.fs, (notice) => this.report(notice, cgroupPath));
    const reader = version === 2 ? new CgroupV2Reader(files) : new CgroupV1Reader(files);
    let tracker: PeakTracker;
    try {
      tracker = new PeakTracker(reader, { v1ResetPeak: this.options.v1ResetPeak, io: this.options.peakIo });
    } catch (error) {
      if (error instanceof CgroupGoneError) {
        return;
      }
      throw error;
    }

    // A container id names one run of a container; a target path may be reused by a restart, which is a new run.
    const base = who.containerId ?? who.name ?? cgroupPath;
    const run = (this.incarnations.get(base) ?? 0) + 1;
    this.incarnations.set(base, run);

    const watched: Watched = {
      id: run === 1 ? base : `${base}#${run}`,
      ...who,
      cgroupPath,
      reader,
      tracker,
      ring: new PeakWindowRing({ windowMs: this.options.windowMs, keepMs: this.options.keepMs }),
      events: new EventCounter(),
      firstSeenMs: now,
      timeMs: now,
      usageBytes: null,
      reading: null,
      lifetimePeakBytes: null,
      window: null,
      stopWatching: null,
    };
    if (version === 2 && this.options.watchEvents && this.watchers < this.options.maxWatchers) {
      watched.stopWatching = watchMemoryEvents(files.pathOf('memory.events'), () => this.onEventsChanged(key));
      if (watched.stopWatching) {
        this.watchers++;
      }
    }
    this.watched.set(key, watched);
  }

  /** The kernel signalled a `memory.events` change: read the counters now rather than at the next sample. */
  private onEventsChanged(key: string): void {
    const watched = this.watched.get(key);
    if (!watched) {
      return;
    }
    try {
      this.observeEvents(watched, watched.reader.readEvents(), this.options.clock());
    } catch (error) {
      if (error instanceof CgroupGoneError) {
        this.forget(watched);
      }
    }
  }

  private forget(watched: Watched): void {
    this.release(watched);
    for (const [key, candidate] of this.watched) {
      if (candidate === watched) {
        this.watched.delete(key);
      }
    }
  }

  private release(watched: Watched): void {
    watched.tracker.close();
    if (watched.stopWatching) {
      watched.stopWatching();
      watched.stopWatching = null;
      this.watchers--;
    }
  }

  private report(notice: string, cgroupPath: string | null): void {
    const key = `${cgroupPath ?? ''}\u0000${notice}`;
    if (!this.reportedNotices.has(key)) {
      if (this.reportedNotices.size >= 10_000) {
        // Bounded memory under heavy container churn; a notice may then be logged again.
        this.reportedNotices.clear();
      }
      this.reportedNotices.add(key);
      this.options.onNotice(notice, cgroupPath);
    }
  }
}
