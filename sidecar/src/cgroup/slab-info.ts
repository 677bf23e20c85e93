/**
 * Reclaimable slab on cgroup v1, from `memory.kmem.slabinfo` (the `/proc/slabinfo` format, version 2.1). Pure.
 *
 * v1 `memory.stat` has no slab lines. Kernels up to 5.8 list the cgroup's own slab caches in `memory.kmem.slabinfo`;
 * the caches the kernel creates with SLAB_RECLAIM_ACCOUNT (dentries, inodes, radix tree nodes, buffer heads, extent
 * status, `kmalloc-rcl-*`) are the ones reclaim shrinks, so their pages are what v2 calls `slab_reclaimable`.
 * Kernels from 5.9 on share slab pages between cgroups and leave the file empty: the result is then `null`.
 */

const RECLAIMABLE_CACHE = [
  /^dentry$/,
  /inode_cache$/,
  /_inode$/,
  /^radix_tree_node$/,
  /^buffer_head$/,
  /^ext4_extent_status$/,
  /^mbcache$/,
  /^xfs_ili$/,
  /^kmalloc-rcl-/,
];

/** Whether a slab cache name belongs to a cache the kernel reclaims under pressure. */
export function isReclaimableSlabCache(name: string): boolean {
  const root = name.replace(/\(.*\)$/, '');
  return RECLAIMABLE_CACHE.some((pattern) => pattern.test(root));
}

/**
 * Bytes of reclaimable slab listed in a slabinfo text: num_slabs × pages_per_slab × page size over reclaimable caches.
 * Returns `null` when the text lists no cache at all (the kernel does not report per-cgroup slab).
 */
export function reclaimableSlabBytes(text: string, pageSizeBytes = 4096): number | null {
  let caches = 0;
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('slabinfo') || line.startsWith('#') || line.trim() === '') {
      continue;
    }
    // name active_objs num_objs objsize objperslab pagesperslab : tunables l b s : slabdata active_slabs num_slabs shared
    const fields = line.trim().split(/\s+/);
    const slabdata = fields.indexOf('slabdata');
    if (fields.length < 6 || slabdata < 0 || slabdata + 2 >= fields.length) {
      continue;
    }
    const pagesPerSlab = Number(fields[5]);
    const slabs = Number(fields[slabdata + 2]);
    if (!Number.isFinite(pagesPerSlab) || !Number.isFinite(slabs)) {
      continue;
    }
    caches++;
    if (isReclaimableSlabCache(fields[0])) {
      total += slabs * pagesPerSlab * pageSizeBytes;
    }
  }
  return caches === 0 ? null : total;
}
