/**
 * Picks the best way to measure one cgroup's peaks and measures them window by window (`PeakMethod`, best first):
 *
 * - `v2-peak-reset` (Linux 6.12+): one `memory.peak` descriptor is kept open per cgroup. At each window boundary it is
 *   read (pread at 0) and then written "reset" (any non-empty string), which restarts the high-water mark for that
 *   descriptor only; other readers of `memory.peak` and the lifetime mark are not disturbed. Support is detected by
 *   trying the reset on a fresh descriptor: older kernels refuse the write (EINVAL, EBADF, EACCES; EROFS on a
 *   read-only mount).
 * - `v2-peak-sampled` (5.19–6.11): `memory.peak` is the lifetime peak; windows come from sampling `memory.current`,
 *   raised to the lifetime peak whenever that rose during the window.
 * - `v2-sampled` (before 5.19): no `memory.peak`; sampling only, the lifetime peak is unknown (never 0).
 * - `v1-sampled`: `memory.max_usage_in_bytes` is the lifetime peak, used like `v2-peak-sampled`; `failcnt` marks
 *   windows where the limit was touched.
 * - `v1-reset` (opt-in `v1ResetPeak`): `0` is written to `memory.max_usage_in_bytes` at every window boundary, giving
 *   exact window peaks. v1 has a single mark per cgroup, so this changes what every other reader sees: cAdvisor's
 *   `container_memory_max_usage_bytes` becomes the peak of the current window instead of the lifetime peak.
 */
import * as nodeFs from 'fs';
import type { PeakMethod } from '../../../src/core/sidecar-api';
import { CgroupGoneError } from './cgroup-files';
import type { CgroupReader } from './cgroup-reading';
import { wholeNumberAt } from './counter-bytes';
import { parseSingleValue } from './file-formats';

/** The file operations peak tracking needs, so a test can refuse a write. */
export interface PeakFileIo {
  openSync(file: string, flags: string): number;
  readSync(fd: number, buffer: Buffer, offset: number, length: number, position: number): number;
  writeSync(fd: number, text: string, position: number): number;
  closeSync(fd: number): void;
}

export interface PeakTrackerOptions {
  /** Reset v1 `memory.max_usage_in_bytes` each window (exact peaks; changes what cAdvisor reports). */
  v1ResetPeak?: boolean;
  io?: PeakFileIo;
}

/** What the kernel says about the window that just closed. */
export interface WindowPeak {
  /** The window's peak, or a lower bound of it when not exact; null when only samples tell. */
  peakBytes: number | null;
  exact: boolean;
  lifetimePeakBytes: number | null;
}

const V2_RESET_REFUSED =
  'memory.peak cannot be reset here (needs Linux 6.12+ and a writable mount): window peaks are sampled';
/** Problem keys apart from the files' own, so a good read of the file does not clear them. */
const V2_RESET_KEY = 'memory.peak reset';
const V1_RESET_KEY = 'memory.max_usage_in_bytes reset';
const V1_RESET_REFUSED = 'memory.max_usage_in_bytes cannot be reset (read-only mount?): window peaks are sampled';
/** `memory.peak` holds one number: 20 digits at most. */
const peakText = Buffer.alloc(32);

export class PeakTracker {
  private currentMethod: PeakMethod;
  private fd: number | null = null;
  private previousLifetime: number | null = null;
  /**
   * Reset methods keep the lifetime peak themselves: the mark read before the first reset, raised by every window
   * peak since (v1-reset destroys the kernel's lifetime mark; on v2 this saves a read per window).
   */
  private keptLifetime: number | null = null;
  private closedWindows = 0;
  private readonly io: PeakFileIo;

  constructor(
    private readonly reader: CgroupReader,
    options: PeakTrackerOptions = {}
  ) {
    this.io = options.io ?? nodeFs;
    this.currentMethod = reader.version === 2 ? this.startV2() : this.startV1(options.v1ResetPeak ?? false);
  }

  get method(): PeakMethod {
    return this.currentMethod;
  }

