import { Notice } from './notice';

/** Grafana field types used by Headroom frames. */
export type ColumnType = 'time' | 'number' | 'string' | 'boolean';

/** One cell; `null` is a missing value and Grafana shows it as empty. */
export type ColumnValue = number | string | boolean | null;

/** A frame field in plain form; the adapter hands it to Grafana's `createDataFrame`. */
export interface Column {
  name: string;
  type: ColumnType;
  values: ColumnValue[];
  /** Grafana unit id: `bytes`, `percentunit`, `dateTimeAsIso`, ... */
  unit?: string;
  labels?: Record<string, string>;
  displayName?: string;
  description?: string;
  /** Values that must stand out, with their colour (an OOMKilled termination, a critical verdict). */
  emphasize?: Record<string, 'red' | 'orange' | 'green'>;
}

/** Data-plane frame type and version, as Grafana's `meta.type` / `meta.typeVersion`. */
export interface ColumnFrameMeta {
  type?: string;
  typeVersion?: [number, number];
}

/** A data frame in plain form, free of Grafana imports; notices become `meta.notices`. */
export interface ColumnFrame {
  name?: string;
  refId?: string;
  fields: Column[];
  notices: Notice[];
  meta?: ColumnFrameMeta;
}

/** Number of rows of a frame (the length of its first field). */
export function frameLength(frame: ColumnFrame): number {
  return frame.fields.length === 0 ? 0 : frame.fields[0].values.length;
}
