/**
 * Watches container cgroups and keeps their windowed peaks: the sidecar's `ContainerSource`.
 *
 * Cadences, each on a grid aligned to the epoch so that every cgroup's windows line up:
 * - at each window boundary: the kernel's high-water mark (see `peak-method.ts`), usage, limit and event counters;
 *   the slowly changing files (high, `memory.stat`, kernel memory, threads, PSI) once `detailIntervalMs` (10 s) passed;
 * - every sample interval: usage (`memory.current`, v1 `memory.usage_in_bytes`) and the event counters. The default
 *   follows the peak method: where window peaks are exact (v2 per-descriptor reset, v1 with reset) the kernel's mark
 *   already holds every spike, so one sample per window gives the window's last usage; where peaks are sampled, usage is
 *   read every 100 ms;
 * - every event poll (default 200 ms): the event counters alone, so limit hits show within a poll. On v1 a quiet cgroup
 *   reads `failcnt` only, and `oom_control` as well for a window after any event; on v2 a `memory.events` watch tells.
 * Every file is opened once and re-read with one `pread` (see `cgroup-files.ts`).
 * Cgroups come from explicit targets (`--cgroup PATH --name NAME`) and, in node scope, from discovery under the cgroup
 * root, repeated every few seconds. Work per tick is bounded: beyond `maxCgroupsPerTick` cgroups are visited in turn,
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
  /**
   * Milliseconds between usage samples. Default: one window where the peak method is exact (`v2-peak-reset`,
   * `v1-reset`), `SAMPLED_PEAK_INTERVAL_MS` where window peaks come from samples.
   */
  sampleIntervalMs?: number;
  /** Milliseconds between reads of the event counters alone, where no `memory.events` watch tells of a change. */
  eventPollMs?: number;
  /**
   * Milliseconds between reads of the slowly changing files: high, `memory.stat`, kernel memory, threads, PSI. They are
   * read at a window boundary once this much time has passed (usage, limit, peak and events every window regardless).
   */
  detailIntervalMs?: number;
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
  /** When the cgroup appeared; null when it was there at the sidecar's first discovery. */
  startedMs: number | null;
  timeMs: number;
  usageBytes: number | null;
  reading: CgroupReading | null;
  lifetimePeakBytes: number | null;
  /** Number of the window being filled (time / windowMs). */
  window: number | null;
  /** Time of the last usage sample, of the last read of the event counters and of the last read of every file. */
  sampledMs: number;
  polledMs: number;
  detailedMs: number;
  /** Until then every event counter is polled, not only limit hits: set by a fresh event (an OOM kill may follow). */
  hotUntilMs: number;
  stopWatching: (() => void) | null;
}

const DEFAULT_CGROUP_ROOT = '/sys/fs/cgroup';
/** Usage sampling interval where window peaks come from samples: a spike must last this long to be seen for sure. */
export const SAMPLED_PEAK_INTERVAL_MS = 100;
/**
 * Event poll interval: limit hits show within this, plus the time to read every cgroup.
 *
 * Known gap: on cgroup v1 nothing notifies a `failcnt` rise (only an eventfd, out of reach of Node without a native
 * module), so every cgroup is read 5 times a second for it: about half the collector's CPU time (measured on a 2-core
 * VM, 110 cgroups: 1.7 % of a core at 200 ms, 1.1 % with polls only at window boundaries). A longer poll trades
 * limit-hit latency for CPU; window peaks stay exact either way.
 */
export const EVENT_POLL_MS = 200;
/** Slowly changing files are read this often: the kubelet's own stats are 10–15 s old. */
export const DETAIL_INTERVAL_MS = 10_000;

export class Collector implements ContainerSource {
  private readonly options: Required<
    Omit<CollectorOptions, 'resolveIdentity' | 'allocatorStats' | 'fs' | 'peakIo' | 'podUid' | 'sampleIntervalMs'>
  > &
    CollectorOptions;
  private readonly watched = new Map<string, Watched>();
  private readonly incarnations = new Map<string, number>();
  private sourceNotices: string[] = [];
  private readonly reportedNotices = new Set<string>();
  private lastDiscoveryMs = -Infinity;
  /** Discovery passes so far; cgroups found after the first were created while the sidecar watched. */
  private discoveries = 0;
  private cursor = 0;
  private watchers = 0;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  /** Cached `tickIntervalMs()`; null when the watched set or a peak method changed since. */
  private tickMs: number | null = null;
  /** Watched cgroups in visiting order; null when the set changed since. */
  private order: Watched[] | null = null;

