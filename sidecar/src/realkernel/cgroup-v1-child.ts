/**
 * A throw-away child of this process's own cgroup v1 memory cgroup, for proving the sidecar on the real kernel:
 * create it with a limit, start a workload inside it before the workload allocates anything, read its files,
 * and remove it again (killing what is left and moving stray processes back to the parent first).
 *
 * Nothing here touches any cgroup but children this module created under the process's own memory cgroup.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where this process's own v1 memory cgroup lives. */
export interface OwnMemoryCgroup {
  /** Mount point of the v1 memory hierarchy, e.g. `/sys/fs/cgroup/memory`. */
  mountPoint: string;
  /** Path of the own cgroup inside that hierarchy, without a leading slash ('' for the root). */
  path: string;
}

const live = new Set<CgroupV1Child>();

/** Finds the own v1 memory cgroup from /proc/self/cgroup and /proc/self/mountinfo, or says why there is none. */
export function ownMemoryCgroup(): OwnMemoryCgroup | { reason: string } {
  let cgroupLines: string[];
  let mountLines: string[];
  try {
    cgroupLines = readFileSync('/proc/self/cgroup', 'utf8').split('\n');
    mountLines = readFileSync('/proc/self/mountinfo', 'utf8').split('\n');
  } catch (error) {
    return { reason: `cannot read /proc/self: ${(error as Error).message}` };
  }

  // A v1 line reads `4:memory:/some/path`; the controller list may hold several names (`4:cpu,memory:/x`).
  const memoryLine = cgroupLines.find((line) => line.split(':')[1]?.split(',').includes('memory'));
  if (!memoryLine) {
    return { reason: 'no cgroup v1 memory controller (this host uses cgroup v2 only)' };
  }
  const path = memoryLine.split(':').slice(2).join(':').replace(/^\/+/, '');

  // mountinfo: `... <mount point> <options> - cgroup <source> <super options with "memory">`.
  const mount = mountLines
    .map((line) => line.split(' - '))
    .filter(([, after]) => after?.startsWith('cgroup ') && after.split(' ')[2]?.split(',').includes('memory'))
    .map(([before]) => ({ root: before.split(' ')[3], mountPoint: before.split(' ')[4] }))
    .find(({ root }) => root === '/');
  if (!mount) {
    return { reason: 'the cgroup v1 memory hierarchy is not mounted with its root visible' };
  }
  return { mountPoint: mount.mountPoint, path };
}

/**
 * Why a child memory cgroup cannot be created here, or null when it can. Probes by creating and removing
 * an empty child, which is the only way to know (permissions, read-only mounts, delegation).
 */
export function realCgroupV1Unavailable(): string | null {
  const own = ownMemoryCgroup();
  if ('reason' in own) {
    return own.reason;
  }
  if (process.platform !== 'linux') {
    return `not Linux (${process.platform})`;
  }
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    return 'not running as root, so the memory cgroup cannot be written';
  }
  const probe = join(own.mountPoint, own.path, `headroom-probe-${process.pid}-${randomBytes(3).toString('hex')}`);
  try {
    mkdirSync(probe);
  } catch (error) {
    return `cannot create a child of the own memory cgroup: ${(error as Error).message}`;
  }
  try {
    if (!existsSync(join(probe, 'memory.limit_in_bytes')) || !existsSync(join(probe, 'memory.max_usage_in_bytes'))) {
      return 'the child memory cgroup has no memory.limit_in_bytes or memory.max_usage_in_bytes';
    }
    writeFileSync(join(probe, 'memory.limit_in_bytes'), String(64 * 1024 * 1024));
  } catch (error) {
    return `cannot set a limit on a child memory cgroup: ${(error as Error).message}`;
  } finally {
    rmdirSync(probe);
  }
  return null;
}

/** A child memory cgroup this process created; remove it with `remove()` (or `removeAllChildren()`). */
export class CgroupV1Child {
  /** Absolute directory of the child. */
  readonly dir: string;
  private readonly parentDir: string;

  private constructor(
    readonly mountPoint: string,
    /** Path of the child inside the memory hierarchy (no leading slash), what the Collector's targets take. */
    readonly path: string
  ) {
    this.dir = join(mountPoint, path);
    this.parentDir = join(this.dir, '..');
  }

  /** Creates a uniquely named child under the own memory cgroup and sets its hard limit. */
  static create(name: string, limitBytes: number | null): CgroupV1Child {
    const own = ownMemoryCgroup();
    if ('reason' in own) {
      throw new Error(own.reason);
    }
    const unique = `headroom-${name}-${process.pid}-${randomBytes(3).toString('hex')}`;
    const child = new CgroupV1Child(own.mountPoint, own.path ? `${own.path}/${unique}` : unique);
    mkdirSync(child.dir);
    live.add(child);
    if (limitBytes !== null) {
      child.write('memory.limit_in_bytes', String(limitBytes));
    }
    return child;
  }

  /** The raw text of one of the child's files. */
  read(file: string): string {
    return readFileSync(join(this.dir, file), 'utf8');
  }

  /** A file holding one integer (`memory.usage_in_bytes`, `memory.failcnt`). */
  readNumber(file: string): number {
    return Number(this.read(file).trim());
  }

  /** The `oom_kill` count of `memory.oom_control` (Linux 4.13+), or null when the kernel does not report it. */
  oomKillCount(): number | null {
    const line = this.read('memory.oom_control')
      .split('\n')
      .find((l) => l.startsWith('oom_kill '));
    return line ? Number(line.split(' ')[1]) : null;
  }

  write(file: string, value: string): void {
    writeFileSync(join(this.dir, file), value);
  }

  /** Processes in the child. */
  pids(): number[] {
    return this.read('cgroup.procs')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map(Number);
  }

  /**
   * Starts `command` inside the child: a shell writes its own pid to `cgroup.procs` and then execs the command,
   * so every page the command touches, its start-up included, is charged to the child.
   */
  spawn(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
    const script = 'echo $$ > "$1" || exit 97; shift; exec "$@"';
    return spawn('/bin/sh', ['-c', script, 'sh', join(this.dir, 'cgroup.procs'), command, ...args], options);
  }

  /**
   * Kills what runs in the child, moves any process that will not die back to the parent, and removes the child.
   * Safe to call twice.
   */
  async remove(): Promise<void> {
    if (!existsSync(this.dir)) {
      live.delete(this);
      return;
    }
    for (let attempt = 0; attempt < 50; attempt++) {
      const pids = this.pids();
      if (pids.length === 0) {
        break;
      }
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      await delay(20);
    }
    for (const pid of this.pids()) {
      try {
        writeFileSync(join(this.parentDir, 'cgroup.procs'), String(pid));
      } catch {
        // Exited meanwhile.
      }
    }

    // rmdir fails with EBUSY for a moment after the last process exits; the kernel finishes the exit first.
    let lastError: unknown = null;
    for (let attempt = 0; attempt < 100; attempt++) {
      try {
        rmdirSync(this.dir);
        live.delete(this);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          live.delete(this);
          return;
        }
        lastError = error;
        await delay(20);
      }
    }
    throw new Error(`could not remove ${this.path}: ${(lastError as Error).message}`);
  }
}

/** Removes every child this process created and has not removed yet (for afterAll and exit paths). */
export async function removeAllChildren(): Promise<void> {
  const errors: string[] = [];
  for (const child of [...live]) {
    try {
      await child.remove();
    } catch (error) {
      errors.push((error as Error).message);
    }
  }
  if (errors.length > 0) {
    throw new Error(errors.join('; '));
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
