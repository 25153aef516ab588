// A client streaming events over HTTP until told to stop, the way an integration does: batches
// of fresh events, now and then an invalid item among them (only that item is rejected), and
// now and then the previous batch sent again, as a client does when it did not see an answer.
// It remembers every item the API answered as accepted.
import { randomUUID } from 'node:crypto';
import { acceptedItems, type Api } from './api.ts';

export interface EventItem {
  readonly event_id: string;
  readonly player_id: string;
  readonly type: string;
  readonly event_time: number | string;
  readonly amount?: string;
}

const HOUR = 3_600_000;
const TYPES = ['deposit', 'deposit', 'bet', 'login'];

/** A seeded generator, so a failing run can be read again with the same data. */
export function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

/**
 * `n` fresh events of players p0 … p<players-1>, stamped 1 to 49 hours ago. Low numbers are
 * heavy players and high ones see few events, so segments split the players.
 */
export function randomEvents(rand: () => number, players: number, n: number): EventItem[] {
  return Array.from({ length: n }, () => {
    const type = TYPES[Math.floor(rand() * TYPES.length)]!;
    const time = Date.now() - HOUR - Math.floor(rand() * 48 * HOUR);
    return {
      event_id: randomUUID(),
      player_id: `p${Math.floor(rand() ** 3 * players)}`,
      type,
      // Both forms the API takes: ISO 8601 and epoch milliseconds.
      event_time: rand() < 0.5 ? new Date(time).toISOString() : time,
      ...(type === 'login' ? {} : { amount: (rand() * 60).toFixed(2) }),
    };
  });
}

export class EventStream {
  /** Accepted items by `player|event_id`. */
  readonly accepted = new Map<string, EventItem>();
  /** Status of every answer that was not 202. */
  readonly refusals: number[] = [];
  /** Rejections of items that were meant to be valid. */
  readonly unexpected: unknown[] = [];
  requests = 0;
  private stopping = false;
  private running: Promise<void> | undefined;

  constructor(
    private readonly api: Pick<Api, 'post'>,
    private readonly opts: { seed: number; players: number; batch: number; maxRequests: number },
  ) {}

  start(): void {
    this.running ??= this.run();
  }

  /** Stops after the request in flight; resolves when it answered. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  /** Resolves once `n` more requests were answered. */
  async more(n: number): Promise<void> {
    const target = this.requests + n;
    while (this.requests < target && !this.stopping) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private async run(): Promise<void> {
    const rand = seeded(this.opts.seed);
    let previous: unknown[] = [];
    while (!this.stopping && this.requests < this.opts.maxRequests) {
      const resend = this.requests % 5 === 4 && previous.length > 0;
      const items = resend ? previous : this.batch(rand);
      await this.send(items);
      previous = items;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Fresh events; every seventh batch has one item without an event_id at a random place. */
  private batch(rand: () => number): unknown[] {
    const items: unknown[] = randomEvents(rand, this.opts.players, this.opts.batch);
    if (this.requests % 7 === 3) {
      const { event_id: _, ...invalid } = randomEvents(rand, this.opts.players, 1)[0]!;
      items.splice(Math.floor(rand() * items.length), 0, invalid);
    }
    return items;
  }

  private async send(items: unknown[]): Promise<void> {
    const reply = await this.api.post('/v1/events', items);
    this.requests += 1;
    if (reply.status !== 202) {
      this.refusals.push(reply.status);
      return;
    }
    for (const r of reply.rejected) {
      const item = items[r.index] as Record<string, unknown> | undefined;
      const expected = r.code === 'INGEST_FIELD_MISSING' && r.path === 'event_id';
      if (!expected || item === undefined || 'event_id' in item) this.unexpected.push(r);
    }
    for (const item of acceptedItems(items as EventItem[], reply)) {
      this.accepted.set(`${item.player_id}|${item.event_id}`, item);
    }
  }
}