  constructor(options: CollectorOptions = {}) {
    this.options = {
      cgroupRoot: DEFAULT_CGROUP_ROOT,
      targets: [],
      nodeScope: false,
      eventPollMs: EVENT_POLL_MS,
      detailIntervalMs: DETAIL_INTERVAL_MS,
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

  /** Samples on a timer until `stop()`, waking on the next grid point that has work. */
  start(): void {
    if (this.running) {
      return;
    }
    this.running = true;
    this.tick();
    this.schedule();
  }

  /** Stops sampling and releases open files and watchers. */
  stop(): void {
    this.running = false;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    for (const watched of this.watched.values()) {
      this.release(watched);
    }
    this.watched.clear();
    this.order = null;
    this.tickMs = null;
  }

  /** One round of work: rediscovery when due, then a visit to each cgroup in this tick's share. */
  tick(): void {
    const now = this.options.clock();
    if (now - this.lastDiscoveryMs >= this.options.rediscoverEveryMs) {
      this.discover(now);
    }

    this.order ??= [...this.watched.values()];
    const all = this.order;
    const share = Math.min(all.length, this.options.maxCgroupsPerTick);
    for (let step = 0; step < share; step++) {
      const watched = all[(this.cursor + step) % all.length];
      this.visit(watched, now);
    }
    this.cursor = all.length === 0 ? 0 : (this.cursor + share) % all.length;
  }

  /** Watched containers with their windows overlapping [fromMs, toMs]. Reads change nothing. */
  containers(fromMs: number, toMs: number): SidecarContainer[] {
    const result: SidecarContainer[] = [];
    const tickMs = this.tickIntervalMs();
    for (const watched of this.watched.values()) {
      if (watched.reading === null) {
        continue;
      }
      const resolved = this.options.resolveIdentity?.(watched.podUid, watched.containerId) ?? null;
      if (resolved?.sandbox) {
        continue;
      }
      result.push(this.describe(watched, resolved, fromMs, toMs, tickMs));
    }
    return result;
  }

  notices(): string[] {
    return [...this.sourceNotices];
  }

  /** Milliseconds between ticks: the finest grid any watched cgroup needs. */
  tickIntervalMs(): number {
    if (this.tickMs === null) {
      let interval = Math.min(this.options.eventPollMs, this.options.windowMs);
      for (const watched of this.watched.values()) {
        interval = Math.min(interval, this.sampleIntervalOf(watched));
      }
      this.tickMs = interval;
    }
    return this.tickMs;
  }

  /** Milliseconds between usage samples of one cgroup, as configured or as its peak method needs. */
  private sampleIntervalOf(watched: Watched): number {
    if (this.options.sampleIntervalMs !== undefined) {
      return this.options.sampleIntervalMs;
    }
    const method = watched.tracker.method;
    const exact = method === 'v2-peak-reset' || method === 'v1-reset';
    return exact ? this.options.windowMs : Math.min(SAMPLED_PEAK_INTERVAL_MS, this.options.windowMs);
  }

  /** Milliseconds between samples a cgroup really gets, given the per-tick bound. */
  private effectiveSampleIntervalMs(watched: Watched, tickMs: number): number {
    const rounds = Math.max(1, Math.ceil(this.watched.size / this.options.maxCgroupsPerTick));
    return Math.max(this.sampleIntervalOf(watched), tickMs * rounds);
  }

  /** Sets the timer for the next multiple of the tick interval (windows and samples then start on time). */
  private schedule(): void {
    if (!this.running) {
      return;
    }
    const interval = this.tickIntervalMs();
    const now = this.options.clock();
    const delay = (Math.floor(now / interval) + 1) * interval - now;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.tick();
      this.schedule();
    }, delay);
  }

