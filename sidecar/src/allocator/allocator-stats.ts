import type { AllocatorStats } from '../../../src/core/sidecar-api';

/**
 * Reads an app's allocator figures from JSON. Accepts `{allocated, resident, retained}`, jemalloc's mallctl names
 * (`{"stats.allocated": ...}`) and jemalloc's `malloc_stats_print` JSON (`{"jemalloc": {"stats": {...}}}`).
 * A figure that is absent is null; a body with none of them is an error.
 */
export function parseAllocatorStats(body: unknown, timeMs: number): AllocatorStats {
  const flat = flatten(body);
  const stats: AllocatorStats = {
    timeMs,
    allocatedBytes: pick(flat, 'allocated'),
    residentBytes: pick(flat, 'resident'),
    retainedBytes: pick(flat, 'retained'),
  };
  if (stats.allocatedBytes === null && stats.residentBytes === null && stats.retainedBytes === null) {
    throw new Error('the allocator stats have none of allocated, resident, retained');
  }
  return stats;
}

function flatten(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new Error('the allocator stats are not a JSON object');
  }
  const record = body as Record<string, unknown>;
  const nested = (value: unknown): Record<string, unknown> | null =>
    typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;

  const jemalloc = nested(record.jemalloc);
  const stats = nested(jemalloc?.stats) ?? nested(record.stats);
  return { ...record, ...(stats ?? {}) };
}

function pick(flat: Record<string, unknown>, name: string): number | null {
  const value = flat[name] ?? flat[`stats.${name}`];
  if (value === undefined || value === null) {
    return null;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error(`the allocator figure ${name} is not a byte count: ${JSON.stringify(value)}`);
  }
  return value;
}
