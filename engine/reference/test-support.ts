// Fixtures of the reference evaluator's tests: four players (p4 has two profile versions) and
// a deposit builder; evaluate() runs one rule item at 2024-04-01T12:00:00Z.
import { DEFAULT_CATALOGUE } from '../catalogue/default.ts';
import type { Item } from '../rules/schema.ts';
import type { EventRow } from '../store/events.ts';
import type { PlayerRow } from '../store/players.ts';
import type { ReferenceData } from './data.ts';
import { referenceEvaluate, type ReferenceContext } from './evaluate.ts';

export const AS_OF = '2024-04-01T12:00:00Z';
const at = (iso: string) => Date.parse(iso);

let nextId = 0;
export function deposit(
  player: string,
  time: string,
  amount?: string,
  extra: Partial<EventRow> = {},
): EventRow {
  nextId += 1;
  return {
    event_id: `e${nextId}`,
    player_id: player,
    type: 'deposit',
    event_time: at(time),
    amount,
    ...extra,
  };
}

export const PLAYERS: PlayerRow[] = [
  { player_id: 'p1', version: 1, country: 'DE' },
  { player_id: 'p2', version: 1, country: 'AT', language: '' },
  { player_id: 'p3', version: 1 },
  // p4's latest profile has no country.
  { player_id: 'p4', version: 2 },
  { player_id: 'p4', version: 1, country: 'DE' },
];

export function evaluate(
  item: Item,
  events: EventRow[],
  opts: Partial<ReferenceContext> = {},
  staticSegments: ReferenceData['staticSegments'] = {},
): string[] {
  const data: ReferenceData = { players: PLAYERS, events, staticSegments };
  return referenceEvaluate({ include: { all: [item] } }, data, context(opts));
}

export function context(opts: Partial<ReferenceContext>): ReferenceContext {
  return {
    catalogue: DEFAULT_CATALOGUE,
    timezone: 'UTC',
    asOf: at(AS_OF),
    resolveSegment: () => undefined,
    ...opts,
  };
}
