/**
 * A container that really runs, for the report: a child memory cgroup with a hard limit, the peak sidecar watching it
 * (its Collector with `--v1-reset-peak` and its HTTP server on 127.0.0.1), and a workload that holds steady and spikes
 * for a few hundred milliseconds at a time, while a sampler reads usage every 15 s, as the kubelet and Prometheus do.
 * Only this process's own children are touched; `stop()` ends the workload and the sidecar and removes the cgroup.
 */
import { setTimeout as delay } from 'node:timers/promises';

import pino from 'pino';

import { parseConfig, type SidecarConfig } from '../../sidecar/src/config';
import { createCollector, type RunningSidecar, startSidecar } from '../../sidecar/src/main';
import { CgroupV1Child, realCgroupV1Unavailable } from '../../sidecar/src/realkernel/cgroup-v1-child';
import { type Spiker, startSpiker } from '../../sidecar/src/realkernel/workload';
import { summaryMemoryFromCgroupV1 } from './cgroup-summary-memory';
import type { SummaryMemory } from './summary-document';

const MIB = 1024 * 1024;

/** Who the container is in the cluster: the names the sidecar labels it with and the pod list shows. */
export interface LiveIdentity {
  namespace: string;
  pod: string;
  podUid: string;
  container: string;
  node: string;
}

/** What the workload does and when the sampler reads; times are ms after the workload first holds its memory. */
export interface LiveWorkload {
  limitBytes: number;
  /** Charge held between spikes, the runtime's own memory included. */
  holdToBytes: number;
  /** Charge at the top of each spike. */
  spikeToBytes: number;
  spikeMs: number;
  periodMs: number;
  spikes: number;
  firstSpikeMs: number;
  /** Length of the run; the sidecar's 1 s windows have closed over the last spike well before it ends. */
  runMs: number;
  samplerPeriodMs: number;
  samplerPhaseMs: number;
}

/**
 * 41 % of a 64 MiB limit held, spikes to 94 % for 300 ms at 2, 6, 10 and 14 s. The sampler reads at 0.5 s and 15.5 s:
 * a scrape lands at one arbitrary phase, and this one is fixed so that every run shows the same thing. At a random
 * phase a 15 s sampler would read inside one of these spikes in about one run of twelve (4 × 300 ms of every 15 s).
 */
export const DEMO_WORKLOAD: LiveWorkload = {
  limitBytes: 64 * MIB,
  holdToBytes: Math.round(64 * MIB * 0.41),
  spikeToBytes: Math.round(64 * MIB * 0.94),
  spikeMs: 300,
  periodMs: 4000,
  spikes: 4,
  firstSpikeMs: 2000,
  runMs: 16_000,
  samplerPeriodMs: 15_000,
  samplerPhaseMs: 500,
};

/** One read of the sampler. */
export interface SamplerRead {
  timeMs: number;
  usageBytes: number;
}

/** What a run did and what the sampler saw of it. */
export interface LiveRun {
  startMs: number;
  endMs: number;
  spikes: number;
  /** The sampler's usage reads, oldest first. */
  reads: SamplerRead[];
}

/** Why no live container can run here (no writable cgroup v1 memory controller), or null when one can. */
export function liveContainerUnavailable(): string | null {
  return realCgroupV1Unavailable();
}

/** A running live container: its cgroup and sidecar are up; `run()` starts the workload. */
export class LiveContainer {
  private spiker: Spiker | null = null;
  private stopping: Promise<void> | null = null;

  private constructor(
    readonly identity: LiveIdentity,
    readonly workload: LiveWorkload,
    private readonly child: CgroupV1Child,
    private readonly sidecar: RunningSidecar,
    readonly startTimeMs: number
  ) {}

  /** Creates the cgroup and starts the sidecar on 127.0.0.1 (any free port); throws when either fails. */
  static async start(identity: LiveIdentity, workload: LiveWorkload = DEMO_WORKLOAD): Promise<LiveContainer> {
    const child = CgroupV1Child.create('report-live', workload.limitBytes);
    try {
      const config = sidecarConfig(child, identity);
      const log = pino(
        { level: config.logLevel, base: { service: 'headroom-sidecar' } },
        pino.destination({ fd: 2, sync: true })
      );
      const sidecar = await startSidecar(config, log, createCollector);
      return new LiveContainer(identity, workload, child, sidecar, Date.now());
    } catch (error) {
      await child.remove();
      throw error;
    }
  }

  get limitBytes(): number {
    return this.workload.limitBytes;
  }

  get sidecarPort(): number {
    return this.sidecar.port;
  }

  get sidecarUrl(): string {
    return `http://127.0.0.1:${this.sidecar.port}`;
  }

  /** The container's memory now, as the kubelet reports it; null once the cgroup is gone. */
  memory(): SummaryMemory | null {
    try {
      return summaryMemoryFromCgroupV1(
        this.child.read('memory.usage_in_bytes'),
        this.child.read('memory.stat'),
        this.workload.limitBytes
      );
    } catch {
      return null;
    }
  }

  /** Runs the workload for `runMs` after it holds, with the sampler reading usage; rejects when `signal` aborts. */
  async run(signal?: AbortSignal): Promise<LiveRun> {
    const w = this.workload;
    const startMs = Date.now();
    this.spiker = startSpiker(this.child, {
      holdToBytes: w.holdToBytes,
      spikeToBytes: w.spikeToBytes,
      spikeMs: w.spikeMs,
      periodMs: w.periodMs,
      count: w.spikes,
      firstSpikeMs: w.firstSpikeMs,
    });
    const holding = await abortable(this.spiker.waitFor('holding', 10_000), signal);

    const reads: SamplerRead[] = [];
    for (let atMs = w.samplerPhaseMs; atMs < w.runMs; atMs += w.samplerPeriodMs) {
      await sleepUntil(holding.timeMs + atMs, signal);
      reads.push({ timeMs: Date.now(), usageBytes: this.child.readNumber('memory.usage_in_bytes') });
    }
    await sleepUntil(holding.timeMs + w.runMs, signal);

    return { startMs, endMs: Date.now(), spikes: this.spiker.spikes().length, reads };
  }

  /** Ends the workload and the sidecar and removes the cgroup; safe to call more than once. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.spiker?.stop();
      await this.sidecar.stop();
      await this.child.remove();
    })();
    return this.stopping;
  }
}

/** The sidecar's own flags for this cgroup: exact window peaks by resetting the v1 mark, the pod named as in a pod. */
function sidecarConfig(child: CgroupV1Child, identity: LiveIdentity): SidecarConfig {
  const flags = [
    ['--cgroup-root', child.mountPoint],
    ['--cgroup', child.path],
    ['--name', identity.container],
    ['--listen', '127.0.0.1:0'],
    ['--v1-reset-peak'],
    ['--window', '1s'],
    ['--sample-interval', '100ms'],
    ['--keep', '10m'],
    ['--node-name', identity.node],
    ['--log-level', 'warn'],
  ].flat();
  const downwardApi = { POD_NAMESPACE: identity.namespace, POD_NAME: identity.pod, POD_UID: identity.podUid };
  const result = parseConfig(flags, downwardApi);
  if (result.kind !== 'run') {
    throw new Error('the sidecar flags asked for help instead of a run');
  }
  return result.config;
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) {
    return promise;
  }
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      }
    );
  });
}

function sleepUntil(timeMs: number, signal: AbortSignal | undefined): Promise<void> {
  return delay(Math.max(0, timeMs - Date.now()), undefined, { signal });
}
