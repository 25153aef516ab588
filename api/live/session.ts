// One /v1/live socket: what it subscribed to, its limits, its heartbeat. Client messages are
// handled one after the other, so a snapshot is never overtaken by a later subscribe.
//
// A subscription starts watching before it reads the snapshot, and holds the changes that arrive
// during the read: replayed afterwards through the outbox, which drops those the snapshot already
// covers. Nothing between the read and the first update is lost, and nothing is sent twice.
import type { FastifyBaseLogger } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import type { LiveConfig } from '../../engine/config/config.ts';
import { SegstreamError, isSegstreamError } from '../../engine/errors/errors.ts';
import type { SegmentStatus } from '../../engine/membership/status.ts';
import type { Delivery, HubListener, LiveHub } from './hub.ts';
import { Outbox } from './outbox.ts';
import {
  closeCode,
  errorMessage,
  parseClientMessage,
  snapshotEntry,
  type ClientMessage,
  type SnapshotEntry,
  type SubscribeMessage,
  type UnsubscribeMessage,
} from './protocol.ts';

export interface SessionOptions {
  readonly socket: WebSocket;
  readonly hub: LiveHub;
  readonly limits: LiveConfig;
  readonly log: FastifyBaseLogger;
  /** Checks the socket's token again; rejects with an AUTH_* error once it no longer passes. */
  readonly reauthorize: () => Promise<unknown>;
  /** Called once, when the session ends for any reason. */
  readonly onEnd: (session: LiveSession) => void;
  readonly now?: () => number;
}

export class LiveSession implements HubListener {
  /** Resolves when the socket has closed, the close handshake done or not. */
  readonly socketClosed: Promise<void>;
  private everything = false;
  private readonly ids = new Set<string>();
  /** Changes that arrived while a snapshot was read; replayed after it. */
  private held: Delivery[] | undefined;
  private work: Promise<void> = Promise.resolve();
  private readonly outbox: Outbox;
  private alive = true;
  private ended = false;
  private allowance: number;
  private allowanceAt: number;
  private readonly now: () => number;

  constructor(private readonly opts: SessionOptions) {
    this.now = opts.now ?? Date.now;
    this.allowance = opts.limits.messagesPerSecond;
    this.allowanceAt = this.now();
    const stuck = () => this.closeWith(new SegstreamError('LIVE_CLIENT_TOO_SLOW', this.limitOf()));
    this.outbox = new Outbox(opts.socket, opts.limits, opts.hub.stats, stuck, this.now);
    opts.socket.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    opts.socket.on('pong', () => (this.alive = true));
    this.socketClosed = new Promise((resolve) => opts.socket.once('close', () => resolve()));
    opts.socket.on('close', () => this.end());
    opts.hub.stats.sockets += 1;
  }

  receive(delivery: Delivery): void {
    if (this.ended) return;
    if (this.held) {
      this.held.push(delivery);
      return;
    }
    if (this.everything || this.ids.has(delivery.message.segment)) this.outbox.offer(delivery);
  }

  resync(): void {
    if (this.everything || this.ids.size > 0) this.enqueue(() => this.snapshot('all', {}, true));
  }

  /** Called every LIVE_HEARTBEAT_MS by the route. */
  heartbeat(): void {
    if (this.ended) return;
    if (!this.alive) {
      this.opts.log.info({ reason: 'heartbeat' }, 'live socket dropped');
      this.count('heartbeat');
      this.opts.socket.terminate();
      return this.end();
    }
    if (this.outbox.stuck()) {
      return this.closeWith(new SegstreamError('LIVE_CLIENT_TOO_SLOW', this.limitOf()));
    }
    this.alive = false;
    this.opts.socket.ping();
    this.outbox.send({ type: 'heartbeat', at: new Date(this.now()).toISOString() });
    this.opts.reauthorize().catch((err: unknown) => {
      // Only a verdict on the token closes the socket; an unreachable token store does not.
      if (isSegstreamError(err) && err.code.startsWith('AUTH_')) this.closeWith(err);
    });
  }

  /** Tells the client why (an error message), then closes with the code's close code. */
  closeWith(err: SegstreamError): void {
    if (this.ended) return;
    this.opts.log.info({ code: err.code }, 'live socket closed');
    this.count(err.code);
    this.outbox.send(errorMessage(err));
    this.opts.socket.close(closeCode(err.code), err.code);
    this.end();
  }

