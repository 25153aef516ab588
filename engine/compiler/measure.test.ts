// Measures how long a compiled 30-day deposit-sum segment takes over ~2M generated events. It
// only reports (no timed assertions) and runs only when asked:
//   SEGSTREAM_MEASURE=1 npx vitest run engine/compiler/measure.test.ts
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../../test/support/isolation.ts';
import { compileMembersQuery } from './query.ts';
import { AS_OF, contextFor, valid } from './test-support.ts';

const EVENTS = 2_000_000;
const PLAYERS = 50_000;
const DAYS = 180;
const RUNS = 15;

const RULE = valid({
  include: {
    all: [
      {
        list: 'deposits',
        window: { last: 30, unit: 'day' },
        measure: { sum: 'amount' },
        op: 'gte',
        value: 1000,
      },
    ],
  },
});

describe.skipIf(!process.env.SEGSTREAM_MEASURE)('compiled query timing (2M events)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await testDatabase('compiler_measure');
    const asOf = Math.floor(AS_OF / 1000);
    await db.store.exec(
      `INSERT INTO players (player_id, version)
       SELECT concat('p', toString(number)), 1 FROM numbers(${PLAYERS})`,
    );
    // Four event types spread evenly over the last DAYS days; amounts 0.00 to 999.99.
    await db.store.exec(
      `INSERT INTO events (event_id, player_id, type, event_time, amount, payment_method)
       SELECT
         toString(number),
         concat('p', toString(number % ${PLAYERS})),
         ['deposit', 'bet', 'win', 'login'][(number + intDiv(number, ${PLAYERS})) % 4 + 1],
         toDateTime(${asOf} - (number * 7919) % ${DAYS * 86_400}, 'UTC'),
         toDecimal64(toString((number * 31) % 100000), 4) / 100,
         'card'
       FROM numbers(${EVENTS})`,
    );
  }, 300_000);
  afterAll(() => db.drop());

  async function timed(sql: string): Promise<{ n: number; medianMs: number; minMs: number }> {
    const times: number[] = [];
    let n = 0;
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      const rows = await db.store.rows<{ n: number }>(`SELECT count() AS n FROM (${sql})`);
      times.push(performance.now() - started);
      n = rows[0]!.n;
    }
    times.sort((a, b) => a - b);
    const ms = (t: number) => Math.round(t * 10) / 10;
    return { n, medianMs: ms(times[Math.floor(times.length / 2)]!), minMs: ms(times[0]!) };
  }

  it('reports the median time of the members query', async () => {
    const members = await timed(compileMembersQuery(RULE, contextFor()));
    // For comparison, the bare aggregate without the players join: prefiltered, and full scan.
    const since = `toDateTime(${Math.floor(AS_OF / 1000) - 30 * 86_400}, 'UTC')`;
    const until = `toDateTime(${Math.floor(AS_OF / 1000)}, 'UTC')`;
    const sum = `sumIf(amount, type = 'deposit' AND event_time > ${since}) >= 1000`;
    const prefiltered = await timed(
      `SELECT player_id FROM events
       WHERE type = 'deposit' AND event_time > ${since} AND event_time <= ${until}
       GROUP BY player_id HAVING ${sum}`,
    );
    const fullScan = await timed(`SELECT player_id FROM events GROUP BY player_id HAVING ${sum}`);
    console.info({ events: EVENTS, players: PLAYERS, members, prefiltered, fullScan });
    expect(members.n).toBe(prefiltered.n);
  });
});
