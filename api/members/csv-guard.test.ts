import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../../test/support/isolation.ts';
import { CsvGuard, CsvStructureError, guarded } from './csv-guard.ts';

/** Checks `text` cut into chunks at every position (and in one piece); returns the rows. */
function checkEverySplit(text: string): number[] {
  const bytes = Buffer.from(text, 'utf8');
  const rows: number[] = [];
  for (let cut = 0; cut <= bytes.length; cut++) {
    const guard = new CsvGuard();
    guard.check(bytes.subarray(0, cut));
    guard.check(bytes.subarray(cut));
    guard.end();
    rows.push(guard.rows);
  }
  return [...new Set(rows)];
}

describe('CsvGuard', () => {
  it.each<[string, string, number]>([
    ['nothing at all', '', 0],
    ['one cell', '"a"\n', 1],
    ['cells and rows', '"a","b"\n"c",""\n', 2],
    ['doubled quotes', '"say ""hi""",""""\n', 1],
    ['line breaks and commas inside cells', '"a\nb","c,d","\r\n"\n"x"\n', 2],
    ['unicode', '"Zürich 日本 🎰"\n', 1],
  ])('passes %s whatever the chunks', (_name, text, rows) => {
    expect(checkEverySplit(text)).toEqual([rows]);
  });

  it.each<[string, string]>([
    ['an exception after the rows', '"a"\nCode: 159, e.displayText() = DB::Exception: Timeout\n'],
    ['an unquoted cell', '"a",1\n'],
    ['an unquoted row', '1,2\n'],
    ['a stray byte after a cell', '"a"x\n'],
  ])('refuses %s', (_name, text) => {
    const guard = new CsvGuard();
    expect(() => guard.check(Buffer.from(text))).toThrow(CsvStructureError);
  });

  it.each<[string, string]>([
    ['inside a cell', '"a","b'],
    ['right after a closing quote', '"a","b"'],
    ['after a comma', '"a",'],
  ])('refuses an output that ends %s', (_name, text) => {
    const guard = new CsvGuard();
    guard.check(Buffer.from(text));
    expect(() => guard.end()).toThrow(CsvStructureError);
  });
});

describe('guarded ClickHouse CSV (real ClickHouse)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await testDatabase('csv_guard');
  });
  afterAll(() => db.drop());

  const csv = async (sql: string) => {
    const result = await db.store.client.exec({
      query: `${sql} FORMAT CSV`,
      clickhouse_settings: { max_block_size: '1000' },
    });
    const guard = new CsvGuard();
    const run = async () => {
      for await (const chunk of guarded(result.stream as AsyncIterable<Uint8Array>, guard)) {
        expect(chunk.length).toBeGreaterThan(0);
      }
    };
    return { run, guard };
  };

  it('passes a whole answer and counts its rows', async () => {
    const out = await csv(`SELECT toString(number), 'a"b\nc' FROM numbers(50000)`);
    await out.run();
    expect(out.guard.rows).toBe(50_000);
  });

  it('stops at the exception ClickHouse appends to a 200 answer that failed midway', async () => {
    // Past ClickHouse's response buffer (about 1 MB here), so the 200 is already sent.
    const out = await csv(`SELECT toString(number), toString(throwIf(number = 100000))
      FROM numbers(200000)`);
    await expect(out.run()).rejects.toThrow(CsvStructureError);
    expect(out.guard.rows).toBeGreaterThan(0);
    expect(out.guard.rows).toBeLessThanOrEqual(100_000);
  });
});
