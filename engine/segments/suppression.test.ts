import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_CATALOGUE } from '../catalogue/default.ts';
import { evaluateRule } from '../compiler/evaluate.ts';
import { isSegstreamError } from '../errors/errors.ts';
import type { Rule } from '../rules/schema.ts';
import { insertPlayers, type PlayerRow } from '../store/players.ts';
import { testDatabase, type TestDatabase } from '../../test/support/isolation.ts';
import { loadSuppression, suppressedRule } from './suppression.ts';

const AS_OF = Date.parse('2026-06-01T12:00:00Z');
const subscribed = { marketing_email: true, marketing_sms: false, marketing_push: null };

// Each player: whether the default suppression catches them.
const CASES: Array<[string, Partial<PlayerRow>, boolean]> = [
  ['self-excluded', { ...subscribed, self_excluded: true }, true],
  ['not self-excluded', { ...subscribed, self_excluded: false }, false],
  ['closed account', { ...subscribed, account_status: 'closed' }, true],
  ['active account', { ...subscribed, account_status: 'active' }, false],
  ['cooling off until tomorrow', { ...subscribed, cooling_off_until: AS_OF + 86_400_000 }, true],
  ['cooling off ended yesterday', { ...subscribed, cooling_off_until: AS_OF - 86_400_000 }, false],
  ['cooling off ends exactly now', { ...subscribed, cooling_off_until: AS_OF }, false],
  ['no consent on any channel', { marketing_email: false, marketing_sms: null }, true],
  ['consent to push only', { marketing_push: true }, false],
];

describe('global suppression (real ClickHouse)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await testDatabase('suppression');
    await insertPlayers(
      db.store,
      CASES.map(([name, row]) => ({ player_id: name, version: 1, ...row })),
    );
  });
  afterAll(() => db.drop());

  const ctx = {
    catalogue: DEFAULT_CATALOGUE,
    timezone: 'UTC',
    asOf: AS_OF,
    resolveSegment: () => undefined,
  };

  it('suppresses exactly the players the default group describes', async () => {
    const everyone: Rule = { include: { all: [{ field: 'player_id', op: 'is_set' }] } };
    const suppression = loadSuppression(DEFAULT_CATALOGUE);
    const suppressed = await evaluateRule(db.store, suppressedRule(everyone, suppression), ctx);
    const expected = CASES.filter(([, , s]) => s).map(([name]) => name);
    expect(suppressed).toEqual([...expected].sort());
  });

  it('counts only the segment members that are suppressed, keeping its exclude', async () => {
    const rule: Rule = {
      include: { all: [{ field: 'account_status', op: 'is_set' }] },
      exclude: { any: [{ field: 'account_status', op: 'eq', value: 'active' }] },
    };
    const suppressed = await evaluateRule(
      db.store,
      suppressedRule(rule, loadSuppression(DEFAULT_CATALOGUE)),
      ctx,
    );
    expect(suppressed).toEqual(['closed account']);
  });
});

describe('loadSuppression', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suppression-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads an operator file', () => {
    const file = path.join(dir, 'ok.json');
    fs.writeFileSync(file, JSON.stringify({ any: [{ field: 'country', op: 'eq', value: 'TR' }] }));
    expect(loadSuppression(DEFAULT_CATALOGUE, file)).toEqual({
      any: [{ field: 'country', op: 'eq', value: 'TR' }],
    });
  });

  it.each([
    ['not JSON', '{', 'CONFIG_INVALID', undefined],
    [
      'unknown field',
      '{"any":[{"field":"nope","op":"is_set"}]}',
      'RULE_UNKNOWN_FIELD',
      'suppression.include.any[0].field',
    ],
  ])('refuses a file that is %s', (_name, text, code, where) => {
    const file = path.join(dir, `${code}.json`);
    fs.writeFileSync(file, text);
    try {
      loadSuppression(DEFAULT_CATALOGUE, file);
      expect.unreachable();
    } catch (err) {
      expect(isSegstreamError(err)).toBe(true);
      if (!isSegstreamError(err)) return;
      expect(err.code).toBe(code);
      if (where !== undefined) expect(err.details.path).toBe(where);
    }
  });
});
