// A segment's membership state in Redis: one hash per segment with the count and change sequence
// (written only by the apply script) and the status of its computation (written by the engine
// holding the lease). The API reads it as it is.
import type { Redis } from 'ioredis';
import type { MembershipKeys } from './keys.ts';
import { SET_STATUS } from './scripts.ts';

/**
 * - computing: a full evaluation runs (new or edited segment, or a retry); `deadline` is when it
 *   counts as stuck and is retried.
 * - live: members are kept current by ticks and sweeps.
 * - failed: the last evaluation failed (`error`); the last members are kept and the evaluation
 *   is retried at `retryAt`.
 * - inactive: the segment is deactivated; it has no members.
 */
export type SegmentState = 'computing' | 'live' | 'failed' | 'inactive';

export interface StatusError {
  readonly code: string;
  readonly message: string;
}

export interface SegmentStatus {
  readonly segment: string;
  /** Undefined for a segment the engine has not seen yet. */
  readonly state: SegmentState | undefined;
  /** The segment version the state refers to. */
  readonly version: number | undefined;
  readonly count: number;
  /** Number of applied change sets; the live channel carries it so gaps can be noticed. */
  readonly seq: number;
  readonly error: StatusError | undefined;
  /** When the last full evaluation (compute or sweep) finished, epoch milliseconds. */
  readonly lastComputedAt: number | undefined;
  /** How long the last full evaluation took, milliseconds. */
  readonly durationMs: number | undefined;
  /** When the running computation started, epoch milliseconds. */
  readonly startedAt: number | undefined;
  /** When the running computation counts as stuck, epoch milliseconds. */
  readonly deadline: number | undefined;
  /** Failed evaluations in a row. */
  readonly attempts: number;
  /** When a failed segment is evaluated again, epoch milliseconds. */
  readonly retryAt: number | undefined;
}

/** Status fields to write; null removes a field. */
export interface StatusUpdate {
  readonly state?: SegmentState;
  readonly version?: number;
  readonly error_code?: string | null;
  readonly error_message?: string | null;
  readonly last_computed_at?: number;
  readonly duration_ms?: number;
  readonly started_at?: number | null;
  readonly deadline?: number | null;
  readonly attempts?: number;
  readonly retry_at?: number | null;
  /** Only to repair a count found different from its bitmap; the apply script keeps it. */
  readonly count?: number;
}

export async function readStatuses(
  redis: Redis,
  keys: MembershipKeys,
  segments: readonly string[],
): Promise<Map<string, SegmentStatus>> {
  if (segments.length === 0) return new Map();
  const tx = redis.pipeline();
  for (const id of segments) tx.hgetall(keys.segment(id));
  const replies = (await tx.exec()) ?? [];
  return new Map(
    segments.map((id, i) => {
      const [err, hash] = replies[i] ?? [null, {}];
      if (err) throw err;
      return [id, toStatus(id, hash as Record<string, string>)];
    }),
  );
}

export function toStatus(segment: string, hash: Record<string, string>): SegmentStatus {
  const num = (name: string) => (hash[name] === undefined ? undefined : Number(hash[name]));
  const code = hash.error_code;
  return {
    segment,
    state: hash.state as SegmentState | undefined,
    version: num('version'),
    count: num('count') ?? 0,
    seq: num('seq') ?? 0,
    error: code === undefined ? undefined : { code, message: hash.error_message ?? '' },
    lastComputedAt: num('last_computed_at'),
    durationMs: num('duration_ms'),
    startedAt: num('started_at'),
    deadline: num('deadline'),
    attempts: num('attempts') ?? 0,
    retryAt: num('retry_at'),
  };
}

/** Writes status fields, fenced by the lease token. */
export async function writeStatus(
  redis: Redis,
  keys: MembershipKeys,
  token: string,
  segment: string,
  update: StatusUpdate,
): Promise<void> {
  const keyList = [keys.lease, keys.segment(segment), keys.segments];
  // Values go as text: Lua would print large numbers in exponent form.
  const fields = Object.entries(update).map(([k, v]) => [k, v === null ? null : String(v)]);
  await SET_STATUS.run(redis, keyList, [
    token,
    segment,
    JSON.stringify(Object.fromEntries(fields)),
  ]);
}
