// Uploaded member ids of static segments, one row per (segment, version, player). A version's
// members are written once when it is saved; reads are DISTINCT, so a retried upload is harmless.
import { SegstreamError } from '../errors/errors.ts';
import { sqlNumber, sqlString } from '../sql/literal.ts';
import type { Store } from '../store/clickhouse.ts';

const COLUMNS = ['segment_id', 'version', 'player_id'];
const MAX_ID_LENGTH = 200;

export async function writeStaticMembers(
  store: Store,
  id: string,
  version: number,
  playerIds: readonly string[],
): Promise<number> {
  playerIds.forEach((playerId, i) => {
    if (typeof playerId !== 'string' || playerId === '' || playerId.length > MAX_ID_LENGTH) {
      const reason = `must be a player id of 1 to ${MAX_ID_LENGTH} characters`;
      throw new SegstreamError('VALIDATION_FAILED', { path: `static_members[${i}]`, reason });
    }
  });
  const unique = [...new Set(playerIds)];
  await store.insert(
    'static_segment_members',
    COLUMNS,
    unique.map((playerId) => [id, version, playerId]),
  );
  return unique.length;
}

export async function readStaticMembers(
  store: Store,
  id: string,
  version: number,
): Promise<string[]> {
  if (!Number.isInteger(version) || version < 1) return [];
  const rows = await store.rows<{ player_id: string }>(
    `SELECT DISTINCT player_id FROM static_segment_members
     WHERE segment_id = ${sqlString(id)} AND version = ${sqlNumber(version)}`,
  );
  return rows.map((r) => r.player_id).sort();
}
