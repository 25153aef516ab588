// Exponential backoff with jitter for the batch writer's retries. The jitter spreads the
// retries of several writers so they do not all hit a recovering ClickHouse at the same moment.

export interface BackoffOptions {
  /** Delay ceiling of the first retry, milliseconds. */
  readonly baseMs: number;
  /** Longest delay between two attempts, milliseconds. */
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 200, maxMs: 5_000 };

/** Delay before retry number `attempt` (0-based): between half and all of the ceiling. */
export function backoffDelay(
  attempt: number,
  opts: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Waits `ms`, or less when the signal aborts (a stopping writer should not sit out a delay). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
