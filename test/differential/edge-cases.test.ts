// Hand-written cases for the tricky points of docs/rules.md, each with the members the
// specification asks for. Both the reference and ClickHouse must give exactly those, so a
// failure here names the side that is wrong (the random cases only say that they differ).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceEvaluate } from '../../engine/reference/index.ts';
import type { PlayerRow } from '../../engine/store/players.ts';
import { testDatabase, type TestDatabase } from '../support/isolation.ts';
import type { DifferentialCase } from './cases.ts';
import { TEST_CATALOGUE } from './catalogue.ts';
import { clickhouseMembers } from './clickhouse-case.ts';
import { BIRTH_CASES } from './edge-cases-birth.ts';
import { referenceContext } from './contexts.ts';
import { TIME_CASES } from './edge-cases-time.ts';
import { VALUE_CASES } from './edge-cases-values.ts';
import type { EdgeCase } from './edge-cases.ts';

const EDGE_CASES: EdgeCase[] = [...TIME_CASES, ...VALUE_CASES, ...BIRTH_CASES];

const DEFAULT_PLAYERS: PlayerRow[] = ['a', 'b', 'c'].map((player_id) => ({
  player_id,
  version: 1,
}));

function toCase(e: EdgeCase): DifferentialCase {
  const rule = 'include' in e.rule ? e.rule : { include: { all: [e.rule] } };
  return {
    timezone: e.timezone ?? 'UTC',
    asOf: Date.parse(e.asOf),
    rule,
    players: e.players ?? DEFAULT_PLAYERS,
    events: e.events ?? [],
    staticSegments: e.staticSegments ?? {},
    segments: e.segments ?? [],
  };
}

describe('edge cases: reference and ClickHouse against the specification', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await testDatabase('edge')));
  afterAll(() => db.drop());

  it.each(EDGE_CASES)('reference: $name', (e) => {
    const c = toCase(e);
    expect(referenceEvaluate(c.rule, c, referenceContext(c, TEST_CATALOGUE))).toEqual(e.expected);
  });

  it.each(EDGE_CASES)('clickhouse: $name', async (e) => {
    const members = await clickhouseMembers(db.store, toCase(e), TEST_CATALOGUE);
    expect([...members].sort()).toEqual(e.expected);
  });
});
