/** A closed time range in ms since the epoch, as a panel's `from`/`to`. */
export interface TimeRange {
  fromMs: number;
  toMs: number;
}

/** Whether `timeMs` lies inside the range (both ends included). */
export function inRange(timeMs: number, range: TimeRange): boolean {
  return timeMs >= range.fromMs && timeMs <= range.toMs;
}
