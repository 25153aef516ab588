// How data arriving over time changes membership (docs/rules.md, "Event conditions"): duplicates
// count once, late events count in the windows that contain their timestamp, and events of a
// player without a profile count as soon as the profile arrives. Steps run in order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../../test/support/isolation.ts';
import { insertEvents, type EventRow } from '../store/events.ts';
import { insertPlayers } from '../store/players.ts';
import { allOf, AS_OF, DAY, members } from './test-support.ts';

const deposit = (id: string, player: string, time: number, amount: string): EventRow => ({
  event_id: id,
  player_id: player,
  type: 'deposit',
  event_time: time,
  amount,
});

const sumOf = (window?: unknown) =>
  allOf({
    list: 'deposits',
    measure: { sum: 'amount' },
    op: 'gte',
    value: 1,
    ...(window ? { window } : {}),
  });
const countAtLeast = (value: number, window?: unknown) =>
  allOf({ list: 'deposits', measure: 'count', op: 'gte', value, ...(window ? { window } : {}) });
const WEEK = { last: 7, unit: 'day' };

describe('membership as data arrives (real ClickHouse)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await testDatabase('compiler_semantics');
    await insertPlayers(db.store, [
      { player_id: 'dup', version: 1 },
      { player_id: 'late', version: 1 },
    ]);
  });
  afterAll(() => db.drop());

  it('counts an event ingested twice once, with its first stored copy', async () => {
    await insertEvents(db.store, [
      deposit('d1', 'dup', AS_OF - DAY, '10'),
      deposit('d1', 'dup', AS_OF - DAY, '99'),
    ]);
    await insertEvents(db.store, [deposit('d1', 'dup', AS_OF - DAY, '50')]);
    const exactlyTen = allOf({ list: 'deposits', measure: { sum: 'amount' }, op: 'eq', value: 10 });
    expect(await members(db.store, exactlyTen)).toEqual(['dup']);
    expect(await members(db.store, countAtLeast(2))).toEqual([]);
  });

  it('counts a late event with an old timestamp only in windows that contain it', async () => {
    await insertEvents(db.store, [deposit('l1', 'late', AS_OF - DAY, '5')]);
    expect(await members(db.store, countAtLeast(2, WEEK))).toEqual([]);

    await insertEvents(db.store, [deposit('l2', 'late', AS_OF - 30 * DAY, '5')]);
    expect(await members(db.store, countAtLeast(2, WEEK))).toEqual([]);
    expect(await members(db.store, countAtLeast(2))).toEqual(['late']);

    await insertEvents(db.store, [deposit('l3', 'late', AS_OF - 2 * DAY, '5')]);
    expect(await members(db.store, countAtLeast(2, WEEK))).toEqual(['late']);
  });

  it('counts the events of a player once the profile arrives', async () => {
    await insertEvents(db.store, [deposit('g1', 'ghost', AS_OF - DAY, '500')]);
    expect(await members(db.store, sumOf(WEEK))).toEqual(['dup', 'late']);
    const noDeposits = allOf({ list: 'deposits', measure: 'count', op: 'eq', value: 0 });
    expect(await members(db.store, noDeposits)).toEqual([]);

    await insertPlayers(db.store, [{ player_id: 'ghost', version: 1 }]);
    expect(await members(db.store, sumOf(WEEK))).toEqual(['dup', 'ghost', 'late']);
  });
});
