import type { PeakMethod, SidecarContainer } from '../../../src/core/sidecar-api';
import { EXACT_PEAK_METHODS } from '../../../src/core/sidecar-api';

/** The highest window peak over a trailing span, and whether every window that fed it was exact. */
export interface TrailingPeak {
  peakBytes: number;
  exact: boolean;
  method: PeakMethod;
}

/**
 * The maximum of the window peaks that end inside (sinceMs, nowMs], so a scrape every `nowMs - sinceMs` or faster
 * sees every spike. The window still filling counts too. Null when no window in the span has a peak.
 */
export function trailingPeak(container: SidecarContainer, sinceMs: number): TrailingPeak | null {
  let peakBytes: number | null = null;
  let exact = EXACT_PEAK_METHODS.includes(container.method);

  for (const window of container.windows) {
    if (window.endMs <= sinceMs || window.peakBytes === null) {
      continue;
    }
    exact = exact && window.peakExact;
    peakBytes = peakBytes === null ? window.peakBytes : Math.max(peakBytes, window.peakBytes);
  }

  return peakBytes === null ? null : { peakBytes, exact, method: container.method };
}
