// A steady background load for the freshness figure: every 100 ms, as many events as the rate
// asks for so far, in one NDJSON request; requests are not awaited one by one, so a slow answer
// does not slow the rate down (it shows as a backlog instead).
import { benchEvent, ndjson } from './events.ts';
import type { Poster } from './http.ts';
import { nowMs } from './stats.ts';

const INTERVAL_MS = 100;

export interface Load {
  /** Events answered with 202 so far. */
  accepted(): number;
  /** Requests still waiting for their answer. */
  inFlight(): number;
  stop(): Promise<void>;
}

export function startLoad(post: Poster, ratePerS: number, players: number): Load {
  const started = nowMs();
  const pending = new Set<Promise<void>>();
  let sent = 0;
  let accepted = 0;
  let failure: Error | undefined;

  const timer = setInterval(() => {
    const due = Math.floor(((nowMs() - started) / 1000) * ratePerS) - sent;
    if (due <= 0) return;
    const time = Date.now();
    const events = Array.from({ length: due }, (_, i) =>
      benchEvent('load', sent + i, players, time),
    );
    sent += due;
    const request = post('/v1/events', ndjson(events), 'application/x-ndjson').then(
      (reply) => void (accepted += reply.accepted),
      (err: unknown) => void (failure ??= err as Error),
    );
    pending.add(request);
    void request.finally(() => pending.delete(request));
  }, INTERVAL_MS);

  return {
    accepted: () => {
      if (failure) throw failure;
      return accepted;
    },
    inFlight: () => pending.size,
    stop: async () => {
      clearInterval(timer);
      await Promise.all(pending);
      if (failure) throw failure;
    },
  };
}
