/**
 * Reads the files of one cgroup directory. A missing or unreadable file gives `null` and one notice (reported once,
 * not every sample); a cgroup that has disappeared throws `CgroupGoneError`.
 *
 * Each file is opened once and kept open: a read is one `pread` at offset 0 into a shared buffer, which makes the
 * kernel generate the file afresh (cgroup files are seq files). That costs about 2 µs where open, read and close cost
 * 15–35 µs. A held descriptor of a removed cgroup fails with ENODEV, which is how removal is noticed.
 */
import * as nodeFs from 'fs';
import * as path from 'path';

/** The part of `fs` the readers use, so tests can interpose on a read. */
export interface CgroupFs {
  existsSync(file: string): boolean;
  openSync(file: string, flags: string): number;
  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  closeSync(fd: number): void;
}

/** The cgroup directory no longer exists: its container stopped (a restart is a new cgroup). */
export class CgroupGoneError extends Error {
  constructor(readonly dir: string) {
    super(`cgroup removed: ${dir}`);
    this.name = 'CgroupGoneError';
  }
}

/** Error codes that mean the cgroup itself went away: ENODEV on a held descriptor, ENOENT on open. */
const GONE_CODES = new Set(['ENOENT', 'ENODEV']);

/**
 * Descriptors held open across all cgroups at most. A cgroup holds about 10 (one per file it reads); beyond the
 * budget, files are opened, read and closed each time, which is slower but reads the same.
 */
export const MAX_HELD_DESCRIPTORS = 8192;
/** Files read once per window are held only while half the budget is free, leaving room for the per-sample ones. */
const SLOW_FILE_SHARE = 0.5;
let heldDescriptors = 0;

/** One buffer for every read: reads are synchronous, and the caller parses it before the next read. */
let shared = Buffer.allocUnsafe(64 * 1024);

/** How often a file is read, which decides whether it may hold a descriptor when the budget runs short. */
export type ReadCadence = 'sample' | 'window';

export class CgroupFiles {
  /** Current problem per file name. */
  private readonly problems = new Map<string, string>();
  /** Every notice already reported, so each is reported once. */
  private readonly reported = new Set<string>();
  private readonly held = new Map<string, number>();
  /** Which files exist; the kernel decides that when the cgroup is created, so it is asked once per file. */
  private readonly present = new Map<string, boolean>();

  constructor(
    readonly dir: string,
    private readonly fs: CgroupFs = nodeFs,
    private readonly onNotice: (notice: string) => void = () => {}
  ) {}

  /** Absolute path of a file in this cgroup. */
  pathOf(name: string): string {
    return path.join(this.dir, name);
  }

  /** Whether the cgroup directory still exists. */
  exists(): boolean {
    return this.fs.existsSync(this.dir);
  }

  /** Whether a file exists in this cgroup (the kernel version decides which files there are). */
  has(name: string): boolean {
    let present = this.present.get(name);
    if (present === undefined) {
      present = this.fs.existsSync(this.pathOf(name));
      this.present.set(name, present);
    }
    return present;
  }

  /** The buffer the last `readBytes` filled. */
  get bytes(): Buffer {
    return shared;
  }

  /**
   * Reads a small file (one value, or a few counters) with a single `pread` into `bytes` and returns its length, or -1
   * with a notice when it is missing or unreadable. `missingReason` replaces the generic notice for a file whose
   * absence has a known meaning.
   */
  readBytes(name: string, missingReason?: string): number {
    return this.readInto(name, 'sample', false, missingReason);
  }

  /** The whole text of a file, or `null` with a notice when it is missing or unreadable. */
  read(name: string, missingReason?: string): string | null {
    const length = this.readInto(name, 'window', true, missingReason);
    return length < 0 ? null : shared.toString('utf8', 0, length);
  }

  /** Records a problem with one file (a parse failure, a refused write); reported once. */
  problem(name: string, notice: string): void {
    this.problems.set(name, notice);
    if (!this.reported.has(notice)) {
      this.reported.add(notice);
      this.onNotice(notice);
    }
  }

  /** Clears the problem recorded for a file once it reads well again. */
  clear(name: string): void {
    if (this.problems.size > 0) {
      this.problems.delete(name);
    }
  }

  /** Problems that hold now, one per file. */
  notices(): string[] {
    return [...this.problems.values()];
  }

  /** Closes every held descriptor (the cgroup is gone or no longer watched). Reading again reopens them. */
  close(): void {
    for (const fd of this.held.values()) {
      this.closeQuietly(fd);
      heldDescriptors--;
    }
    this.held.clear();
  }

  /** Reads into the shared buffer: once for small files, until end of file for `whole` (records may span reads). */
  private readInto(name: string, cadence: ReadCadence, whole: boolean, missingReason?: string): number {
    let fd = this.held.get(name);
    const heldBefore = fd !== undefined;
    try {
      if (fd === undefined) {
        fd = this.fs.openSync(this.pathOf(name), 'r');
      }
      let length = this.fs.readSync(fd, shared, 0, shared.length, 0);
      while (whole && length > 0) {
        if (length === shared.length) {
          const bigger = Buffer.allocUnsafe(shared.length * 2);
          shared.copy(bigger, 0, 0, length);
          shared = bigger;
        }
        const more = this.fs.readSync(fd, shared, length, shared.length - length, length);
        if (more === 0) {
          break;
        }
        length += more;
      }
      if (!heldBefore) {
        this.keepOrClose(name, fd, cadence);
      }
      if (this.problems.size > 0) {
        this.problems.delete(name);
      }
      return length;
    } catch (error) {
      if (fd !== undefined) {
        // A failed descriptor is not trusted again: the next read opens the file afresh.
        this.closeQuietly(fd);
        if (heldBefore) {
          this.held.delete(name);
          heldDescriptors--;
        }
      }
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      if (GONE_CODES.has(code) && (heldBefore || !this.exists())) {
        this.close();
        throw new CgroupGoneError(this.dir);
      }
      const notice =
        code === 'ENOENT' ? (missingReason ?? `${name} is missing`) : `${name} could not be read (${code})`;
      this.problem(name, notice);
      return -1;
    }
  }

  private keepOrClose(name: string, fd: number, cadence: ReadCadence): void {
    const budget = cadence === 'sample' ? MAX_HELD_DESCRIPTORS : MAX_HELD_DESCRIPTORS * SLOW_FILE_SHARE;
    if (heldDescriptors < budget) {
      this.held.set(name, fd);
      heldDescriptors++;
    } else {
      this.closeQuietly(fd);
    }
  }

  private closeQuietly(fd: number): void {
    try {
      this.fs.closeSync(fd);
    } catch {
      // Already closed with its cgroup.
    }
  }
}