  /**
   * Ends a window: reads (and for reset methods, resets) the kernel's mark. `coversOneWindow` is false when boundaries
   * were skipped, so the mark spans several windows and is no longer exact for one of them.
   */
  closeWindow(coversOneWindow = true): WindowPeak {
    const first = this.closedWindows === 0;
    this.closedWindows++;
    // The first window began before the mark was reset, so its peak is a lower bound.
    const exactWindow = coversOneWindow && !first;

    if (this.currentMethod === 'v2-peak-reset') {
      const peak = this.readAndResetV2();
      if (this.currentMethod === 'v2-peak-reset') {
        this.keep(peak);
        return { peakBytes: peak, exact: exactWindow && peak !== null, lifetimePeakBytes: this.keptLifetime };
      }
    }

    if (this.currentMethod === 'v1-reset') {
      const peak = this.reader.readLifetimePeak();
      this.keep(peak);
      this.resetV1();
      return { peakBytes: peak, exact: exactWindow && peak !== null, lifetimePeakBytes: this.keptLifetime };
    }

    // Sampled methods: a lifetime mark that rose during the window bounds the window's peak from below.
    const lifetime = this.currentMethod === 'v2-sampled' ? null : this.reader.readLifetimePeak();
    const rose = lifetime !== null && this.previousLifetime !== null && lifetime > this.previousLifetime;
    this.previousLifetime = lifetime ?? this.previousLifetime;
    return { peakBytes: rose ? lifetime : null, exact: false, lifetimePeakBytes: lifetime };
  }

  /** The lifetime peak as known now, without touching any mark. */
  lifetimePeak(): number | null {
    if (this.currentMethod === 'v1-reset' || this.currentMethod === 'v2-peak-reset') {
      return this.keptLifetime;
    }
    return this.currentMethod === 'v2-sampled' ? null : this.reader.readLifetimePeak();
  }

  /** Releases the held descriptor (v2 `memory.peak`, v1 `memory.max_usage_in_bytes`). */
  close(): void {
    if (this.fd !== null) {
      try {
        this.io.closeSync(this.fd);
      } catch {
        // Already gone with its cgroup.
      }
      this.fd = null;
    }
  }

  private startV2(): PeakMethod {
    const files = this.reader.files;
    if (!files.has('memory.peak')) {
      this.reader.readLifetimePeak(); // records the "peak unknown" notice
      return 'v2-sampled';
    }
    this.keptLifetime = this.reader.readLifetimePeak();
    try {
      this.fd = this.io.openSync(files.pathOf('memory.peak'), 'r+');
      this.io.writeSync(this.fd, 'reset', 0);
      return 'v2-peak-reset';
    } catch (error) {
      this.close();
      files.problem(V2_RESET_KEY, `${V2_RESET_REFUSED} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      this.previousLifetime = this.keptLifetime;
      return 'v2-peak-sampled';
    }
  }

  private startV1(resetPeak: boolean): PeakMethod {
    const lifetime = this.reader.readLifetimePeak();
    if (!resetPeak) {
      this.previousLifetime = lifetime;
      return 'v1-sampled';
    }
    this.keptLifetime = lifetime;
    if (this.resetV1()) {
      return 'v1-reset';
    }
    this.previousLifetime = lifetime;
    return 'v1-sampled';
  }

  private keep(peak: number | null): void {
    if (peak !== null) {
      this.keptLifetime = Math.max(this.keptLifetime ?? 0, peak);
    }
  }

  /** Reads the held descriptor's mark and resets it; on failure falls back to sampling. */
  private readAndResetV2(): number | null {
    const files = this.reader.files;
    try {
      const length = this.io.readSync(this.fd!, peakText, 0, peakText.length, 0);
      this.io.writeSync(this.fd!, 'reset', 0);
      const value = wholeNumberAt(peakText, length);
      if (value < 0) {
        const parsed = parseSingleValue(peakText.toString('utf8', 0, length));
        files.problem('memory.peak', `memory.peak: ${parsed.ok ? 'unreadable number' : parsed.reason}`);
        return null;
      }
      return value;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      if ((code === 'ENODEV' || code === 'ENOENT') && !files.exists()) {
        this.close();
        throw new CgroupGoneError(files.dir);
      }
      this.close();
      files.problem(V2_RESET_KEY, `${V2_RESET_REFUSED} (${code})`);
      this.currentMethod = 'v2-peak-sampled';
      this.previousLifetime = this.reader.readLifetimePeak();
      return null;
    }
  }

  /** Writes 0 to v1 `memory.max_usage_in_bytes`; on failure falls back to sampling. */
  private resetV1(): boolean {
    const files = this.reader.files;
    try {
      // One descriptor held open: a write costs about 2 µs where opening the file each window costs 12 µs. The kernel
      // resets the mark on any write, whatever the position.
      this.fd ??= this.io.openSync(files.pathOf('memory.max_usage_in_bytes'), 'r+');
      this.io.writeSync(this.fd, '0', 0);
      return true;
    } catch (error) {
      this.close();
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      if (code === 'ENODEV' || !files.exists()) {
        throw new CgroupGoneError(files.dir);
      }
      files.problem(V1_RESET_KEY, `${V1_RESET_REFUSED} (${code})`);
      this.currentMethod = 'v1-sampled';
      this.previousLifetime = this.keptLifetime;
      return false;
    }
  }
}
