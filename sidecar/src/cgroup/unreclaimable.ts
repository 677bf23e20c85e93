/**
 * Memory the kernel cannot reclaim before it OOM-kills: the part of usage that reclaim will not free.
 *
 * cgroup v2 (Documentation/admin-guide/cgroup-v2.rst, `memory.stat`): usage is charged from `anon`, `file`, `kernel`
 * and `sock`. Reclaim frees page cache (`file`) and reclaimable slab (`slab_reclaimable`, dentries and inodes, part of
 * `kernel`), so
 *   unreclaimable = anon + sock + kernel − slab_reclaimable.
 * Kernels before 5.18 have no `kernel` line; it is then the sum of its parts that cannot be reclaimed:
 *   unreclaimable = anon + sock + kernel_stack + pagetables + percpu + slab_unreclaimable.
 *
 * cgroup v1: `total_rss` is anon; kernel memory is `memory.kmem.usage_in_bytes`; socket buffers are charged to their own
 * `memory.kmem.tcp.*` counter, not to the memory limit, so they are left out:
 *   unreclaimable = total_rss + kmem − slab_reclaimable,
 * where slab_reclaimable comes from `memory.kmem.slabinfo` (see `slab-info.ts`). Kernels from 5.9 on leave that file
 * empty; the estimate then keeps all kernel memory and says it is an upper bound.
 *
 * Known gap: shmem (tmpfs, `emptyDir: {medium: Memory}`) cannot be reclaimed without swap either, but the kernel files
 * count it in `file`; it is reported in the breakdown and not added here, so a tmpfs-heavy container is under-estimated.
 */
import type { MemoryBreakdown } from '../../../src/core/sidecar-api';
import type { CgroupVersion } from './memory-stat';

export interface UnreclaimableEstimate {
  bytes: number | null;
  /** Why the estimate is missing or only a bound. */
  notice: string | null;
}

/** Estimates unreclaimable memory from a breakdown (see the module comment for the formulas and their source). */
export function estimateUnreclaimable(
  breakdown: MemoryBreakdown,
  version: CgroupVersion,
  percpuBytes: number | null = null
): UnreclaimableEstimate {
  const anon = breakdown.anonBytes;
  if (anon === null) {
    return { bytes: null, notice: 'unreclaimable memory unknown: memory.stat has no anon figure' };
  }

  if (version === 2) {
    const sock = breakdown.sockBytes ?? 0;
    if (breakdown.kernelBytes !== null) {
      const reclaimable = breakdown.slabReclaimableBytes ?? 0;
      return { bytes: Math.max(0, anon + sock + breakdown.kernelBytes - reclaimable), notice: null };
    }
    const parts = [
      breakdown.kernelStackBytes,
      breakdown.pageTablesBytes,
      percpuBytes,
      breakdown.slabUnreclaimableBytes,
    ];
    const known = parts.filter((part): part is number => part !== null);
    const notice = known.length < parts.length ? 'unreclaimable memory: some kernel memory lines are missing' : null;
    return { bytes: anon + sock + known.reduce((sum, part) => sum + part, 0), notice };
  }

  if (breakdown.kernelBytes === null) {
    return { bytes: anon, notice: 'unreclaimable memory counts anon only: kernel memory (memory.kmem) is unknown' };
  }
  if (breakdown.slabReclaimableBytes === null) {
    return {
      bytes: anon + breakdown.kernelBytes,
      notice: 'unreclaimable memory is an upper bound: this kernel does not split reclaimable slab on cgroup v1',
    };
  }
  return { bytes: Math.max(0, anon + breakdown.kernelBytes - breakdown.slabReclaimableBytes), notice: null };
}
