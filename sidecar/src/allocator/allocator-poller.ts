import type { Logger } from 'pino';
import type { AllocatorStats } from '../../../src/core/sidecar-api';
import { parseAllocatorStats } from './allocator-stats';

export interface AllocatorPollerOptions {
  url: string;
  log: Logger;
  /** How often the app is asked. */
  intervalMs?: number;
  /** How long one request may take. */
  timeoutMs?: number;
  /** Figures older than this are dropped rather than shown as current. */
  maxAgeMs?: number;
  now?: () => number;
  fetch?: typeof fetch;
}

/**
 * Polls an app's allocator stats endpoint every few seconds. A failed poll makes the figures unknown (null) and is
 * logged once until a poll succeeds again.
 */
export class AllocatorPoller {
  private stats: AllocatorStats | null = null;
  private lastError: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: AllocatorPollerOptions) {
    this.intervalMs = options.intervalMs ?? 5000;
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.maxAgeMs = options.maxAgeMs ?? 3 * this.intervalMs;
    this.now = options.now ?? Date.now;
    this.fetch = options.fetch ?? fetch;
  }

  /** The latest figures, or null when the last poll failed or they are stale. */
  current(): AllocatorStats | null {
    if (this.stats === null || this.now() - this.stats.timeMs > this.maxAgeMs) {
      return null;
    }
    return this.stats;
  }

  /** Why the figures are missing, for the container's notices; null while they are fine. */
  notice(): string | null {
    return this.lastError === null ? null : `allocator stats from ${this.options.url} unavailable: ${this.lastError}`;
  }

  /** Polls now and then every interval until `stop()`. */
  start(): void {
    if (this.timer !== null) {
      return;
    }
    void this.poll();
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  /** One poll; never throws. */
  async poll(): Promise<void> {
    try {
      const response = await this.fetch(this.options.url, {
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: { accept: 'application/json' },
      });
      if (!response.ok) {
        throw new Error(`HTTP ${response.status}`);
      }
      this.stats = parseAllocatorStats(await response.json(), this.now());
      if (this.lastError !== null) {
        this.options.log.info({ url: this.options.url }, 'allocator stats available again');
      }
      this.lastError = null;
    } catch (error) {
      const message = describe(error, this.timeoutMs);
      if (this.lastError === null) {
        this.options.log.warn({ url: this.options.url, reason: message }, 'allocator stats unavailable');
      }
      this.stats = null;
      this.lastError = message;
    }
  }
}

function describe(error: unknown, timeoutMs: number): string {
  // The abort reason is a DOMException, which is not an `Error` in every realm: look at its name only.
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return `no answer within ${timeoutMs} ms`;
  }
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: { code?: string } }).cause;
    return cause?.code ? `${error.message} (${cause.code})` : error.message;
  }
  return String(error);
}
