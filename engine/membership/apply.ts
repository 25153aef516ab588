// Applying membership changes. The engine keeps a mirror of every segment's bitmap in memory
// (loaded from Redis when it takes the lease), computes what changed against the mirror, and
// sends only the changes to Redis. The apply script flips bits by their old value, so sending
// a change twice, or a change Redis already has, is harmless: the mirror is an optimisation,
// never a source of truth. When an apply fails the mirror may be off and is reloaded.
import type { Redis } from 'ioredis';
import { Bitmap, type BitChange } from './bitmap.ts';
import type { MembershipKeys } from './keys.ts';
import { APPLY, DROP_SEGMENT } from './scripts.ts';

/** What produced a change set; stored with each transition. */
export type Cause = 'tick' | 'sweep' | 'compute' | 'deactivated' | 'deleted' | 'repair';

export interface ChangeSet {
  readonly segment: string;
  readonly version: number;
  readonly cause: Cause;
  /** The evaluation's as-of time, epoch milliseconds: the time of the transitions. */
  readonly at: number;
  readonly changes: readonly BitChange[];
}

export interface Applied {
  readonly entered: number;
  readonly exited: number;
  readonly count: number;
  readonly seq: number;
}

/** The message published on the live channel for every applied change set. */
export interface LiveMessage {
  readonly segment: string;
  readonly version: number;
  readonly count: number;
  /** How many players entered / exited in this change set. */
  readonly entered: number;
  readonly exited: number;
  readonly seq: number;
  readonly at: number;
  readonly cause: Cause;
}

/** Changes per script call: about 5 ms of Redis time, so reads never wait long behind it. */
const CHANGES_PER_CALL = 5_000;

export class MembershipWriter {
  private readonly mirror = new Map<string, Bitmap>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: MembershipKeys,
  ) {}

  /** The mirrored bitmap of a segment (empty for a segment without members). */
  bitmap(segment: string): Bitmap {
    let bitmap = this.mirror.get(segment);
    if (!bitmap) this.mirror.set(segment, (bitmap = new Bitmap()));
    return bitmap;
  }

  segments(): string[] {
    return [...this.mirror.keys()];
  }

  /** Replaces the mirror with the bitmaps Redis holds for these segments. */
  async load(segments: readonly string[]): Promise<void> {
    this.mirror.clear();
    for (const segment of segments) {
      const bytes = await this.redis.getBuffer(this.keys.bits(segment));
      this.mirror.set(segment, new Bitmap(bytes ? new Uint8Array(bytes) : undefined));
    }
  }

  async apply(token: string, set: ChangeSet): Promise<Applied> {
    const minute = Math.floor(set.at / 60_000) * 60_000;
    const keyList = [
      this.keys.lease,
      this.keys.bits(set.segment),
      this.keys.segment(set.segment),
      this.keys.journal,
      this.keys.ids,
      this.keys.sizes(minute),
      this.keys.sizesPending,
      this.keys.live,
      this.keys.segments,
    ];
    const head = [token, set.segment, set.version, set.at, set.cause, minute];
    const bitmap = this.bitmap(set.segment);
    let total: Applied = { entered: 0, exited: 0, count: 0, seq: 0 };
    for (let i = 0; i < set.changes.length; i += CHANGES_PER_CALL) {
      const chunk = set.changes.slice(i, i + CHANGES_PER_CALL);
      const pairs = chunk.flatMap((c) => [c.num, c.on ? 1 : 0]);
      const reply = (await APPLY.run(this.redis, keyList, [...head, ...pairs])) as number[];
      for (const c of chunk) bitmap.set(c.num, c.on);
      total = {
        entered: total.entered + Number(reply[0]),
        exited: total.exited + Number(reply[1]),
        count: Number(reply[2]),
        seq: Number(reply[3]),
      };
    }
    return total;
  }

  /** Removes a segment's keys and mirror; its members must have been removed first. */
  async drop(token: string, segment: string): Promise<void> {
    const keyList = [
      this.keys.lease,
      this.keys.bits(segment),
      this.keys.segment(segment),
      this.keys.segments,
    ];
    await DROP_SEGMENT.run(this.redis, keyList, [token, segment]);
    this.mirror.delete(segment);
  }
}
