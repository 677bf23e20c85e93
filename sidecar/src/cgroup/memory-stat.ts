/**
 * `memory.stat` in one vocabulary for cgroup v1 and v2. Pure: takes the file's text.
 *
 * v1 reports each counter twice, for the cgroup alone (`rss`) and with its descendants (`total_rss`); the hierarchical
 * `total_*` form is what the limit is charged against, so it wins when both are present.
 */
import { emptyMemoryBreakdown, type MemoryBreakdown } from '../../../src/core/sidecar-api';

export type CgroupVersion = 1 | 2;

export interface MemoryStat {
  breakdown: MemoryBreakdown;
  /** v2 `percpu`; counted in the unreclaimable estimate on kernels that have no `kernel` line. */
  percpuBytes: number | null;
  /** Lines that could not be read, said once per parse. */
  notices: string[];
}

type BreakdownKey = keyof MemoryBreakdown;

/** v2 key for each breakdown field. */
const V2_KEYS: Record<BreakdownKey, string> = {
  anonBytes: 'anon',
  fileBytes: 'file',
  activeFileBytes: 'active_file',
  inactiveFileBytes: 'inactive_file',
  shmemBytes: 'shmem',
  kernelBytes: 'kernel',
  kernelStackBytes: 'kernel_stack',
  pageTablesBytes: 'pagetables',
  sockBytes: 'sock',
  slabReclaimableBytes: 'slab_reclaimable',
  slabUnreclaimableBytes: 'slab_unreclaimable',
};

/**
 * v1 key for each breakdown field (without the `total_` prefix). v1 `rss` is anonymous memory without shmem and `cache`
 * is page cache with shmem, the same split as v2 `anon` and `file`. v1 `memory.stat` has no kernel lines: the v1
 * reader fills those from `memory.kmem.*` files.
 */
const V1_KEYS: Partial<Record<BreakdownKey, string>> = {
  anonBytes: 'rss',
  fileBytes: 'cache',
  activeFileBytes: 'active_file',
  inactiveFileBytes: 'inactive_file',
  shmemBytes: 'shmem',
};

/** Parses `memory.stat` text. Malformed lines are skipped with a notice; keys the kernel does not give stay `null`. */
export function parseMemoryStat(text: string, version: CgroupVersion): MemoryStat {
  const values = new Map<string, number>();
  const skipped: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      continue;
    }
    const match = /^([a-z_][a-z0-9_]*) (\d+)$/.exec(line.trim());
    if (!match) {
      skipped.push(line);
      continue;
    }
    values.set(match[1], Number(match[2]));
  }

  const breakdown = emptyMemoryBreakdown();
  if (version === 2) {
    for (const field of Object.keys(V2_KEYS) as BreakdownKey[]) {
      breakdown[field] = values.get(V2_KEYS[field]) ?? null;
    }
  } else {
    for (const [field, key] of Object.entries(V1_KEYS) as Array<[BreakdownKey, string]>) {
      breakdown[field] = values.get(`total_${key}`) ?? values.get(key) ?? null;
    }
  }

  const notices: string[] = [];
  if (skipped.length > 0) {
    const first = JSON.stringify(skipped[0].slice(0, 60));
    notices.push(`memory.stat: skipped ${skipped.length} malformed line(s), first ${first}`);
  }
  if (values.size === 0) {
    notices.push('memory.stat: no readable counters');
  }
  return { breakdown, percpuBytes: version === 2 ? (values.get('percpu') ?? null) : null, notices };
}
