/**
 * The Containers frame as an aligned text table for a terminal: sizes in MiB, the working set and the sidecar's true
 * peak as shares of the limit, a missing value as `-`. Each row's notes are numbered once and listed below the table,
 * so a note shared by many rows (no limit in the spec) is read once; the frame's notices follow.
 */

/** The parts of a Grafana data frame the text table reads (a `DataFrame` or its JSON form both fit). */
export interface FrameLike {
  name?: string;
  fields: Array<{ name: string; values: ArrayLike<unknown> | unknown[] }>;
  meta?: { notices?: Array<{ severity?: string; text: string }> };
}

const MiB = 2 ** 20;

const COLUMNS: Array<{
  header: string;
  field: string;
  format: (value: unknown, row: RowReader) => string;
  right?: boolean;
}> = [
  { header: 'NAMESPACE', field: 'namespace', format: text },
  { header: 'POD', field: 'pod', format: text },
  { header: 'CONTAINER', field: 'container', format: text },
  { header: 'NODE', field: 'node', format: text },
  { header: 'LIMIT MiB', field: 'limit', format: limit, right: true },
  { header: 'WORKING SET MiB', field: 'workingSet', format: mebibytes, right: true },
  { header: 'USAGE MiB', field: 'usage', format: mebibytes, right: true },
  { header: 'HEADROOM MiB', field: 'headroom', format: mebibytes, right: true },
  { header: 'WS/LIMIT', field: 'workingSetToLimit', format: percent, right: true },
  { header: 'PEAK MiB', field: 'peak', format: mebibytes, right: true },
  { header: 'PEAK/LIMIT', field: 'peakToLimit', format: percent, right: true },
  { header: 'LIMIT SOURCE', field: 'limitSource', format: text },
  { header: 'NOTES', field: 'notes', format: text },
];

/** Row notes as the containers table joins them. */
const NOTE_SEPARATOR = '; ';

type RowReader = (field: string) => unknown;

/** Renders the containers frame(s) of a query response: one table per frame, then every notice once. */
export function containersText(frames: FrameLike[]): string {
  const lines: string[] = [];
  const notices: string[] = [];
  const notes: string[] = [];
  const noteRefs = (value: unknown): string => {
    if (typeof value !== 'string' || value === '') {
      return '-';
    }
    const refs = value.split(NOTE_SEPARATOR).map((note) => {
      let index = notes.indexOf(note);
      if (index < 0) {
        index = notes.push(note) - 1;
      }
      return index + 1;
    });
    return `[${refs.join(',')}]`;
  };

  for (const frame of frames) {
    const byName = new Map(frame.fields.map((field) => [field.name, field.values]));
    const rowCount = frame.fields.length === 0 ? 0 : frame.fields[0].values.length;
    if (byName.has('container')) {
      const rows: string[][] = [];
      for (let i = 0; i < rowCount; i++) {
        const read: RowReader = (field) => byName.get(field)?.[i] ?? null;
        rows.push(
          COLUMNS.map((column) =>
            column.field === 'notes' ? noteRefs(read('notes')) : column.format(read(column.field), read)
          )
        );
      }
      lines.push(...alignedTable(rows), '');
    }
    for (const notice of frame.meta?.notices ?? []) {
      const line = `[${notice.severity ?? 'info'}] ${notice.text}`;
      if (!notices.includes(line)) {
        notices.push(line);
      }
    }
  }

  if (notes.length > 0) {
    lines.push('Notes:', ...notes.map((note, i) => `  [${i + 1}] ${note}`), '');
  }
  if (notices.length > 0) {
    lines.push('Notices:', ...notices.map((notice) => `  ${notice}`));
  }
  return lines.join('\n').replace(/\n+$/, '') + '\n';
}

function alignedTable(rows: string[][]): string[] {
  const headers = COLUMNS.map((column) => column.header);
  const widths = headers.map((header, c) => Math.max(header.length, ...rows.map((row) => row[c].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (COLUMNS[c].right ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  const body = rows.length > 0 ? rows.map(line) : ['(no containers)'];
  return [line(headers), ...body];
}

function text(value: unknown): string {
  return value === null || value === undefined || value === '' ? '-' : String(value);
}

function mebibytes(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? (value / MiB).toFixed(1) : '-';
}

/** A missing limit says why: `unlimited` (no limit set) or `unknown` (not readable). */
function limit(value: unknown, row: RowReader): string {
  if (typeof value === 'number') {
    return mebibytes(value);
  }
  const source = row('limitSource');
  return source === 'unlimited' || source === 'unknown' ? String(source) : '-';
}

function percent(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? `${(value * 100).toFixed(1)}%` : '-';
}
