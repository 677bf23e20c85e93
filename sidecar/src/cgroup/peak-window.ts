/**
 * A ring of fixed windows (default 1 s, kept for 1 h) holding each window's peak, last usage, working set, whether the
 * limit was hit and how many samples it has. Pure and compact: one typed array per field, 27 bytes a window, so
 * 110 cgroups × 3,600 windows take about 10 MiB. Reads return copies and never change the ring.
 *
 * Windows are aligned to multiples of `windowMs` since the epoch, so windows of different cgroups line up.
 * A peak above the limit is kept as it is: a ratio above 1 is real (memory charged before the limit was lowered).
 */
import type { PeakWindow } from '../../../src/core/sidecar-api';

export interface PeakWindowOptions {
  windowMs?: number;
  keepMs?: number;
}

const EXACT = 1;
const LIMIT_HIT = 2;
const MAX_SAMPLES = 0xffff;

export class PeakWindowRing {
  readonly windowMs: number;
  readonly capacity: number;

  // NaN stands for "no value" in the byte arrays.
  private readonly peak: Float64Array;
  private readonly last: Float64Array;
  private readonly workingSet: Float64Array;
  private readonly samples: Uint16Array;
  private readonly flags: Uint8Array;
  /** Number (time / windowMs) of the newest window written; slots of windows older than `capacity` are cleared. */
  private newest = -Infinity;

  constructor({ windowMs = 1000, keepMs = 3_600_000 }: PeakWindowOptions = {}) {
    if (!(windowMs > 0) || !(keepMs >= windowMs)) {
      throw new Error(`invalid window ring: windowMs ${windowMs}, keepMs ${keepMs}`);
    }
    this.windowMs = windowMs;
    this.capacity = Math.ceil(keepMs / windowMs);
    this.peak = new Float64Array(this.capacity).fill(NaN);
    this.last = new Float64Array(this.capacity).fill(NaN);
    this.workingSet = new Float64Array(this.capacity).fill(NaN);
    this.samples = new Uint16Array(this.capacity);
    this.flags = new Uint8Array(this.capacity);
  }

  /** Start of the window that holds `timeMs`. */
  windowStart(timeMs: number): number {
    return Math.floor(timeMs / this.windowMs) * this.windowMs;
  }

  /** Records one usage sample: the window's peak rises to it, and it becomes the window's last value. */
  addSample(timeMs: number, usageBytes: number | null, workingSetBytes: number | null): void {
    const slot = this.slotFor(timeMs);
    if (slot < 0) {
      return;
    }
    if (usageBytes !== null) {
      this.raisePeak(slot, usageBytes);
    }
    this.last[slot] = usageBytes ?? NaN;
    this.workingSet[slot] = workingSetBytes ?? NaN;
    this.samples[slot] = Math.min(MAX_SAMPLES, this.samples[slot] + 1);
  }

  /**
   * Records a peak for the window holding `timeMs`, read from the kernel's high-water mark. `exact` says the mark
   * covered exactly this window (a per-window reset); otherwise it only raises the window's peak.
   */
  recordPeak(timeMs: number, peakBytes: number, exact: boolean): void {
    const slot = this.slotFor(timeMs);
    if (slot < 0) {
      return;
    }
    this.raisePeak(slot, peakBytes);
    if (exact) {
      this.flags[slot] |= EXACT;
    }
  }

  /** Marks that the limit was hit in the window holding `timeMs`. */
  markLimitHit(timeMs: number): void {
    const slot = this.slotFor(timeMs);
    if (slot >= 0) {
      this.flags[slot] |= LIMIT_HIT;
    }
  }

  /** Copies of the windows that overlap [fromMs, toMs], oldest first. */
  windowsBetween(fromMs: number, toMs: number): PeakWindow[] {
    if (this.newest === -Infinity || toMs < fromMs) {
      return [];
    }
    const first = Math.max(Math.floor(fromMs / this.windowMs), this.newest - this.capacity + 1);
    const lastWindow = Math.min(Math.floor(toMs / this.windowMs), this.newest);
    const windows: PeakWindow[] = [];
    for (let number = first; number <= lastWindow; number++) {
      const window = this.windowAt(number);
      if (window) {
        windows.push(window);
      }
    }
    return windows;
  }

  /** The newest window, or null before the first sample. */
  latest(): PeakWindow | null {
    return this.newest === -Infinity ? null : this.windowAt(this.newest);
  }

  /** Bytes held by the ring's arrays. */
  get byteLength(): number {
    return (
      this.peak.byteLength +
      this.last.byteLength +
      this.workingSet.byteLength +
      this.samples.byteLength +
      this.flags.byteLength
    );
  }

  private windowAt(number: number): PeakWindow | null {
    const slot = this.slotIndex(number);
    if (this.samples[slot] === 0 && Number.isNaN(this.peak[slot]) && this.flags[slot] === 0) {
      return null;
    }
    const startMs = number * this.windowMs;
    return {
      startMs,
      endMs: startMs + this.windowMs,
      peakBytes: nullable(this.peak[slot]),
      peakExact: (this.flags[slot] & EXACT) !== 0,
      lastBytes: nullable(this.last[slot]),
      workingSetBytes: nullable(this.workingSet[slot]),
      limitHit: (this.flags[slot] & LIMIT_HIT) !== 0,
      samples: this.samples[slot],
    };
  }

  /** Slot for the window holding `timeMs`, advancing the ring when it is newer; -1 when it is older than the ring. */
  private slotFor(timeMs: number): number {
    const number = Math.floor(timeMs / this.windowMs);
    if (number > this.newest) {
      const clearFrom = this.newest === -Infinity ? number : Math.max(this.newest + 1, number - this.capacity + 1);
      for (let cleared = clearFrom; cleared <= number; cleared++) {
        this.clear(this.slotIndex(cleared));
      }
      this.newest = number;
    } else if (number <= this.newest - this.capacity) {
      return -1;
    }
    return this.slotIndex(number);
  }

  private slotIndex(number: number): number {
    return ((number % this.capacity) + this.capacity) % this.capacity;
  }

  private clear(slot: number): void {
    this.peak[slot] = NaN;
    this.last[slot] = NaN;
    this.workingSet[slot] = NaN;
    this.samples[slot] = 0;
    this.flags[slot] = 0;
  }

  private raisePeak(slot: number, bytes: number): void {
    const current = this.peak[slot];
    this.peak[slot] = Number.isNaN(current) ? bytes : Math.max(current, bytes);
  }
}

function nullable(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}
