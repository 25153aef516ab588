// Where member tables and exports take their members from: the segment's bitmap in Redis, read in
// one MULTI with its change sequence, and handed to ClickHouse inside the query.
//
// Why the bitmap and not membership_transitions: the bitmap is the engine's membership itself
// (the apply script flips bits and the count in one atomic step), so a table or export holds
// exactly the members the count counts, even while the journal still waits to reach ClickHouse.
// Rebuilding members from transitions (the last transition per player being `entered`) costs a
// GROUP BY over the segment's whole history, which only grows, and lags by the journal.
// The bitmap costs one bit per player number: 125 KB per million numbered players, sent as hex.
import type { Redis } from 'ioredis';
import { Bitmap } from '../../engine/membership/bitmap.ts';
import type { MembershipKeys } from '../../engine/membership/keys.ts';
import { sqlNumber, sqlString } from '../../engine/sql/literal.ts';

export interface MemberSnapshot {
  /** The bitmap bytes (Redis bit order: bit n is byte n >> 3, most significant bit first). */
  readonly bits: Uint8Array;
  /** Members in the snapshot: its set bits. */
  readonly count: number;
  /** The segment's change sequence when read; equal on two snapshots means equal members. */
  readonly seq: number;
}

export async function readSnapshot(
  redis: Redis,
  keys: MembershipKeys,
  segment: string,
): Promise<MemberSnapshot> {
  const replies = await redis
    .multi()
    .getBuffer(keys.bits(segment))
    .hget(keys.segment(segment), 'seq')
    .exec();
  const [bitsReply, seqReply] = replies ?? [];
  if (bitsReply?.[0]) throw bitsReply[0];
  if (seqReply?.[0]) throw seqReply[0];
  const bytes = bitsReply?.[1] as Buffer | null;
  const bits = bytes ? new Uint8Array(bytes) : new Uint8Array(0);
  return { bits, count: new Bitmap(bits).count(), seq: Number(seqReply?.[1] ?? 0) };
}

/**
 * A condition on player_numbers.player_num that holds exactly for the snapshot's members, or
 * undefined when it has none. Only the bytes from the first to the last non-zero one are sent;
 * the range test also lets ClickHouse read only that range of player_numbers (its sort key).
 */
export function memberCondition(bits: Uint8Array): string | undefined {
  let first = 0;
  while (first < bits.length && bits[first] === 0) first++;
  if (first === bits.length) return undefined;
  let last = bits.length - 1;
  while (bits[last] === 0) last--;
  const hex = Buffer.from(bits.buffer, bits.byteOffset + first, last - first + 1).toString('hex');
  const byte = `intDiv(player_num, 8) - ${sqlNumber(first)}`;
  // AND does not short-circuit: rows outside the range compute a meaningless byte, never a fault.
  const bit = `bitAnd(reinterpretAsUInt8(substring(unhex(${sqlString(hex)}), ${byte} + 1, 1)),
      bitShiftRight(128, player_num % 8)) != 0`;
  return `player_num >= ${sqlNumber(first * 8)} AND player_num < ${sqlNumber((last + 1) * 8)}
    AND ${bit}`;
}
