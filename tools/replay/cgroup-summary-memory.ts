/**
 * A container's memory as the kubelet's Summary API reports it, from the container's cgroup v1 files: usage is
 * `memory.usage_in_bytes`, the working set is usage − `total_inactive_file`, rss is `total_rss`, and available is
 * limit − working set, present only when the container has a limit (as the kubelet does).
 */
import { parseMemoryStat } from '../../sidecar/src/cgroup/memory-stat';
import { workingSetBytes } from '../../sidecar/src/cgroup/working-set';
import { SummaryMemory } from './summary-document';

/** The summary figures for one v1 cgroup; a figure the files do not give is left out, never written as 0. */
export function summaryMemoryFromCgroupV1(
  usageText: string,
  memoryStatText: string,
  limitBytes: number | null
): SummaryMemory {
  const usage = /^\d+$/.test(usageText.trim()) ? Number(usageText.trim()) : null;
  const { breakdown } = parseMemoryStat(memoryStatText, 1);
  const workingSet = workingSetBytes(usage, breakdown.inactiveFileBytes);

  const memory: SummaryMemory = {};
  if (usage !== null) {
    memory.usageBytes = usage;
  }
  if (workingSet !== null) {
    memory.workingSetBytes = workingSet;
    if (limitBytes !== null) {
      memory.availableBytes = Math.max(0, limitBytes - workingSet);
    }
  }
  if (breakdown.anonBytes !== null) {
    memory.rssBytes = breakdown.anonBytes;
  }
  return memory;
}
