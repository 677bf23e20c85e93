/** How serious a notice is; Grafana shows `error` and `warning` on the panel, `info` in the inspector. */
export type NoticeSeverity = 'info' | 'warning' | 'error';

/** Something the reader of a panel should know about the data: a value that is missing, degraded or odd. */
export interface Notice {
  severity: NoticeSeverity;
  text: string;
}

/** Builds a notice. */
export function notice(severity: NoticeSeverity, text: string): Notice {
  return { severity, text };
}
