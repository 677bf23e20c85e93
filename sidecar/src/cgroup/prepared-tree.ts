/**
 * Prepared cgroup trees for tests: directories under the system temp folder holding the files a kernel would show,
 * with chosen contents. Real cgroup v2 is not always at hand; the readers only see files, so these stand in for it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;

/** The value v1 writes for "no limit" on 4 KiB pages. */
export const V1_UNLIMITED = '9223372036854771712';

/** A fresh empty directory under the system temp folder. */
export function preparedRoot(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'headroom-cgroup-'));
}

/** Creates (or updates) a cgroup directory with the given files and returns its path. */
export function writeCgroup(dir: string, files: Record<string, string | number>): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), typeof content === 'number' ? `${content}\n` : content);
  }
  return dir;
}

/** `memory.stat`-style text from key/value pairs. */
export function statText(values: Record<string, number>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key} ${Math.round(value)}\n`)
    .join('');
}

export interface V2Cgroup {
  current: number;
  max: number | 'max';
  high?: number | 'max';
  /** Omit to model a kernel before 5.19. */
  peak?: number;
  stat: Record<string, number>;
  events?: Partial<Record<'low' | 'high' | 'max' | 'oom' | 'oom_kill', number>>;
  threads?: number;
  pressure?: string;
}

/** Files of a cgroup v2 directory. */
export function v2Files(cgroup: V2Cgroup): Record<string, string> {
  const events = { low: 0, high: 0, max: 0, oom: 0, oom_kill: 0, ...cgroup.events };
  const files: Record<string, string> = {
    'memory.current': `${cgroup.current}\n`,
    'memory.max': `${cgroup.max}\n`,
    'memory.high': `${cgroup.high ?? 'max'}\n`,
    'memory.stat': statText(cgroup.stat),
    'memory.events': statText(events),
    'cgroup.threads': threadLines(cgroup.threads ?? 1),
    'memory.pressure':
      cgroup.pressure ??
      'some avg10=0.00 avg60=0.00 avg300=0.00 total=0\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n',
  };
  if (cgroup.peak !== undefined) {
    files['memory.peak'] = `${cgroup.peak}\n`;
  }
  return files;
}

export interface V1Cgroup {
  usage: number;
  limit: number | 'unlimited';
  maxUsage: number;
  /** Keys without the `total_` prefix; both forms are written, as the kernel does. */
  stat: Record<string, number>;
  failcnt?: number;
  oomKill?: number;
  kmem?: number;
  kmemTcp?: number;
  slabinfo?: string;
  tasks?: number;
}

/** Files of a cgroup v1 memory controller directory. */
export function v1Files(cgroup: V1Cgroup): Record<string, string> {
  const hierarchical = Object.fromEntries(Object.entries(cgroup.stat).map(([key, value]) => [`total_${key}`, value]));
  const files: Record<string, string> = {
    'memory.usage_in_bytes': `${cgroup.usage}\n`,
    'memory.limit_in_bytes': `${cgroup.limit === 'unlimited' ? V1_UNLIMITED : cgroup.limit}\n`,
    'memory.soft_limit_in_bytes': `${V1_UNLIMITED}\n`,
    'memory.max_usage_in_bytes': `${cgroup.maxUsage}\n`,
    'memory.stat': statText({ ...cgroup.stat, ...hierarchical }),
    'memory.failcnt': `${cgroup.failcnt ?? 0}\n`,
    'memory.oom_control': `oom_kill_disable 0\nunder_oom 0\noom_kill ${cgroup.oomKill ?? 0}\n`,
    'memory.kmem.usage_in_bytes': `${cgroup.kmem ?? 0}\n`,
    'memory.kmem.tcp.usage_in_bytes': `${cgroup.kmemTcp ?? 0}\n`,
    'memory.kmem.slabinfo': cgroup.slabinfo ?? '',
    tasks: threadLines(cgroup.tasks ?? 1),
  };
  return files;
}

function threadLines(count: number): string {
  return Array.from({ length: count }, (_, index) => `${1000 + index}\n`).join('');
}

/**
 * Creates a cgroup directory whose files are hard links to a template's: cheap for trees of thousands of cgroups.
 * A write to one linked file shows in all of them.
 */
export function linkCgroup(templateDir: string, dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const name of fs.readdirSync(templateDir)) {
    fs.linkSync(path.join(templateDir, name), path.join(dir, name));
  }
  return dir;
}
