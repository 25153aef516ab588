// The data a reference evaluation sees, prepared once: each player's latest profile (the
// universe), and each player's events with repeated event ids removed (the first row wins, as
// insertEvents keeps the first copy).
import type { EventRow } from '../store/events.ts';
import type { PlayerRow } from '../store/players.ts';
import type { FieldSourceRow } from './fields.ts';
import { secondsOf } from './time.ts';

export interface ReferenceData {
  readonly players: readonly PlayerRow[];
  readonly events: readonly EventRow[];
  /** Uploaded player ids per static segment id (ids without a profile are not members). */
  readonly staticSegments?: Readonly<Record<string, readonly string[]>>;
}

export interface PreparedEvent {
  readonly type: string;
  /** event_time in whole epoch seconds (stored with second precision). */
  readonly time: number;
  readonly row: FieldSourceRow;
}

export interface PreparedData {
  /** Latest profile per player id: the universe of players. */
  readonly profiles: ReadonlyMap<string, FieldSourceRow>;
  readonly events: ReadonlyMap<string, readonly PreparedEvent[]>;
  readonly staticSegments: Readonly<Record<string, readonly string[]>>;
}

export function prepareData(data: ReferenceData): PreparedData {
  return {
    profiles: latestProfiles(data.players),
    events: eventsByPlayer(data.events),
    staticSegments: data.staticSegments ?? {},
  };
}

/** The highest version wins; among equal versions the later row (as a replacing merge keeps). */
function latestProfiles(players: readonly PlayerRow[]): Map<string, FieldSourceRow> {
  const latest = new Map<string, PlayerRow>();
  for (const p of players) {
    const seen = latest.get(p.player_id);
    if (!seen || p.version >= seen.version) latest.set(p.player_id, p);
  }
  const profiles = new Map<string, FieldSourceRow>();
  for (const [id, p] of latest) profiles.set(id, { columns: p, keys: p.attributes });
  return profiles;
}

function eventsByPlayer(events: readonly EventRow[]): Map<string, PreparedEvent[]> {
  const seen = new Set<string>();
  const byPlayer = new Map<string, PreparedEvent[]>();
  for (const e of events) {
    // An event is its (player_id, event_id) pair, as in the events table's sort key.
    const key = JSON.stringify([e.player_id, e.event_id]);
    if (seen.has(key)) continue;
    seen.add(key);
    const prepared = { type: e.type, time: secondsOf(e.event_time), row: toRow(e) };
    const list = byPlayer.get(e.player_id);
    if (list) list.push(prepared);
    else byPlayer.set(e.player_id, [prepared]);
  }
  return byPlayer;
}

function toRow(e: EventRow): FieldSourceRow {
  return { columns: e, keys: e.props };
}
