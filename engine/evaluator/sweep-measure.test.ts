// A measurement, not a test of speed: a sweep of 20 segments over 100k players and 1M events,
// generated inside ClickHouse. Skipped unless SEGSTREAM_MEASURE=1 (it takes about a minute);
// prints the figures. The bench/ suite will hold the real targets.
//   SEGSTREAM_MEASURE=1 npx vitest run engine/evaluator/sweep-measure.test.ts
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from './engine.ts';
import { harness, type Harness } from './test-support.ts';

const PLAYERS = Number(process.env.SEGSTREAM_MEASURE_PLAYERS ?? 100_000);
const EVENTS = Number(process.env.SEGSTREAM_MEASURE_EVENTS ?? 1_000_000);

const count = (list: string, op: string, value: number, window?: object) => ({
  include: { all: [{ list, measure: 'count', op, value, ...(window ? { window } : {}) }] },
});
const sum = (value: number, last: number) => ({
  include: {
    all: [
      {
        list: 'deposits',
        window: { last, unit: 'day' },
        measure: { sum: 'amount' },
        op: 'gte',
        value,
      },
    ],
  },
});
const attribute = (field: string, op: string, value: unknown) => ({
  include: { all: [{ field, op, value }] },
});

const SEGMENTS: Record<string, unknown> = {
  s01: sum(500, 30),
  s02: sum(2_000, 90),
  s03: count('deposits', 'gte', 3, { last: 7, unit: 'day' }),
  s04: count('deposits', 'eq', 0, { last: 14, unit: 'day' }),
  s05: count('bets', 'gte', 10, { last: 30, unit: 'day' }),
  s06: count('logins', 'gte', 1, { last: 1, unit: 'day' }),
  s07: count('logins', 'eq', 0, { last: 30, unit: 'day' }),
  s08: count('withdrawals', 'gte', 1, { calendar: 'this_month' }),
  s09: count('wins', 'gte', 5),
  s10: attribute('country', 'in', ['DE', 'AT']),
  s11: attribute('vip_level', 'gte', 3),
  s12: {
    include: {
      all: [
        { field: 'country', op: 'eq', value: 'DE' },
        { list: 'bets', window: { last: 7, unit: 'day' }, measure: 'count', op: 'gte', value: 2 },
      ],
    },
  },
  s13: {
    include: {
      all: [
        { segment: 's01', op: 'in' },
        { segment: 's11', op: 'in' },
      ],
    },
  },
  s14: {
    include: { all: [{ segment: 's10', op: 'in' }] },
    exclude: { any: [{ segment: 's06', op: 'in' }] },
  },
  s15: {
    include: {
      all: [
        {
          list: 'deposits',
          window: { last: 30, unit: 'day' },
          measure: { avg: 'amount' },
          op: 'gte',
          value: 500,
        },
      ],
    },
  },
  s16: {
    include: {
      all: [
        {
          list: 'deposits',
          window: { last: 30, unit: 'day' },
          measure: 'count_days',
          op: 'gte',
          value: 3,
        },
      ],
    },
  },
  s17: {
    include: {
      all: [
        {
          list: 'bets',
          window: { last: 30, unit: 'day' },
          measure: { max: 'amount' },
          op: 'gte',
          value: 900,
        },
      ],
    },
  },
  s18: count('deposits', 'gte', 1, { calendar: 'yesterday' }),
  s19: {
    include: {
      any: [
        {
          list: 'deposits',
          window: { last: 3, unit: 'day' },
          measure: 'count',
          op: 'gte',
          value: 2,
        },
        { field: 'vip_level', op: 'eq', value: 5 },
      ],
    },
  },
  s20: attribute('country', 'neq', 'SE'),
};

describe.skipIf(process.env.SEGSTREAM_MEASURE !== '1')('sweep measurement', () => {
  let h: Harness;
  let engine: Engine;

  beforeAll(async () => {
    h = await harness('engine_measure');
    const started = Date.now();
    await h.db.store.exec(`INSERT INTO players (player_id, version, country, vip_level)
      SELECT concat('p', toString(number)), 1, ['DE', 'AT', 'CH', 'SE'][number % 4 + 1],
        toInt32(number % 6)
      FROM numbers(${PLAYERS})`);
    await h.db.store.exec(`INSERT INTO events (event_id, player_id, type, event_time, amount)
      SELECT concat('e', toString(number)), concat('p', toString(intHash32(number) % ${PLAYERS})),
        ['deposit', 'bet', 'login', 'withdrawal', 'win'][number % 5 + 1],
        toDateTime(${Math.floor(h.clock.now / 1000)} - intHash32(number + 7) % (90 * 86400)),
        toDecimal64(intHash32(number + 3) % 1000, 4)
      FROM numbers(${EVENTS})`);
    console.log(`generated ${PLAYERS} players, ${EVENTS} events in ${Date.now() - started} ms`);
    for (const [id, rule] of Object.entries(SEGMENTS)) {
      await h.repo.create({ name: id, rule }, { createdBy: 't', id });
    }
    engine = h.engine({ computeTimeoutMs: 300_000 });
  }, 300_000);
  afterAll(() => h.close());

  it('measures the first evaluation and a steady-state sweep', async () => {
    const rss = () => Math.round(process.memoryUsage().rss / 1_048_576);
    let started = Date.now();
    const first = await engine.step();
    console.log(`first step (compute 20 + sweep): ${Date.now() - started} ms, rss ${rss()} MB`);
    const counts = await Promise.all(Object.keys(SEGMENTS).map((id) => h.reader.count(id)));
    console.log(`members: ${counts.join(' ')}`);

    for (let i = 0; i < 3; i++) {
      engine.requestSweep();
      started = Date.now();
      const report = await engine.step();
      const sweep = report.role === 'leader' ? report.sweep : undefined;
      console.log(
        `steady sweep: ${Date.now() - started} ms (evaluate+diff+apply ${sweep?.durationMs} ms,` +
          ` changes ${(sweep?.entered ?? 0) + (sweep?.exited ?? 0)}), rss ${rss()} MB`,
      );
    }
    started = Date.now();
    await engine.drainJournal();
    console.log(`journal of the first evaluation written in ${Date.now() - started} ms`);
    expect(first.role).toBe('leader');
  }, 600_000);
});
