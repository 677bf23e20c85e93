/** How long to keep asking, how often, and what to say when the time is up. */
export interface PollOptions {
  timeoutMs: number;
  intervalMs: number;
  /** The error message on timeout; called then, so it can describe the last state seen (and may ask for more). */
  describeTimeout: () => string | Promise<string>;
}

/**
 * Calls `probe` every `intervalMs` until it returns a value other than null and returns that value; throws what
 * `describeTimeout` says once `timeoutMs` has passed. An error thrown by `probe` ends the wait at once.
 */
export async function pollUntil<T>(probe: () => Promise<T | null> | T | null, options: PollOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) {
      return value;
    }
    if (Date.now() >= deadline) {
      throw new Error(await options.describeTimeout());
    }
    await new Promise((resolve) =>
      setTimeout(resolve, Math.min(options.intervalMs, Math.max(1, deadline - Date.now())))
    );
  }
}
