// A cancelled query is killed on the server too (real ClickHouse): aborting only the HTTP request
// would leave it running there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../../test/support/isolation.ts';
import { cancellable } from './cancellable.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await testDatabase('cancellable');
});
afterAll(() => db.drop());

async function running(label: string): Promise<number> {
  const rows = await db.store.rows<{ n: number }>(
    `SELECT count() AS n FROM system.processes WHERE query_id LIKE 'segstream-${label}-%'`,
  );
  return Number(rows[0]?.n ?? 0);
}

describe('cancellable', () => {
  it('answers with the result when not aborted', async () => {
    const rows = await cancellable(db.store, new AbortController().signal, 'ok', (q) =>
      db.store.rows<{ x: number }>('SELECT 1 AS x', q),
    );
    expect(rows).toEqual([{ x: 1 }]);
  });

  it('kills the query on the server when aborted', async () => {
    const controller = new AbortController();
    const slow = cancellable(db.store, controller.signal, 'slow', (q) =>
      // Many blocks (ClickHouse checks for a kill between blocks), tens of seconds of work.
      db.store.rows('SELECT sum(sipHash64(number)) AS s FROM numbers(50000000000)', q),
    );
    const deadline = Date.now() + 2_000;
    while ((await running('slow')) === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await running('slow')).toBe(1);
    const started = Date.now();
    controller.abort(new Error('superseded'));
    await expect(slow).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2_000);
    // KILL QUERY ... ASYNC: the server stops it shortly after.
    const gone = Date.now() + 2_500;
    while ((await running('slow')) > 0 && Date.now() < gone) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await running('slow')).toBe(0);
  });
});
