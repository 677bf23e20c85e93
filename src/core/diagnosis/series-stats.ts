/** Small statistics over memory series, shared by the detectors and the sizing. */
import { ByteSample } from './types';

/** Largest value, or null for an empty list. */
export function maxOf(values: readonly number[]): number | null {
  let max: number | null = null;
  for (const v of values) {
    if (max === null || v > max) {
      max = v;
    }
  }
  return max;
}

/** Arithmetic mean, or null for an empty list. */
export function meanOf(values: readonly number[]): number | null {
  if (values.length === 0) {
    return null;
  }
  let sum = 0;
  for (const v of values) {
    sum += v;
  }
  return sum / values.length;
}

/** The q-quantile (0–1) by linear interpolation between closest ranks, or null for an empty list. */
export function quantileOf(values: readonly number[], q: number): number | null {
  if (values.length === 0) {
    return null;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const rank = q * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

export interface LinearFit {
  /** Bytes per millisecond. */
  slope: number;
  /** Coefficient of determination, 0–1 (1 for a perfect line). */
  r2: number;
  spanMs: number;
}

/** Least-squares line through a series; null when it has fewer than 3 points or no time span. */
export function linearFit(samples: readonly ByteSample[]): LinearFit | null {
  if (samples.length < 3) {
    return null;
  }
  const t0 = samples[0].timeMs;
  const n = samples.length;
  let sx = 0;
  let sy = 0;
  for (const s of samples) {
    sx += s.timeMs - t0;
    sy += s.bytes;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const s of samples) {
    const dx = s.timeMs - t0 - mx;
    const dy = s.bytes - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) {
    return null;
  }
  const slope = sxy / sxx;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { slope, r2, spanMs: samples[n - 1].timeMs - t0 };
}

/**
 * Share of the total rise that comes from the largest fifth of the rises between consecutive samples.
 * Near 1 the series climbs in steps (an allocator keeping what a burst took); near 0.2 it climbs evenly.
 */
export function stepShare(samples: readonly ByteSample[]): number | null {
  const rises: number[] = [];
  for (let i = 1; i < samples.length; i++) {
    const d = samples[i].bytes - samples[i - 1].bytes;
    if (d > 0) {
      rises.push(d);
    }
  }
  if (rises.length === 0 || samples.length < 5) {
    return null;
  }
  rises.sort((a, b) => b - a);
  const total = rises.reduce((a, b) => a + b, 0);
  const top = Math.max(1, Math.ceil((samples.length - 1) / 5));
  let topSum = 0;
  for (let i = 0; i < Math.min(top, rises.length); i++) {
    topSum += rises[i];
  }
  return topSum / total;
}
