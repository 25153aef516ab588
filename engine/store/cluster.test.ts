import { describe, expect, it } from 'vitest';
import { readMigrations } from './migrate.ts';
import { placeStatement, SHARDED_TABLES, type Placement } from './cluster.ts';

const CLUSTER = { name: 'shards', nodeUrls: ['http://ch1:8123', 'http://ch2:8123'] };
const DISTRIBUTED = (t: string) =>
  `CREATE TABLE IF NOT EXISTS ${t} AS ${t}_local ENGINE = Distributed(shards, crm, ${t}_local, cityHash64(player_id))`;

const CASES: ReadonlyArray<[string, string, Placement[]]> = [
  [
    'a sharded table becomes a local table and a Distributed one, on every node',
    'CREATE TABLE IF NOT EXISTS events (player_id String) ENGINE = MergeTree ORDER BY player_id',
    [
      {
        everyNode: true,
        sql: 'CREATE TABLE IF NOT EXISTS events_local (player_id String) ENGINE = MergeTree ORDER BY player_id',
      },
      { everyNode: true, sql: DISTRIBUTED('events') },
    ],
  ],
  [
    'an ALTER of a sharded table changes both, on every node',
    'ALTER TABLE players ADD COLUMN x String',
    [
      { everyNode: true, sql: 'ALTER TABLE players_local ADD COLUMN x String' },
      { everyNode: true, sql: 'ALTER TABLE players ADD COLUMN x String' },
    ],
  ],
  [
    'a table not keyed by player stays on the main node',
    'CREATE TABLE IF NOT EXISTS segment_versions (segment_id String) ENGINE = MergeTree ORDER BY segment_id',
    [
      {
        everyNode: false,
        sql: 'CREATE TABLE IF NOT EXISTS segment_versions (segment_id String) ENGINE = MergeTree ORDER BY segment_id',
      },
    ],
  ],
  [
    'a name that only starts like a sharded table is not one',
    'CREATE TABLE IF NOT EXISTS events_archive (player_id String) ENGINE = Log',
    [
      {
        everyNode: false,
        sql: 'CREATE TABLE IF NOT EXISTS events_archive (player_id String) ENGINE = Log',
      },
    ],
  ],
  [
    'an ALTER of another table stays on the main node',
    'ALTER TABLE membership_transitions ADD COLUMN seq UInt64 DEFAULT 0',
    [
      {
        everyNode: false,
        sql: 'ALTER TABLE membership_transitions ADD COLUMN seq UInt64 DEFAULT 0',
      },
    ],
  ],
];

describe('placeStatement', () => {
  it.each(CASES)('%s', (_, statement, expected) => {
    expect(placeStatement(statement, CLUSTER, 'crm')).toEqual(expected);
  });

  it('refuses a cluster name that is not an identifier', () => {
    const create = 'CREATE TABLE IF NOT EXISTS events (player_id String) ENGINE = Log';
    expect(() => placeStatement(create, { ...CLUSTER, name: 'a,b' }, 'crm')).toThrow(RangeError);
  });

  it('shards every table of the migrations that is keyed by player, and only those', () => {
    const sharded = readMigrations()
      .flatMap((m) => m.statements)
      .flatMap((s) => placeStatement(s, CLUSTER, 'crm'))
      .filter((p) => p.everyNode && p.sql.includes('Distributed('))
      .map((p) => /EXISTS (\w+)/.exec(p.sql)?.[1]);
    expect(sharded.sort()).toEqual([...SHARDED_TABLES].sort());
  });
});
