import pino from 'pino';

/** Where the replay tools report lifecycle and degraded input. */
export interface ReplayLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Structured JSON lines on stderr, so stdout stays free for the tools' own output. */
export function stderrLog(level: 'info' | 'warn' | 'silent' = 'info'): ReplayLog {
  const logger = pino({ name: 'replay', level }, pino.destination({ fd: 2, sync: true }));
  return {
    info: (message, fields) => logger.info(fields ?? {}, message),
    warn: (message, fields) => logger.warn(fields ?? {}, message),
    error: (message, fields) => logger.error(fields ?? {}, message),
  };
}

/** A log that keeps its lines, for tests that check what was reported. */
export function memoryLog(): ReplayLog & { lines: Array<{ level: string; message: string }> } {
  const lines: Array<{ level: string; message: string }> = [];
  return {
    lines,
    info: (message) => lines.push({ level: 'info', message }),
    warn: (message) => lines.push({ level: 'warn', message }),
    error: (message) => lines.push({ level: 'error', message }),
  };
}