  /** Ends the socket without a close handshake. */
  terminate(): void {
    this.opts.socket.terminate();
    this.end();
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.ended) return;
    const { messageMaxBytes, messagesPerSecond } = this.opts.limits;
    const bytes = byteLength(data);
    if (bytes > messageMaxBytes) {
      return this.closeWith(
        new SegstreamError('LIVE_MESSAGE_TOO_LARGE', { limit: messageMaxBytes, bytes }),
      );
    }
    if (!this.takeAllowance()) {
      return this.closeWith(new SegstreamError('LIVE_RATE_LIMITED', { limit: messagesPerSecond }));
    }
    let message: ClientMessage;
    try {
      if (isBinary) throw new SegstreamError('LIVE_MESSAGE_INVALID', { reason: 'must be text' });
      message = parseClientMessage(textOf(data));
    } catch (err) {
      return this.outbox.send(errorMessage(coded(err)));
    }
    this.enqueue(() =>
      message.type === 'subscribe' ? this.subscribe(message) : this.unsubscribe(message),
    );
  }

  private async subscribe(message: SubscribeMessage): Promise<void> {
    const added = message.segments === '*' ? [] : [...new Set(message.segments)];
    const fresh = added.filter((id) => !this.ids.has(id));
    const limit = this.opts.limits.subscriptionsMax;
    if (this.ids.size + fresh.length > limit) {
      const requested = this.ids.size + fresh.length;
      return this.closeWith(
        new SegstreamError('LIVE_TOO_MANY_SUBSCRIPTIONS', { limit, requested }),
      );
    }
    const everything = message.segments === '*';
    if (everything) {
      this.everything = true;
      this.opts.hub.watch(this, '*');
    }
    for (const id of fresh) {
      this.ids.add(id);
      this.opts.hub.watch(this, id);
    }
    this.opts.log.debug({ segments: everything ? '*' : added.length }, 'live subscribe');
    await this.snapshot(everything ? 'all' : added, message.since ?? {});
  }

  private async unsubscribe(message: UnsubscribeMessage): Promise<void> {
    const { hub } = this.opts;
    if (message.segments === '*') {
      this.everything = false;
      hub.unwatch(this, '*');
      for (const id of this.ids) this.outbox.forget(id);
      for (const id of this.ids) hub.unwatch(this, id);
      this.ids.clear();
    } else {
      for (const id of message.segments) {
        this.ids.delete(id);
        hub.unwatch(this, id);
        // Under "*" the segment stays wanted, so what was written of it stays true.
        if (!this.everything) this.outbox.forget(id);
      }
    }
    this.outbox.send({ type: 'unsubscribed', segments: message.segments });
  }

  /**
   * Reads and sends the state of these segments; `since` (or what was written) marks the ones
   * the client has. A resync sends only the segments that moved, and nothing when none did.
   */
  private async snapshot(
    segments: readonly string[] | 'all',
    since: Readonly<Record<string, number>>,
    resync = false,
  ): Promise<void> {
    this.held ??= [];
    try {
      const statuses = await this.read(segments);
      if (this.ended) return;
      const entries: SnapshotEntry[] = [];
      const resumed: string[] = [];
      for (const status of statuses) {
        const known = since[status.segment] ?? this.outbox.writtenSeq(status.segment);
        this.outbox.reset(status.segment, status.seq);
        if (known === status.seq) resumed.push(status.segment);
        else entries.push(snapshotEntry(status));
      }
      const at = new Date(this.now()).toISOString();
      if (resync && entries.length === 0) return;
      this.outbox.send({ type: 'snapshot', at, segments: entries, resumed: resync ? [] : resumed });
    } catch (err) {
      this.outbox.send(errorMessage(coded(err, 'REDIS_UNAVAILABLE')));
    } finally {
      const held = this.held ?? [];
      this.held = undefined;
      for (const delivery of held) this.receive(delivery);
    }
  }

  /** Segment statuses; `all` is every segment the engine keeps plus the ones named by id. */
  private async read(segments: readonly string[] | 'all'): Promise<SegmentStatus[]> {
    const { hub } = this.opts;
    await hub.whenSubscribed();
    if (segments !== 'all') return hub.statuses(segments);
    const known = this.everything ? await hub.statuses('*') : [];
    const seen = new Set(known.map((s) => s.segment));
    const named = [...this.ids].filter((id) => !seen.has(id));
    return named.length === 0 ? known : [...known, ...(await hub.statuses(named))];
  }

  private enqueue(step: () => Promise<void>): void {
    this.work = this.work.then(async () => {
      if (!this.ended) await step();
    });
  }

  /** A token bucket: bursts up to the limit, refilled at the limit per second. */
  private takeAllowance(): boolean {
    const rate = this.opts.limits.messagesPerSecond;
    const now = this.now();
    this.allowance = Math.min(rate, this.allowance + ((now - this.allowanceAt) * rate) / 1000);
    this.allowanceAt = now;
    if (this.allowance < 1) return false;
    this.allowance -= 1;
    return true;
  }

  private limitOf(): Record<string, number> {
    const { bufferHighBytes, bufferStuckMs } = this.opts.limits;
    return { limit_bytes: bufferHighBytes, limit_ms: bufferStuckMs };
  }

  private count(reason: string): void {
    const closed = this.opts.hub.stats.closed;
    closed[reason] = (closed[reason] ?? 0) + 1;
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.held = undefined;
    this.outbox.close();
    this.opts.hub.unwatch(this, '*');
    for (const id of this.ids) this.opts.hub.unwatch(this, id);
    this.opts.hub.stats.sockets -= 1;
    this.opts.onEnd(this);
  }
}

function coded(err: unknown, fallback: 'INTERNAL_ERROR' | 'REDIS_UNAVAILABLE' = 'INTERNAL_ERROR') {
  return isSegstreamError(err) ? err : new SegstreamError(fallback);
}

function byteLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, part) => sum + part.length, 0);
  return data.byteLength;
}

function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return Buffer.from(data).toString('utf8');
}
