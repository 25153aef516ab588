// One Redis subscriber per API process, fanning the engine's live channel out to the sockets of
// /v1/live. Listeners are indexed by segment so a change reaches only the sockets that want it,
// and each change is serialized once, not once per socket.
//
// Redis pub/sub keeps nothing for a subscriber that is away: after the subscriber connection
// comes back, every listener is asked to resync (compare its segments' seq with Redis and send a
// fresh snapshot of the ones that moved), so a lost message never leaves a stale count behind.
import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { LiveMessage } from '../../engine/membership/apply.ts';
import { membershipKeys, type MembershipKeys } from '../../engine/membership/keys.ts';
import { readStatuses, type SegmentStatus } from '../../engine/membership/status.ts';
import { updateMessage } from './protocol.ts';

/** A change as the hub hands it out: the engine's message and its update text, made once. */
export interface Delivery {
  readonly message: LiveMessage;
  readonly text: string;
}

export interface HubListener {
  receive(delivery: Delivery): void;
  /** Messages may have been lost while the subscriber was away. */
  resync(): void;
}

/** Counters of one API process; the tests and bench/live-fanout.ts read them. */
export interface LiveStats {
  sockets: number;
  /** Engine messages received from Redis. */
  received: number;
  /** Update messages written to sockets (a coalesced update counts once). */
  sent: number;
  /** Updates folded into a later one because their socket was behind. */
  coalesced: number;
  /** Sockets closed by the server, by error code (or `heartbeat` for dead clients). */
  closed: Record<string, number>;
}

export class LiveHub {
  readonly stats: LiveStats = { sockets: 0, received: 0, sent: 0, coalesced: 0, closed: {} };
  /** CLIENT SETNAME of the subscriber connection. */
  readonly connectionName = `segstream-live-${randomBytes(4).toString('hex')}`;
  private readonly keys: MembershipKeys;
  private readonly everything = new Set<HubListener>();
  private readonly bySegment = new Map<string, Set<HubListener>>();
  private subscriber: Redis | undefined;
  private subscribed: Promise<void>;
  private markSubscribed: () => void = () => undefined;
  private isSubscribed = false;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly log: FastifyBaseLogger,
  ) {
    this.keys = membershipKeys(prefix);
    this.subscribed = this.nextSubscription();
  }

  /** Opens the subscriber connection; does not wait for Redis (see whenSubscribed). */
  start(): void {
    if (this.subscriber) return;
    // Our own (re)subscription, so we know when messages flow again before asking to resync.
    const subscriber = this.redis.duplicate({
      autoResubscribe: false,
      connectionName: this.connectionName,
    });
    this.subscriber = subscriber;
    let down = false;
    subscriber.on('error', (err: Error & { code?: string }) => {
      if (!down) this.log.warn({ code: err.code }, 'live subscriber unavailable');
      down = true;
    });
    subscriber.on('close', () => {
      if (!this.isSubscribed) return;
      this.isSubscribed = false;
      this.subscribed = this.nextSubscription();
    });
    subscriber.on('ready', () => {
      down = false;
      subscriber.subscribe(this.keys.live).then(
        () => this.onSubscribed(),
        (err: unknown) => this.log.warn({ err }, 'live subscribe failed'),
      );
    });
    subscriber.on('message', (_channel: string, text: string) => this.publish(text));
  }

  /** Resolves once messages of the live channel reach this hub. */
  whenSubscribed(): Promise<void> {
    return this.subscribed;
  }

  watch(listener: HubListener, segment: string): void {
    if (segment === '*') {
      this.everything.add(listener);
      return;
    }
    let listeners = this.bySegment.get(segment);
    if (!listeners) this.bySegment.set(segment, (listeners = new Set()));
    listeners.add(listener);
  }

  unwatch(listener: HubListener, segment: string): void {
    if (segment === '*') {
      this.everything.delete(listener);
      return;
    }
    const listeners = this.bySegment.get(segment);
    listeners?.delete(listener);
    if (listeners?.size === 0) this.bySegment.delete(segment);
  }

  /** Current state of these segments, or of every segment the engine keeps (`*`). */
  async statuses(segments: readonly string[] | '*'): Promise<SegmentStatus[]> {
    const ids =
      segments === '*' ? (await this.redis.smembers(this.keys.segments)).sort() : segments;
    return [...(await readStatuses(this.redis, this.keys, ids)).values()];
  }

  close(): void {
    this.subscriber?.disconnect();
    this.subscriber = undefined;
    this.everything.clear();
    this.bySegment.clear();
  }

  private nextSubscription(): Promise<void> {
    return new Promise((resolve) => (this.markSubscribed = resolve));
  }

  private onSubscribed(): void {
    this.isSubscribed = true;
    this.markSubscribed();
    const all = new Set(this.everything);
    for (const listeners of this.bySegment.values()) for (const l of listeners) all.add(l);
    for (const listener of all) listener.resync();
  }

  private publish(text: string): void {
    const message = parseLiveMessage(text);
    if (!message) {
      this.log.warn({ bytes: text.length }, 'live message ignored');
      return;
    }
    this.stats.received += 1;
    const delivery = { message, text: JSON.stringify(updateMessage(message)) };
    for (const listener of this.everything) listener.receive(delivery);
    for (const listener of this.bySegment.get(message.segment) ?? []) {
      // A socket subscribed to "*" and to the segment by id gets the change once.
      if (!this.everything.has(listener)) listener.receive(delivery);
    }
  }
}

const NUMBER_FIELDS = ['version', 'count', 'entered', 'exited', 'seq', 'at'] as const;

/** The engine's message, or undefined for anything else on the channel. */
export function parseLiveMessage(text: string): LiveMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  if (typeof m.segment !== 'string' || typeof m.cause !== 'string') return undefined;
  if (!NUMBER_FIELDS.every((f) => Number.isFinite(m[f]))) return undefined;
  return m as unknown as LiveMessage;
}
