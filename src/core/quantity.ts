// Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource): a signed decimal number followed by a binary
// suffix (Ki Mi Gi Ti Pi Ei), a decimal suffix (n u m "" k M G T P E) or a decimal exponent (e3, E6).
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

const MULTIPLIERS: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/**
 * Parses a Kubernetes memory quantity (`170Mi`, `1Gi`, `128974848`, `1e3`, `500M`, `0.5Gi`) to bytes.
 * Fractional bytes round up, as the API server does for memory. Anything else, including a negative
 * quantity, is null.
 */
export function parseQuantityBytes(input: unknown): number | null {
  if (typeof input === 'number') {
    // `+ 0` turns -0 into 0.
    return Number.isFinite(input) && input >= 0 ? Math.ceil(input) + 0 : null;
  }
  if (typeof input !== 'string') {
    return null;
  }

  const match = QUANTITY.exec(input.trim());
  if (!match) {
    return null;
  }

  const mantissa = Number(match[1]);
  const suffix = match[2] ?? '';
  const multiplier = suffix === '' ? 1 : (MULTIPLIERS[suffix] ?? 10 ** Number(suffix.slice(1)));

  const bytes = mantissa * multiplier;
  if (!Number.isFinite(bytes) || bytes < 0) {
    return null;
  }

  // 1.1Mi is 1153433.6 bytes: round up, as the API server does, but forgive float noise (0.1 * 3 ...). A positive
  // fraction of a byte (`100n`) is still 1 byte, never a limit of 0.
  const rounded = Math.round(bytes);
  const result = Math.abs(bytes - rounded) < 1e-6 * Math.max(1, bytes) ? rounded : Math.ceil(bytes);
  return bytes > 0 ? Math.max(1, result) : 0;
}
