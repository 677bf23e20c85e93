/**
 * Runs the spiker workload (`sidecar/workload/spiker.js`) inside a child memory cgroup and collects what it
 * reports: when it held, when each spike was fully touched and when it was released.
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import type { CgroupV1Child } from './cgroup-v1-child';

/** Path of the workload program, found from this file so it works from any working directory. */
export const SPIKER_PATH = join(__dirname, '..', '..', 'workload', 'spiker.js');

/** Workload parameters; charge targets (`holdToBytes`, `spikeToBytes`) include the runtime's own baseline. */
export interface SpikerParams {
  holdBytes?: number;
  holdToBytes?: number;
  spikeBytes?: number;
  spikeToBytes?: number;
  spikeMs?: number;
  periodMs?: number;
  count?: number;
  firstSpikeMs?: number;
  fileCacheBytes?: number;
  cacheFile?: string;
}

/** One line the workload printed. */
export interface SpikerEvent {
  event: 'ready' | 'file-cached' | 'holding' | 'spike-start' | 'spike-peak' | 'spike-end' | 'spike-released' | 'done';
  timeMs: number;
  index?: number;
  bytes?: number;
  spikeBytes?: number;
}

/** One spike as the workload saw it: allocation start, fully touched, release start, released. */
export interface SpikeTimes {
  index: number;
  startMs: number;
  peakMs: number;
  endMs: number;
  releasedMs: number;
}

/** How the workload ended. */
export interface SpikerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running workload. */
export class Spiker {
  readonly events: SpikerEvent[] = [];
  readonly exited: Promise<SpikerExit>;
  private stderr = '';
  private waiters: Array<() => void> = [];

  constructor(readonly process: ChildProcess) {
    createInterface({ input: process.stdout! }).on('line', (line) => {
      try {
        this.events.push(JSON.parse(line) as SpikerEvent);
      } catch {
        this.stderr += `unparsed: ${line}\n`;
      }
      this.waiters.forEach((wake) => wake());
    });
    process.stderr!.on('data', (data: Buffer) => (this.stderr += data.toString()));
    this.exited = new Promise((resolve) => {
      process.on('exit', (code, signal) => {
        resolve({ code, signal });
        this.waiters.forEach((wake) => wake());
      });
    });
  }

  /** What the workload wrote to stderr (a failed start shows here). */
  errors(): string {
    return this.stderr;
  }

  /** Waits until the workload reports `event` (the `count`-th time), failing after `timeoutMs` or on exit. */
  async waitFor(event: SpikerEvent['event'], timeoutMs: number, count = 1): Promise<SpikerEvent> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.exited.then(() => (exited = true));
    for (;;) {
      const seen = this.events.filter((e) => e.event === event);
      if (seen.length >= count) {
        return seen[count - 1];
      }
      if (exited || this.process.exitCode !== null || this.process.signalCode !== null) {
        throw new Error(`workload exited before "${event}": ${this.stderr.trim() || this.process.signalCode}`);
      }
      if (Date.now() > deadline) {
        throw new Error(`workload did not report "${event}" within ${timeoutMs} ms`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(100, Math.max(1, deadline - Date.now())));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      this.waiters = [];
    }
  }

  /** Spikes the workload completed so far, with their four instants. */
  spikes(): SpikeTimes[] {
    const at = (event: SpikerEvent['event'], index: number) =>
      this.events.find((e) => e.event === event && e.index === index)?.timeMs;
    return this.events
      .filter((e) => e.event === 'spike-released')
      .map((e) => ({
        index: e.index!,
        startMs: at('spike-start', e.index!)!,
        peakMs: at('spike-peak', e.index!)!,
        endMs: at('spike-end', e.index!)!,
        releasedMs: e.timeMs,
      }));
  }

  /** Ends the workload (stdin closes, then SIGKILL if it lingers) and waits for it. */
  async stop(): Promise<SpikerExit> {
    if (this.process.exitCode === null && this.process.signalCode === null) {
      this.process.stdin?.end();
      const timer = setTimeout(() => this.process.kill('SIGKILL'), 1000);
      const exit = await this.exited;
      clearTimeout(timer);
      return exit;
    }
    return this.exited;
  }
}

/** Starts the spiker inside `cgroup`; every byte it touches, node's own start-up included, is charged there. */
export function startSpiker(cgroup: CgroupV1Child, params: SpikerParams): Spiker {
  const flags: Array<[string, number | string | undefined]> = [
    ['--hold', params.holdBytes],
    ['--hold-to', params.holdToBytes],
    ['--spike', params.spikeBytes],
    ['--spike-to', params.spikeToBytes],
    ['--spike-ms', params.spikeMs],
    ['--period', params.periodMs],
    ['--count', params.count],
    ['--first-spike-ms', params.firstSpikeMs],
    ['--file-cache', params.fileCacheBytes],
    ['--cache-file', params.cacheFile],
  ];
  const args = flags.filter(([, value]) => value !== undefined).map(([flag, value]) => `${flag}=${value}`);

  // Every spike chunk gets its own mmap and is unmapped when freed, so a released spike leaves the charge at once
  // (glibc would otherwise raise its mmap threshold after the first free and keep later spikes in its heap).
  const env = { ...process.env, MALLOC_MMAP_THRESHOLD_: '131072' };
  const child = cgroup.spawn(process.execPath, ['--expose-gc', SPIKER_PATH, ...args], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return new Spiker(child);
}
