import {
  createDataFrame,
  DataFrame,
  DataFrameType,
  FieldConfig,
  FieldType,
  MappingType,
  QueryResultMetaNotice,
} from '@grafana/data';

import { Column, ColumnFrame, ColumnType, Notice } from '../core';

const FIELD_TYPES: Record<ColumnType, FieldType> = {
  time: FieldType.time,
  number: FieldType.number,
  string: FieldType.string,
  boolean: FieldType.boolean,
};

/** Turns core's plain frame into a Grafana data frame: units and labels on fields, notices in `meta.notices`. */
export function toDataFrame(frame: ColumnFrame, refId?: string): DataFrame {
  return createDataFrame({
    name: frame.name,
    refId: refId ?? frame.refId,
    fields: frame.fields.map((column) => ({
      name: column.name,
      type: FIELD_TYPES[column.type],
      values: column.values,
      labels: column.labels,
      config: {
        ...(column.unit ? { unit: column.unit } : {}),
        ...(column.displayName ? { displayNameFromDS: column.displayName } : {}),
        ...(column.description ? { description: column.description } : {}),
        ...(column.emphasize ? emphasisConfig(column.emphasize) : {}),
      },
    })),
    meta: {
      ...(frame.meta?.type ? { type: frame.meta.type as DataFrameType } : {}),
      ...(frame.meta?.typeVersion ? { typeVersion: frame.meta.typeVersion } : {}),
      ...(frame.notices.length > 0 ? { notices: toNotices(frame.notices) } : {}),
    },
  });
}

/** Values that must stand out become value mappings with a colour, shown as coloured text in tables. */
function emphasisConfig(emphasize: NonNullable<Column['emphasize']>): FieldConfig {
  const options: Record<string, { color: string; index: number }> = {};
  Object.entries(emphasize).forEach(([value, color], index) => {
    options[value] = { color, index };
  });
  return {
    mappings: [{ type: MappingType.ValueToText, options }],
    custom: { cellOptions: { type: 'color-text' } },
  };
}

/** Core notices as Grafana query notices, without repeating the same text twice. */
export function toNotices(notices: readonly Notice[]): QueryResultMetaNotice[] {
  const seen = new Set<string>();
  const result: QueryResultMetaNotice[] = [];
  for (const n of notices) {
    const key = `${n.severity}\u0000${n.text}`;
    if (!seen.has(key)) {
      seen.add(key);
      result.push({ severity: n.severity, text: n.text });
    }
  }
  return result;
}

/** An empty frame that carries only a notice (a query type not available yet, a query that read nothing). */
export function noticeFrame(refId: string, severity: Notice['severity'], text: string): DataFrame {
  return createDataFrame({ refId, fields: [], meta: { notices: [{ severity, text }] } });
}
