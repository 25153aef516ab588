// What one /v1/live socket is sent, with its memory bounded. While the socket holds more unsent
// bytes than LIVE_BUFFER_HIGH_BYTES, updates are not written: each segment keeps only its latest
// pending update (entered / exited summed), written once the socket has caught up. The latest
// update always stays pending, so coalescing never leaves a client with a stale final value.
//
// The outbox also remembers the seq it wrote per segment: an update at or below it is a
// duplicate (a segment subscribed twice, a change read by the snapshot already) and is dropped.
import type { WebSocket } from 'ws';
import type { Delivery, LiveStats } from './hub.ts';
import { mergeUpdates, updateMessage, type ServerMessage, type UpdateMessage } from './protocol.ts';

export interface OutboxLimits {
  /** LIVE_BUFFER_HIGH_BYTES. */
  readonly bufferHighBytes: number;
  /** LIVE_BUFFER_STUCK_MS. */
  readonly bufferStuckMs: number;
}

/** How often a socket that is behind is looked at again, milliseconds. */
const CATCH_UP_CHECK_MS = 20;

export class Outbox {
  private readonly written = new Map<string, number>();
  private readonly pending = new Map<string, UpdateMessage>();
  private timer: NodeJS.Timeout | undefined;
  private behindSince: number | undefined;
  private closed = false;

  constructor(
    private readonly socket: WebSocket,
    private readonly limits: OutboxLimits,
    private readonly stats: LiveStats,
    /** Called when the socket stayed behind for longer than bufferStuckMs. */
    private readonly onStuck: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Snapshots, errors, heartbeats: written at once and in order, never coalesced. */
  send(message: ServerMessage): void {
    this.write(JSON.stringify(message));
  }

  offer(delivery: Delivery): void {
    const { segment, seq } = delivery.message;
    const waiting = this.pending.get(segment);
    if (seq <= (waiting?.seq ?? this.written.get(segment) ?? -1)) return;

    if (this.pending.size === 0 && !this.behind()) {
      this.written.set(segment, seq);
      this.write(delivery.text);
      this.stats.sent += 1;
      return;
    }
    const update = updateMessage(delivery.message);
    if (waiting) this.stats.coalesced += 1;
    this.pending.set(segment, waiting ? mergeUpdates(waiting, update) : update);
    this.schedule();
  }

  /** The seq last written for a segment; undefined when none was. */
  writtenSeq(segment: string): number | undefined {
    return this.written.get(segment);
  }

  /** A snapshot told the client this seq: pending updates up to it are void. */
  reset(segment: string, seq: number): void {
    this.written.set(segment, seq);
    const waiting = this.pending.get(segment);
    if (waiting && waiting.seq <= seq) this.pending.delete(segment);
  }

  forget(segment: string): void {
    this.written.delete(segment);
    this.pending.delete(segment);
  }

  /** Whether unsent bytes are above the high-water mark; notes since when. */
  behind(): boolean {
    const behind = this.socket.bufferedAmount > this.limits.bufferHighBytes;
    if (!behind) this.behindSince = undefined;
    else this.behindSince ??= this.now();
    return behind;
  }

  /** Behind for longer than bufferStuckMs. */
  stuck(): boolean {
    return this.behind() && this.now() - (this.behindSince ?? 0) > this.limits.bufferStuckMs;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.pending.clear();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => this.catchUp(), CATCH_UP_CHECK_MS);
  }

  private catchUp(): void {
    this.timer = undefined;
    if (this.closed) return;
    if (this.stuck()) return this.onStuck();
    if (this.behind()) return this.schedule();
    for (const [segment, update] of this.pending) {
      this.written.set(segment, update.seq);
      this.write(JSON.stringify(update));
      this.stats.sent += 1;
    }
    this.pending.clear();
  }

  private write(text: string): void {
    if (!this.closed && this.socket.readyState === this.socket.OPEN) this.socket.send(text);
  }
}
