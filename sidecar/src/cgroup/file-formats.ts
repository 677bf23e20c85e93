/**
 * The formats of cgroup interface files (single value, flat keyed, nested keyed), parsed from their text.
 * Pure: callers read the files and pass the strings in.
 */
import type { MemoryPressure } from '../../../src/core/sidecar-api';

/**
 * cgroup v1 writes "unlimited" as the largest page-rounded counter (9223372036854771712 on 4 KiB pages, a little less
 * on bigger pages). Anything at or above 2^62 bytes is no real limit.
 */
export const V1_UNLIMITED_THRESHOLD_BYTES = 2 ** 62;

/** A parsed value, or the reason there is none. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Parses a file holding one non-negative integer (`memory.current`, `memory.failcnt`). */
export function parseSingleValue(text: string): Parsed<number> {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) {
    return { ok: false, reason: `expected a whole number, got ${JSON.stringify(trimmed.slice(0, 40))}` };
  }
  return { ok: true, value: Number(trimmed) };
}

/**
 * Parses a limit file. v2 writes `max` for none; v1 writes a huge page-rounded number. Both become `null` (unlimited).
 */
export function parseLimit(text: string): Parsed<number | null> {
  if (text.trim() === 'max') {
    return { ok: true, value: null };
  }
  const parsed = parseSingleValue(text);
  if (!parsed.ok) {
    return parsed;
  }
  return { ok: true, value: parsed.value >= V1_UNLIMITED_THRESHOLD_BYTES ? null : parsed.value };
}

/** Parses PSI (`memory.pressure`): `some avg10=.. avg60=.. avg300=.. total=..` and the same for `full`. */
export function parsePressure(text: string): Parsed<MemoryPressure> {
  const lines = new Map<string, Map<string, number>>();
  for (const line of text.split('\n')) {
    const [kind, ...fields] = line.trim().split(/\s+/);
    if (kind !== 'some' && kind !== 'full') {
      continue;
    }
    const values = new Map<string, number>();
    for (const field of fields) {
      const [key, value] = field.split('=');
      const number = Number(value);
      if (key && value !== undefined && Number.isFinite(number)) {
        values.set(key, number);
      }
    }
    lines.set(kind, values);
  }

  const read = (kind: string, key: string) => lines.get(kind)?.get(key);
  const fields = {
    someAvg10: read('some', 'avg10'),
    someAvg60: read('some', 'avg60'),
    someAvg300: read('some', 'avg300'),
    fullAvg10: read('full', 'avg10'),
    fullAvg60: read('full', 'avg60'),
    fullAvg300: read('full', 'avg300'),
  };
  const missing = Object.entries(fields)
    .filter(([, value]) => value === undefined)
    .map(([key]) => key);
  if (missing.length > 0) {
    return { ok: false, reason: `pressure lacks ${missing.join(', ')}` };
  }
  return { ok: true, value: fields as MemoryPressure };
}

/** Counts the non-empty lines of `cgroup.threads` (v2) or `tasks` (v1): one thread id per line. */
export function countLines(text: string): number {
  let count = 0;
  for (const line of text.split('\n')) {
    if (line.trim() !== '') {
      count++;
    }
  }
  return count;
}
