// Redis keys of segment membership, all under REDIS_PREFIX. Segment ids are letters, digits, `_`
// and `-` (engine/segments/ids.ts), so they are safe inside key names.

export interface MembershipKeys {
  /** Hash player id -> player number. */
  readonly numbers: string;
  /** Hash player number -> player id (reverse lookups: journal, member pages). */
  readonly ids: string;
  /** Counter: the last player number assigned. */
  readonly lastNumber: string;
  /** Set of the segment ids that have membership keys. */
  readonly segments: string;
  /** Stream of applied transitions, waiting to be written to ClickHouse. */
  readonly journal: string;
  /** Pub/sub channel of count changes (see LiveMessage). */
  readonly live: string;
  /** The engine lease: the token of the engine process that may write. */
  readonly lease: string;
  /** Seconds of events.ingested_at / players.updated_at evaluated so far; only moves forward. */
  readonly watermark: string;
  /** Written once when membership is first set up; its absence means Redis lost its data. */
  readonly epoch: string;
  /** Sorted set of minutes with size counters not yet written to ClickHouse. */
  readonly sizesPending: string;
  /** Bitmap of a segment's members, one bit per player number. */
  bits(segment: string): string;
  /** Hash of a segment's count, change sequence and status fields (see status.ts). */
  segment(segment: string): string;
  /** Hash of one minute's size counters: `<segment>|entered`, `|exited`, `|count`. */
  sizes(minute: number): string;
}

export function membershipKeys(prefix: string): MembershipKeys {
  return {
    numbers: `${prefix}pnum`,
    ids: `${prefix}pnum:ids`,
    lastNumber: `${prefix}pnum:last`,
    segments: `${prefix}segments`,
    journal: `${prefix}journal`,
    live: `${prefix}live`,
    lease: `${prefix}engine:lease`,
    watermark: `${prefix}engine:watermark`,
    epoch: `${prefix}engine:epoch`,
    sizesPending: `${prefix}sizes:pending`,
    bits: (segment) => `${prefix}seg:${segment}:bits`,
    segment: (segment) => `${prefix}seg:${segment}`,
    sizes: (minute) => `${prefix}sizes:${minute}`,
  };
}
