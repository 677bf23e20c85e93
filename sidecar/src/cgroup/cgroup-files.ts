/**
 * Reads the files of one cgroup directory. A missing or unreadable file gives `null` and one notice (reported once,
 * not every sample); a directory that has disappeared means the cgroup is gone and throws `CgroupGoneError`.
 */
import * as nodeFs from 'fs';
import * as path from 'path';

/** The part of `fs` the readers use, so tests can interpose on a read. */
export interface CgroupFs {
  readFileSync(file: string, encoding: 'utf8'): string;
  existsSync(file: string): boolean;
}

/** The cgroup directory no longer exists: its container stopped (a restart is a new cgroup). */
export class CgroupGoneError extends Error {
  constructor(readonly dir: string) {
    super(`cgroup removed: ${dir}`);
    this.name = 'CgroupGoneError';
  }
}

/** Error codes that mean the cgroup itself went away under an open read. */
const GONE_CODES = new Set(['ENOENT', 'ENODEV']);

export class CgroupFiles {
  /** Current problem per file name. */
  private readonly problems = new Map<string, string>();
  /** Every notice already reported, so each is reported once. */
  private readonly reported = new Set<string>();

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
    return this.fs.existsSync(this.pathOf(name));
  }

  /**
   * The text of a file, or `null` with a notice when it is missing or unreadable. `missingReason` replaces the generic
   * notice for a file whose absence has a known meaning.
   */
  read(name: string, missingReason?: string): string | null {
    try {
      const text = this.fs.readFileSync(this.pathOf(name), 'utf8');
      this.problems.delete(name);
      return text;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      if (GONE_CODES.has(code) && !this.exists()) {
        throw new CgroupGoneError(this.dir);
      }
      const notice =
        code === 'ENOENT' ? (missingReason ?? `${name} is missing`) : `${name} could not be read (${code})`;
      this.problem(name, notice);
      return null;
    }
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
    this.problems.delete(name);
  }

  /** Problems that hold now, one per file. */
  notices(): string[] {
    return [...this.problems.values()];
  }
}
