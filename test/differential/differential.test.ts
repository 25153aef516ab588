// Differential test: random rules over random players and events, evaluated by the ClickHouse
// compiler (engine/compiler/evaluate.ts) and by the in-process reference (engine/reference/),
// must give the same members. A mismatch prints the shrunk case (see report.ts).
//
// FC_SEED (default 20240331) and FC_RUNS (default 300) change the seed and number of cases;
// FC_PATH replays one failing case from a previous run's "path".
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { referenceEvaluate } from '../../engine/reference/index.ts';
import { testDatabase, type TestDatabase } from '../support/isolation.ts';
import { caseArb, type DifferentialCase } from './cases.ts';
import { TEST_CATALOGUE } from './catalogue.ts';
import { clickhouseMembers } from './clickhouse-case.ts';
import { referenceContext } from './contexts.ts';
import { describeMismatch, sameMembers, type Outcome } from './report.ts';

const SEED = Number(process.env.FC_SEED ?? 20240331);
const RUNS = Number(process.env.FC_RUNS ?? 300);
const PATH = process.env.FC_PATH;

describe('compiler versus reference (real ClickHouse)', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await testDatabase('differential')));
  afterAll(() => db.drop());

  async function check(c: DifferentialCase): Promise<void> {
    const reference = referenceEvaluate(c.rule, c, referenceContext(c, TEST_CATALOGUE));
    let clickhouse: Outcome['clickhouse'];
    try {
      clickhouse = await clickhouseMembers(db.store, c, TEST_CATALOGUE);
    } catch (err) {
      clickhouse = { error: err instanceof Error ? err.message : String(err) };
    }
    const agree = Array.isArray(clickhouse) && sameMembers(reference, clickhouse);
    if (!agree) throw new Error(describeMismatch(c, { reference, clickhouse }));
  }

  // A case takes about 0.1-0.3 s; shrinking a failure costs one round trip per step.
  const timeout = Math.max(900_000, RUNS * 2_000);
  it(`agrees on ${RUNS} random cases (seed ${SEED})`, { timeout }, async () => {
    await fc.assert(fc.asyncProperty(caseArb(TEST_CATALOGUE), check), {
      seed: SEED,
      numRuns: RUNS,
      ...(PATH ? { path: PATH } : {}),
      includeErrorInReport: true,
    });
  });
});
