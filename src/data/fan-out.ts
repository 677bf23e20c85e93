export interface FanOutOptions<T> {
  /** At most this many targets are asked at once (at least 1). */
  concurrency: number;
  /** A target that has not answered after this long is a failure. */
  timeoutMs: number;
  /** How a target is named in failure notices, e.g. `node "n1"`. */
  nameOf: (target: T) => string;
}

export interface FanOutSuccess<T, R> {
  target: T;
  value: R;
}

export interface FanOutFailure<T> {
  target: T;
  name: string;
  reason: string;
}

export interface FanOutResult<T, R> {
  /** In the order of the targets. */
  successes: Array<FanOutSuccess<T, R>>;
  /** In the order of the targets. */
  failures: Array<FanOutFailure<T>>;
}

/**
 * Asks every target with bounded concurrency and a per-target timeout. Never rejects: each target either answers or
 * becomes a failure with its name and reason, so one slow or broken node leaves the others' answers intact.
 */
export async function fanOut<T, R>(
  targets: readonly T[],
  ask: (target: T) => Promise<R>,
  options: FanOutOptions<T>
): Promise<FanOutResult<T, R>> {
  const outcomes: Array<{ ok: true; value: R } | { ok: false; reason: string }> = new Array(targets.length);
  const workers = Math.max(1, Math.min(Math.floor(options.concurrency) || 1, targets.length));
  let next = 0;

  const work = async () => {
    while (next < targets.length) {
      const index = next++;
      try {
        outcomes[index] = { ok: true, value: await withTimeout(ask(targets[index]), options.timeoutMs) };
      } catch (error) {
        outcomes[index] = { ok: false, reason: error instanceof Error ? error.message : String(error) };
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, work));

  const result: FanOutResult<T, R> = { successes: [], failures: [] };
  outcomes.forEach((outcome, index) => {
    const target = targets[index];
    if (outcome.ok) {
      result.successes.push({ target, value: outcome.value });
    } else {
      result.failures.push({ target, name: options.nameOf(target), reason: outcome.reason });
    }
  });
  return result;
}

function withTimeout<R>(promise: Promise<R>, timeoutMs: number): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      }
    );
  });
}

/** A failure as one line, naming the target once: `node "n1" stats: no answer within 5000 ms`. */
export function failureText<T>(failure: FanOutFailure<T>): string {
  return failure.reason.startsWith(failure.name) ? failure.reason : `${failure.name}: ${failure.reason}`;
}
