import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createStore } from './clickhouse.ts';
import { migrate, readMigrations, splitStatements } from './migrate.ts';
import { uniqueName } from '../../test/support/isolation.ts';

describe('splitStatements', () => {
  it.each([
    ['one statement', 'CREATE TABLE a (x UInt8) ENGINE = Memory', 1],
    [
      'two statements',
      'CREATE TABLE a (x UInt8) ENGINE = Memory;\nCREATE TABLE b (y UInt8) ENGINE = Memory',
      2,
    ],
    ['comments only', '-- nothing here\n-- at all', 0],
    ['trailing semicolon', 'SELECT 1;\n', 1],
  ])('%s', (_name, sql, count) => {
    expect(splitStatements(sql)).toHaveLength(count);
  });
});

describe('migrate (real ClickHouse)', () => {
  const url = inject('clickhouseUrl');
  const database = uniqueName('migrate');
  const store = createStore({ url, database });
  afterAll(async () => {
    await store.exec(`DROP DATABASE IF EXISTS ${database}`);
    await store.close();
  });

  it('applies every migration once and is idempotent', async () => {
    const first = await migrate({ url, database });
    expect(first).toEqual(readMigrations().map((m) => m.name));
    const second = await migrate({ url, database });
    expect(second).toEqual([]);

    const tables = await store.rows<{ name: string }>(
      `SELECT name FROM system.tables WHERE database = '${database}' ORDER BY name`,
    );
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        'actions',
        'events',
        'membership_transitions',
        'players',
        'retention_lists',
        'schema_migrations',
        'segment_versions',
        'static_segment_members',
      ]),
    );
    const recorded = await store.rows<{ n: number }>('SELECT count() AS n FROM schema_migrations');
    expect(recorded[0]?.n).toBe(readMigrations().length);
  });
});
