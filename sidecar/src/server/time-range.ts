/** The span `/v1/containers` answers for when the request names none. */
export const DEFAULT_RANGE_MS = 5 * 60_000;

/** A request the server refuses, with the HTTP status and a message for the client. */
export class RequestError extends Error {
  constructor(
    readonly statusCode: number,
    message: string
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

/**
 * Reads `from` and `to` (milliseconds since the epoch) from a query string. Without `to` the range ends now;
 * without `from` it starts `DEFAULT_RANGE_MS` before its end.
 */
export function parseTimeRange(params: URLSearchParams, nowMs: number): { fromMs: number; toMs: number } {
  const toMs = readTime(params, 'to') ?? nowMs;
  const fromMs = readTime(params, 'from') ?? Math.max(0, toMs - DEFAULT_RANGE_MS);
  if (fromMs > toMs) {
    throw new RequestError(400, `from (${fromMs}) is after to (${toMs})`);
  }
  return { fromMs, toMs };
}

function readTime(params: URLSearchParams, name: string): number | null {
  const values = params.getAll(name);
  if (values.length === 0) {
    return null;
  }
  if (values.length > 1) {
    throw new RequestError(400, `${name} is given ${values.length} times; give it once`);
  }

  const text = values[0].trim();
  if (!/^\d{1,16}$/.test(text)) {
    throw new RequestError(400, `${name} must be milliseconds since the epoch (a whole number), got "${values[0]}"`);
  }
  const ms = Number(text);
  if (!Number.isSafeInteger(ms)) {
    // Past 2^53 the number read is not the number sent.
    throw new RequestError(400, `${name} (${text}) is past the largest exact time, ${Number.MAX_SAFE_INTEGER} ms`);
  }
  return ms;
}
