// Helpers of the engine fault tests (not a test file itself): rules whose membership does not
// change with time alone (so a real clock can be used), random events, and the checks that the
// three views of every segment agree and that the transitions were written exactly once.
import { randomUUID } from 'node:crypto';
import { sqlString } from '../sql/literal.ts';
import type { EventRow } from '../store/events.ts';
import { HOUR, type Harness } from './test-support.ts';

export const SEGMENTS: Record<string, unknown> = {
  big: {
    include: { all: [{ list: 'deposits', measure: { sum: 'amount' }, op: 'gte', value: 100 }] },
  },
  frequent: { include: { all: [{ list: 'deposits', measure: 'count', op: 'gte', value: 3 }] } },
  'de-bettors': {
    include: {
      all: [
        { field: 'country', op: 'eq', value: 'DE' },
        { list: 'bets', measure: 'count', op: 'gte', value: 1 },
      ],
    },
  },
  quiet: { include: { all: [{ list: 'logins', measure: 'count', op: 'eq', value: 0 }] } },
  mix: {
    include: { all: [{ segment: 'big', op: 'in' }] },
    exclude: { any: [{ segment: 'de-bettors', op: 'in' }] },
  },
};

const TYPES = ['deposit', 'deposit', 'bet', 'login'];

/** `n` events over `players` players, stamped in the past hours; seeded. */
export function randomEvents(seed: number, players: number, n: number): EventRow[] {
  let state = seed;
  const rand = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  return Array.from({ length: n }, () => {
    const type = TYPES[Math.floor(rand() * TYPES.length)]!;
    return {
      event_id: randomUUID(),
      player_id: `p${Math.floor(rand() * players)}`,
      type,
      event_time: Date.now() - HOUR - Math.floor(rand() * 48 * HOUR),
      amount: type === 'login' ? null : (rand() * 60).toFixed(2),
    };
  });
}

/** Segments whose count or member list differs from a from-scratch evaluation now. */
export async function disagreeing(h: Harness): Promise<string[]> {
  h.clock.now = Date.now();
  const found: string[] = [];
  for (const id of Object.keys(SEGMENTS)) {
    const expected = await h.expected(id);
    const [members, count] = await Promise.all([h.members(id), h.reader.count(id)]);
    if (count !== expected.length || members.join() !== expected.join()) found.push(id);
  }
  return found;
}

/** Waits until every segment agrees (or the time is up); returns the last disagreement. */
export async function settle(h: Harness, timeoutMs: number): Promise<{ disagreeing: string[] }> {
  const deadline = Date.now() + timeoutMs;
  let last = await disagreeing(h);
  while (last.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    last = await disagreeing(h);
  }
  return { disagreeing: last };
}

export interface Agreement {
  readonly disagreeing: string[];
  /** Transition rows stored more than once. */
  readonly duplicates: number;
  /** Segments whose transitions do not replay to their members. */
  readonly replayMismatch: string[];
}

/** Once the journal is written: counts, duplicates and replay of the transitions. */
export async function agreement(h: Harness, timeoutMs = 20_000): Promise<Agreement> {
  const deadline = Date.now() + timeoutMs;
  while ((await h.redis.xlen(`${h.prefix}journal`)) > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const [dup] = await h.db.store.rows<{ n: number }>(
    `SELECT count() - uniqExact(journal_id, player_id) AS n FROM membership_transitions`,
  );
  const replayMismatch: string[] = [];
  for (const id of Object.keys(SEGMENTS)) {
    const rows = await h.db.store.rows<{ player_id: string }>(
      `SELECT player_id FROM membership_transitions WHERE segment_id = ${sqlString(id)}
       GROUP BY player_id HAVING argMax(kind, seq) = 'entered'`,
    );
    const replayed = rows.map((r) => r.player_id).sort();
    if (replayed.join() !== (await h.members(id)).join()) replayMismatch.push(id);
  }
  return { disagreeing: await disagreeing(h), duplicates: Number(dup?.n ?? 0), replayMismatch };
}
