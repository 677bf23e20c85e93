/** Parses an RFC 3339 timestamp (as the Kubernetes API writes them) to ms since the epoch; anything else is null. */
export function parseTimeMs(input: unknown): number | null {
  if (typeof input !== 'string' || input.length === 0) {
    return null;
  }
  // Kubernetes writes `2020-04-20T22:52:27Z`, sometimes with fractions or an offset; Date.parse also accepts bare dates
  // and other forms, so insist on a date and a time.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(input)) {
    return null;
  }
  const ms = Date.parse(input);
  return Number.isFinite(ms) ? ms : null;
}
