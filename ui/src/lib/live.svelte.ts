// Live counts over /v1/live: one socket for the whole UI, subscribed to every segment. Counts
// arrive as a snapshot, then as updates with a sequence per segment; after a lost connection the
// socket reconnects by itself (growing pauses) and resumes from the last sequence seen, so
// nothing is missed and nothing is applied twice.
import { newTicket } from './api.ts';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'closed';

interface Counted {
  readonly segment: string;
  /** null in a snapshot for a segment not evaluated yet. */
  readonly count: number | null;
  readonly seq: number;
}

/** An `update` message: a change set the engine applied (docs/api.md "Server messages"). */
export interface LiveUpdate extends Counted {
  readonly count: number;
  readonly entered: number;
  readonly exited: number;
  readonly at: string;
  readonly cause: string;
}

const RETRY_MS = [500, 1_000, 2_000, 5_000];

export class LiveCounts {
  state = $state<ConnectionState>('connecting');
  /** Members per segment id, as the engine last published them. */
  counts = $state<Record<string, number>>({});
  /** When each segment's count last changed (for a short highlight). */
  changedAt = $state<Record<string, number>>({});
  private seqs: Record<string, number> = {};
  private socket: WebSocket | undefined;
  private attempts = 0;
  private stopped = false;

  /** `onUpdate` sees each update applied (not the stale ones), for screens that chart movers. */
  constructor(private readonly onUpdate: (update: LiveUpdate) => void = () => {}) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.socket?.close();
    this.state = 'closed';
  }

  /** Each connection, reconnections too, opens with a fresh single-use ticket. */
  private connect(): void {
    newTicket('live').then(
      (ticket) => this.open(ticket),
      () => this.retry(),
    );
  }

  private open(ticket: string): void {
    if (this.stopped) return;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const url = `${scheme}://${location.host}/v1/live?ticket=${encodeURIComponent(ticket)}`;
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      this.attempts = 0;
      const since = Object.keys(this.seqs).length > 0 ? { since: this.seqs } : {};
      socket.send(JSON.stringify({ type: 'subscribe', segments: '*', ...since }));
    };
    socket.onmessage = (event) => this.receive(JSON.parse(String(event.data)));
    socket.onclose = () => this.retry();
  }

  private retry(): void {
    if (this.stopped) return;
    this.state = 'reconnecting';
    const wait = RETRY_MS[Math.min(this.attempts++, RETRY_MS.length - 1)];
    setTimeout(() => this.connect(), wait);
  }

  private receive(message: { type: string; segments?: Counted[] } & Partial<Counted>): void {
    // Segments listed in a snapshot's `resumed` are already current here and are not resent.
    if (message.type === 'snapshot') {
      for (const s of message.segments ?? []) this.apply(s, false);
      this.state = 'live';
    } else if (message.type === 'update' && message.segment !== undefined) {
      const fresh = (this.seqs[message.segment] ?? -1) < (message.seq ?? -1);
      this.apply(message as Counted, true);
      if (fresh) this.onUpdate(message as unknown as LiveUpdate);
    }
  }

  private apply(s: Counted, changed: boolean): void {
    if ((this.seqs[s.segment] ?? -1) > s.seq || s.count === null) return;
    this.seqs[s.segment] = s.seq;
    if (changed && this.counts[s.segment] !== s.count) this.changedAt[s.segment] = Date.now();
    this.counts[s.segment] = s.count;
  }
}
