// The memory arithmetic Headroom rests on. Every input may be missing (null), and a missing input gives a missing
// result, never 0: a container with no limit has no headroom to speak of, not zero headroom.

/** One mebibyte. */
export const MiB = 2 ** 20;

/** The kubelet's default hard eviction threshold on Linux: `memory.available < 100Mi`. */
export const DEFAULT_EVICTION_HARD_BYTES = 100 * MiB;

/** Inactive file (page cache the kernel drops first) = usage − working set, never below 0. */
export function inactiveFileBytes(usageBytes: number | null, workingSetBytes: number | null): number | null {
  if (usageBytes === null || workingSetBytes === null) {
    return null;
  }
  return Math.max(0, usageBytes - workingSetBytes);
}

/** Headroom = limit − working set; negative when the working set is above the limit. Null when unlimited or unknown. */
export function headroomBytes(limitBytes: number | null, workingSetBytes: number | null): number | null {
  if (limitBytes === null || workingSetBytes === null) {
    return null;
  }
  return limitBytes - workingSetBytes;
}

/** A value as a ratio of the limit (0–1, above 1 when over the limit). Null without a positive limit. */
export function ratioToLimit(valueBytes: number | null, limitBytes: number | null): number | null {
  if (valueBytes === null || limitBytes === null || limitBytes <= 0) {
    return null;
  }
  return valueBytes / limitBytes;
}

/**
 * The limit the kubelet implies: it reports `availableBytes = limit − working set` only for a container with a limit,
 * so the sum gives the limit back (coredns: 172007424 + 6250496 = 178257920 bytes = 170 MiB).
 */
export function limitFromAvailable(availableBytes: number | null, workingSetBytes: number | null): number | null {
  if (availableBytes === null || workingSetBytes === null) {
    return null;
  }
  return availableBytes + workingSetBytes;
}

/** Peak headroom = limit − peak: how close the highest charge came to the limit. */
export function peakHeadroomBytes(limitBytes: number | null, peakBytes: number | null): number | null {
  return headroomBytes(limitBytes, peakBytes);
}

/**
 * Distance to the node's hard eviction threshold: bytes of `memory.available` above it (negative once below, when the
 * kubelet is already evicting).
 */
export function evictionDistanceBytes(
  availableBytes: number | null,
  thresholdBytes: number = DEFAULT_EVICTION_HARD_BYTES
): number | null {
  if (availableBytes === null) {
    return null;
  }
  return availableBytes - thresholdBytes;
}
