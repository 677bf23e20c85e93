/**
 * Finds pod and container cgroups under a cgroup root (node scope), for both cgroup drivers and the common runtimes:
 *
 * - systemd driver: `kubepods.slice/kubepods-<qos>.slice/kubepods-<qos>-pod<UID with _>.slice/<runtime>-<id>.scope`,
 *   guaranteed pods directly under `kubepods.slice/kubepods-pod<UID>.slice`; runtimes `cri-containerd-`, `crio-`,
 *   `docker-`. (kind and other nested kubelets prefix the slices, as in `kubelet-kubepods.slice`.)
 * - cgroupfs driver: `kubepods/<qos>/pod<UID>/<id>`, guaranteed pods at `kubepods/pod<UID>/<id>`.
 *
 * cgroup v2 keeps everything under the root (recognised by `cgroup.controllers` there); v1 under `<root>/memory`.
 * CRI-O's `crio-conmon-<id>.scope` holds its monitor process, not a container, and is left out. A pod's sandbox (pause)
 * cgroup cannot be told from a container by its name, so it is kept; the identity lookup can drop it.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { CgroupVersion } from '../cgroup/memory-stat';

export type QosClass = 'guaranteed' | 'burstable' | 'besteffort';

export interface PodCgroup {
  /** Absolute directory of the container cgroup. */
  dir: string;
  /** Relative to the cgroup root. */
  cgroupPath: string;
  version: CgroupVersion;
  podUid: string;
  containerId: string;
  qos: QosClass;
  runtime: 'containerd' | 'crio' | 'docker' | null;
}

export interface MemoryHierarchy {
  version: CgroupVersion;
  /** Directory that holds the memory controller's tree. */
  dir: string;
}

/** Finds where the memory controller lives: the root itself on v2 (it has `cgroup.controllers`), `memory/` on v1. */
export function findMemoryHierarchy(cgroupRoot: string): MemoryHierarchy | null {
  if (fs.existsSync(path.join(cgroupRoot, 'cgroup.controllers'))) {
    return { version: 2, dir: cgroupRoot };
  }
  const v1 = path.join(cgroupRoot, 'memory');
  if (fs.existsSync(path.join(v1, 'memory.usage_in_bytes')) || fs.existsSync(path.join(v1, 'memory.stat'))) {
    return { version: 1, dir: v1 };
  }
  return null;
}

/** Reads a pod directory name: `pod<UID>` (cgroupfs) or `...pod<UID_with_underscores>.slice` (systemd). */
export function parsePodDirName(name: string): { podUid: string } | null {
  const match = /^pod([0-9a-f-]{36})$/.exec(name) ?? /^(?:[a-z_-]*-)?pod([0-9a-f_]{36})\.slice$/.exec(name);
  return match ? { podUid: match[1].replace(/_/g, '-') } : null;
}

/** Reads a QoS directory name: `burstable` / `besteffort` (cgroupfs) or `...-burstable.slice` (systemd). */
export function parseQosDirName(name: string): QosClass | null {
  const match = /^(?:[a-z_-]*-)?(burstable|besteffort)(?:\.slice)?$/.exec(name);
  return match ? (match[1] as QosClass) : null;
}

/**
 * Reads a container directory name: `<runtime>-<id>.scope` (systemd) or a bare 64-hex id (cgroupfs). Returns null for
 * cgroups that are not containers (CRI-O's conmon); an unknown name is kept as its own id.
 */
export function parseContainerDirName(name: string): { containerId: string; runtime: PodCgroup['runtime'] } | null {
  if (name.startsWith('crio-conmon-')) {
    return null;
  }
  const scope = /^(cri-containerd|crio|docker)-([0-9a-f]+)\.scope$/.exec(name);
  if (scope) {
    const runtime = scope[1] === 'cri-containerd' ? 'containerd' : (scope[1] as 'crio' | 'docker');
    return { containerId: scope[2], runtime };
  }
  return { containerId: name.replace(/\.scope$/, ''), runtime: null };
}

/** Finds every container cgroup of every pod under the root. Unreadable directories are skipped with a notice. */
export function discoverPodCgroups(cgroupRoot: string): { cgroups: PodCgroup[]; notices: string[] } {
  const notices: string[] = [];
  const hierarchy = findMemoryHierarchy(cgroupRoot);
  if (!hierarchy) {
    return { cgroups: [], notices: [`no cgroup memory controller found under ${cgroupRoot}`] };
  }

  const kubepods = findKubepods(hierarchy.dir, 3, notices);
  if (kubepods.length === 0) {
    notices.push(`no kubepods cgroup under ${hierarchy.dir}`);
  }

  const cgroups: PodCgroup[] = [];
  const addPod = (podDir: string, podUid: string, qos: QosClass) => {
    for (const name of subdirectories(podDir, notices)) {
      const container = parseContainerDirName(name);
      if (!container) {
        continue;
      }
      const dir = path.join(podDir, name);
      cgroups.push({
        dir,
        cgroupPath: path.relative(cgroupRoot, dir),
        version: hierarchy.version,
        podUid,
        qos,
        ...container,
      });
    }
  };

  for (const root of kubepods) {
    for (const name of subdirectories(root, notices)) {
      const pod = parsePodDirName(name);
      if (pod) {
        addPod(path.join(root, name), pod.podUid, 'guaranteed');
        continue;
      }
      const qos = parseQosDirName(name);
      if (!qos) {
        continue;
      }
      const qosDir = path.join(root, name);
      for (const podName of subdirectories(qosDir, notices)) {
        const qosPod = parsePodDirName(podName);
        if (qosPod) {
          addPod(path.join(qosDir, podName), qosPod.podUid, qos);
        }
      }
    }
  }
  return { cgroups, notices };
}

/** Directories named like the kubelet's top cgroup (`kubepods`, `kubepods.slice`, `kubelet-kubepods.slice`). */
function findKubepods(dir: string, depth: number, notices: string[]): string[] {
  const found: string[] = [];
  for (const name of subdirectories(dir, notices)) {
    if (/^(?:[a-z_-]*-)?kubepods(?:\.slice)?$/.test(name)) {
      found.push(path.join(dir, name));
    } else if (depth > 1 && !name.includes('-pod') && !name.endsWith('.scope')) {
      found.push(...findKubepods(path.join(dir, name), depth - 1, notices));
    }
  }
  return found;
}

function subdirectories(dir: string, notices: string[]): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    if (code !== 'ENOENT') {
      notices.push(`cannot list ${dir} (${code})`);
    }
    return [];
  }
}
