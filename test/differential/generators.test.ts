// Checks of the generators themselves, without ClickHouse: every generated rule passes the
// validator, and the reference evaluator keeps the algebra of the rule language on them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceEvaluate } from '../../engine/reference/index.ts';
import type { Rule } from '../../engine/rules/schema.ts';
import { validateRule } from '../../engine/rules/validate.ts';
import { caseArb, type DifferentialCase } from './cases.ts';
import { TEST_CATALOGUE } from './catalogue.ts';
import { referenceContext } from './contexts.ts';

const RUNS = 300;

function members(c: DifferentialCase, rule: Rule): string[] {
  return referenceEvaluate(rule, c, referenceContext(c, TEST_CATALOGUE));
}

describe('differential case generator', () => {
  it('generates rules that pass validateRule', () => {
    fc.assert(
      fc.property(caseArb(TEST_CATALOGUE), (c) => {
        validateRule(c.rule, TEST_CATALOGUE);
        for (const s of c.segments) validateRule(s.rule, TEST_CATALOGUE);
      }),
      { numRuns: RUNS, seed: 1 },
    );
  });

  it('reference: include minus exclude, and not as the complement', () => {
    fc.assert(
      fc.property(caseArb(TEST_CATALOGUE), (c) => {
        const universe = members(c, { include: { all: [{ field: 'player_id', op: 'is_set' }] } });
        const include = members(c, { include: c.rule.include });
        const negated = members(c, { include: { all: [{ not: c.rule.include }] } });
        expect([...include, ...negated].sort()).toEqual(universe);
        if (c.rule.exclude) {
          const excluded = new Set(members(c, { include: c.rule.exclude }));
          expect(members(c, c.rule)).toEqual(include.filter((id) => !excluded.has(id)));
        }
      }),
      { numRuns: RUNS, seed: 2 },
    );
  });
});