  private describe(
    watched: Watched,
    resolved: ResolvedIdentity | null,
    fromMs: number,
    toMs: number,
    tickMs: number
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
      sampleIntervalMs: this.effectiveSampleIntervalMs(watched, tickMs),
      firstSeenMs: watched.firstSeenMs,
      startedMs: watched.startedMs,
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

  private visit(watched: Watched, now: number): void {
    try {
      this.visitOrThrow(watched, now);
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

  /** Closes the window at a boundary, samples usage when a sample is due, and otherwise polls the event counters. */
  private visitOrThrow(watched: Watched, now: number): void {
    const { reader } = watched;
    const window = Math.floor(now / this.options.windowMs);
    if (watched.window === null || window > watched.window) {
      this.closeWindow(watched, window);
      this.readWindowFiles(watched, now);
      watched.window = window;
      return;
    }

    const interval = this.sampleIntervalOf(watched);
    if (due(now, watched.sampledMs, interval)) {
      this.observeEvents(watched, reader.readEvents(), now);
      this.addSample(watched, reader.readUsage(), now);
      return;
    }

    if (watched.stopWatching === null && due(now, watched.polledMs, this.options.eventPollMs)) {
      // While quiet, v1 reads only `failcnt` (one file of two); a rise or a recent event reads both, as an OOM kill
      // follows limit hits. A kill forced from outside (a parent's limit) then shows at the next window.
      const quiet = reader.version === 1 && now >= watched.hotUntilMs;
      if (quiet && reader.readLimitHits() === watched.events.countOf('max')) {
        watched.polledMs = now;
        return;
      }
      this.observeEvents(watched, reader.readEvents(), now);
    }
  }

  /** At a window boundary: usage, limit and events, and every other file when their interval has passed. */
  private readWindowFiles(watched: Watched, now: number): void {
    const { reader } = watched;
    if (watched.reading === null || due(now, watched.detailedMs, this.options.detailIntervalMs)) {
      const reading = reader.read({ lifetimePeak: false });
      watched.reading = reading;
      watched.detailedMs = now;
      this.observeEvents(watched, reading.events, now);
      this.addSample(watched, reading.usageBytes, now);
      return;
    }
    watched.reading.limitBytes = reader.readLimit();
    this.observeEvents(watched, reader.readEvents(), now);
    this.addSample(watched, reader.readUsage(), now);
  }

  /** The window that just ended gets the kernel's mark; the first read after a gap covers several windows. */
  private closeWindow(watched: Watched, window: number): void {
    const { ring, tracker } = watched;
    if (watched.window === null) {
      watched.lifetimePeakBytes = tracker.lifetimePeak();
      return;
    }
    const closedStartMs = watched.window * this.options.windowMs;
    const method = tracker.method;
    const peak = tracker.closeWindow(window - watched.window === 1);
    if (tracker.method !== method) {
      this.tickMs = null; // a reset refused: this cgroup now needs sampling
    }
    if (peak.peakBytes !== null) {
      ring.recordPeak(closedStartMs, peak.peakBytes, peak.exact);
      const limit = watched.reading?.limitBytes ?? null;
      if (peak.exact && limit !== null && peak.peakBytes >= limit) {
        ring.markLimitHit(closedStartMs);
      }
    }
    watched.lifetimePeakBytes = peak.lifetimePeakBytes;
  }

  private addSample(watched: Watched, usage: number | null, now: number): void {
    const inactiveFile = watched.reading?.stat.breakdown.inactiveFileBytes ?? null;
    watched.ring.addSample(now, usage, workingSetBytes(usage, inactiveFile));
    const limit = watched.reading?.limitBytes ?? null;
    if (usage !== null && limit !== null && usage >= limit) {
      watched.ring.markLimitHit(now);
    }
    watched.usageBytes = usage;
    watched.timeMs = now;
    watched.sampledMs = now;
  }

  /** Records fresh events (a limit hit or OOM marks the window); true when a counter rose. */
  private observeEvents(watched: Watched, counts: MemoryEventCounts, now: number): boolean {
    watched.polledMs = now;
    const fresh = watched.events.observe(counts, now);
    if (fresh.length === 0) {
      return false;
    }
    watched.hotUntilMs = now + this.options.windowMs;
    if (fresh.some((event) => event.kind === 'max' || event.kind === 'oom' || event.kind === 'oom_kill')) {
      watched.ring.markLimitHit(now);
    }
    return true;
  }

  private discover(now: number): void {
    this.lastDiscoveryMs = now;
    this.discoveries += 1;
    const notices: string[] = [];
    const present = new Set<string>();

    for (const target of this.options.targets) {
      const dir = path.isAbsolute(target.path) ? target.path : path.join(this.options.cgroupRoot, target.path);
      const key = `target:${dir}`;
      if (this.watched.has(key)) {
        // Still watched: its next read fails with ENODEV once it is removed, so there is nothing to look up.
        present.add(key);
        continue;
      }
      const version = this.versionOf(dir);
      if (version === null) {
        notices.push(`cgroup ${target.path} (${target.name}) not found or has no memory files`);
        continue;
      }
      present.add(key);
      const podName = parsePodDirName(path.basename(path.dirname(dir)));
      const container = podName ? parseContainerDirName(path.basename(dir)) : null;
      this.watch(key, dir, version, now, {
        podUid: podName?.podUid ?? null,
        containerId: container?.containerId ?? null,
        name: target.name,
      });
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
      // A cgroup found after the first discovery was created since: its start is known within one interval.
      startedMs: this.discoveries > 1 ? now : null,
      timeMs: now,
      usageBytes: null,
      reading: null,
      lifetimePeakBytes: null,
      window: null,
      sampledMs: now,
      polledMs: now,
      detailedMs: now,
      hotUntilMs: now,
      stopWatching: null,
    };
    if (version === 2 && this.options.watchEvents && this.watchers < this.options.maxWatchers) {
      watched.stopWatching = watchMemoryEvents(files.pathOf('memory.events'), () => this.onEventsChanged(key));
      if (watched.stopWatching) {
        this.watchers++;
      }
    }
    this.watched.set(key, watched);
    this.tickMs = null;
    this.order = null;
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
    this.tickMs = null;
    this.order = null;
    for (const [key, candidate] of this.watched) {
      if (candidate === watched) {
        this.watched.delete(key);
      }
    }
  }

  private release(watched: Watched): void {
    watched.tracker.close();
    watched.reader.files.close();
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

/** Whether a grid point of `intervalMs` (aligned to the epoch) lies in (lastMs, nowMs]. */
function due(nowMs: number, lastMs: number, intervalMs: number): boolean {
  return Math.floor(nowMs / intervalMs) > Math.floor(lastMs / intervalMs);
}
