// Live mode keeps the recent points of each series: each refresh's frames are merged into the ones already shown.
import { Column, ColumnFrame, ColumnValue } from './frame';

/** How much of a series live mode keeps. */
export interface KeepPolicy {
  /** At most this many points per frame (the newest). */
  maxPoints?: number;
  /** Only points no older than this many ms before the frame's newest point. */
  keepMs?: number;
}

/**
 * Merges `next` frames into `previous` ones by frame name: times are united and sorted, a time present in both takes
 * the newer values, and old points are dropped by `keep`. A frame only in `previous` is kept (trimmed); the notices
 * are always the newest.
 */
export function mergeSeries(
  previous: readonly ColumnFrame[],
  next: readonly ColumnFrame[],
  keep: KeepPolicy
): ColumnFrame[] {
  const previousByName = new Map<string, ColumnFrame>();
  for (const frame of previous) {
    if (frame.name !== undefined && frame.fields.length > 0) {
      previousByName.set(frame.name, frame);
    }
  }

  const merged: ColumnFrame[] = [];
  const seen = new Set<string>();
  for (const frame of next) {
    const old = frame.name !== undefined ? previousByName.get(frame.name) : undefined;
    if (frame.name !== undefined) {
      seen.add(frame.name);
    }
    merged.push(old ? trim(mergeFrame(old, frame), keep) : trim(frame, keep));
  }
  for (const frame of previous) {
    if (frame.name !== undefined && !seen.has(frame.name) && frame.fields.length > 0) {
      merged.push(trim({ ...frame, notices: [] }, keep));
    }
  }
  return merged;
}

function mergeFrame(old: ColumnFrame, fresh: ColumnFrame): ColumnFrame {
  if (fresh.fields.length === 0) {
    return { ...old, notices: fresh.notices };
  }

  // Union of field names, the time field first, in the order the newer frame lists them.
  const template = new Map<string, Column>();
  for (const field of [...fresh.fields, ...old.fields]) {
    if (!template.has(field.name)) {
      template.set(field.name, field);
    }
  }
  const timeName = fresh.fields[0].name;
  const rowsByTime = new Map<number, Map<string, ColumnValue>>();
  for (const frame of [old, fresh]) {
    const times = frame.fields[0].values;
    for (let i = 0; i < times.length; i++) {
      const time = times[i];
      if (typeof time !== 'number') {
        continue;
      }
      const row = new Map<string, ColumnValue>();
      for (const field of frame.fields) {
        row.set(field.name, field.values[i] ?? null);
      }
      rowsByTime.set(time, row);
    }
  }

  const times = [...rowsByTime.keys()].sort((a, b) => a - b);
  const fields: Column[] = [];
  for (const [name, field] of template) {
    const values = times.map((time) => (name === timeName ? time : (rowsByTime.get(time)!.get(name) ?? null)));
    fields.push({ ...field, values });
  }
  const timeIndex = fields.findIndex((f) => f.name === timeName);
  if (timeIndex > 0) {
    fields.unshift(...fields.splice(timeIndex, 1));
  }
  return { ...fresh, fields };
}

function trim(frame: ColumnFrame, keep: KeepPolicy): ColumnFrame {
  if (frame.fields.length === 0) {
    return frame;
  }
  const times = frame.fields[0].values;
  const length = times.length;
  let start = 0;
  if (keep.keepMs !== undefined && length > 0) {
    const newest = times[length - 1];
    if (typeof newest === 'number') {
      while (start < length && typeof times[start] === 'number' && (times[start] as number) < newest - keep.keepMs) {
        start++;
      }
    }
  }
  if (keep.maxPoints !== undefined) {
    start = Math.max(start, length - Math.max(0, keep.maxPoints));
  }
  if (start === 0) {
    return frame;
  }
  return { ...frame, fields: frame.fields.map((field) => ({ ...field, values: field.values.slice(start) })) };
}
