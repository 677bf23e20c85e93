/**
 * Working set, the kubelet's figure: usage − inactive file, clamped at 0 (cAdvisor computes it this way from
 * `inactive_file` on v2 and `total_inactive_file` on v1, and the kubelet evicts on it).
 */
export function workingSetBytes(usageBytes: number | null, inactiveFileBytes: number | null): number | null {
  if (usageBytes === null || inactiveFileBytes === null) {
    return null;
  }
  return Math.max(0, usageBytes - inactiveFileBytes);
}
