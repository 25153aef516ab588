// A segment's transitions (who entered and exited, when, under which version), newest first, as
// recorded in ClickHouse membership_transitions. The journal moves them there a moment after
// they happen, so the newest changes can be missing from here for that moment.
import { sqlDateTime, sqlNumber, sqlString } from '../../engine/sql/literal.ts';
import type { Store } from '../../engine/store/clickhouse.ts';
import { isoTime } from './time.ts';

export interface TransitionView {
  readonly at: string;
  readonly player_id: string;
  readonly kind: 'entered' | 'exited';
  readonly segment_version: number;
  /** The segment's change number; transitions of one change share it. */
  readonly seq: number;
  readonly cause: string;
}

/**
 * The order in which changes were applied: the journal entry id (a Redis stream id,
 * `<ms>-<n>`, which only grows), then seq. `at` alone ties within a second, and seq can repeat
 * after Redis lost its last writes (engine/membership/recover.ts orders the same way).
 */
const JOURNAL_ORDER = `toUInt64OrZero(splitByChar('-', journal_id)[1]) DESC,
  toUInt64OrZero(splitByChar('-', journal_id)[2]) DESC, seq DESC, at DESC, player_id`;

export async function recentTransitions(
  store: Store,
  segment: string,
  since: number | undefined,
  limit: number,
): Promise<TransitionView[]> {
  const after = since === undefined ? '' : `AND at >= ${sqlDateTime(since)}`;
  const rows = await store.rows<{
    at: number;
    player_id: string;
    kind: 'entered' | 'exited';
    segment_version: number;
    seq: number;
    cause: string;
  }>(
    `SELECT toUnixTimestamp(at) AS at, player_id, kind, segment_version, seq, cause
     FROM membership_transitions
     WHERE segment_id = ${sqlString(segment)} ${after}
     ORDER BY ${JOURNAL_ORDER}
     LIMIT ${sqlNumber(limit)}`,
  );
  return rows.map((r) => ({
    at: isoTime(Number(r.at) * 1000),
    player_id: r.player_id,
    kind: r.kind,
    segment_version: Number(r.segment_version),
    seq: Number(r.seq),
    cause: r.cause,
  }));
}
