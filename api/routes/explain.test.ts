// GET /v1/segments/:id/explain/:playerId against real ClickHouse, Redis and the real engine:
// each condition with the player's value and whether it matched, the overall answer equal to
// the engine's membership, anonymized values masked, static lists and references explained.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertEvents } from '../../engine/store/events.ts';
import { insertPlayers } from '../../engine/store/players.ts';
import { memberFixture, type MemberFixture } from '../members/test-support.ts';

const HOUR = 3_600_000;

let f: MemberFixture;
beforeAll(async () => {
  f = await memberFixture('explain');
  const now = f.clock.now;
  const store = f.api.db.store;
  await insertPlayers(store, [
    { player_id: 'p1', version: 1, country: 'DE', vip_level: 4, birth_date: '1990-05-01' },
    { player_id: 'p2', version: 1, country: 'DE', vip_level: 1 },
    { player_id: 'p3', version: 1, country: 'FR', vip_level: 4, self_excluded: true },
  ]);
  const deposit = (id: string, player: string, hoursAgo: number, amount: string) => ({
    ...{ event_id: id, player_id: player, type: 'deposit', amount },
    event_time: now - hoursAgo * HOUR,
  });
  await insertEvents(store, [
    deposit('d1', 'p1', 1, '20.00'),
    deposit('d2', 'p1', 30, '30.50'),
    deposit('d3', 'p1', 24 * 40, '1000.00'),
    deposit('d4', 'p2', 2, '5.00'),
  ]);
  await f.repo.create(
    { name: 'vips', static_members: ['p1', 'p3'] },
    { createdBy: 't', id: 'vips' },
  );
  await f.segment('regulars', {
    include: {
      all: [
        { field: 'country', op: 'eq', value: 'DE' },
        {
          any: [
            { field: 'vip_level', op: 'gte', value: 3 },
            { segment: 'vips', op: 'in' },
          ],
        },
        {
          ...{ list: 'deposits', window: { last: 7, unit: 'day' }, measure: { sum: 'amount' } },
          ...{ op: 'gte', value: 25 },
        },
        { field: 'birth_date', op: 'is_set' },
      ],
    },
    exclude: { any: [{ field: 'self_excluded', op: 'is_true' }] },
  });
  await f.engine.step();
});
afterAll(() => f.close());

const explain = async (segment: string, player: string) => {
  const res = await f.api.as('editor').get(`/v1/segments/${segment}/explain/${player}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

describe('explain', () => {
  it('shows each condition with the value and the match, agreeing with the engine', async () => {
    const e = await explain('regulars', 'p1');
    expect(e).toMatchObject({
      player_id: 'p1',
      has_profile: true,
      matched: true,
      engine_member: true,
    });
    const [country, anyOf, deposits, birth] = e.include.items;
    expect(country).toMatchObject({ kind: 'attribute', value: 'DE', matched: true, masked: false });
    expect(anyOf).toMatchObject({
      kind: 'any',
      matched: true,
      items: [
        { kind: 'attribute', value: '4', matched: true },
        { kind: 'segment', segment: 'vips', member: true, matched: true },
      ],
    });
    // Two deposits in the last 7 days; the one 40 days ago is outside the window.
    expect(deposits).toMatchObject({ kind: 'event', value: '50.5', events: 2, matched: true });
    expect(birth).toMatchObject({ kind: 'attribute', value: '•••', masked: true, matched: true });
    expect(e.exclude).toMatchObject({
      kind: 'any',
      matched: false,
      // Never set: missing, which is_true does not match (docs/rules.md, missing values).
      items: [{ kind: 'attribute', value: null, matched: false }],
    });
  });

  it.each<[string, string, string]>([
    ['p2', 'too small a deposit sum and no VIP level, not on the list', 'include'],
    ['p3', 'in France, and self-excluded', 'exclude'],
  ])('says why %s is not a member: %s', async (player, _why, part) => {
    const e = await explain('regulars', player);
    expect([e.matched, e.engine_member]).toEqual([false, false]);
    if (part === 'include') {
      expect(e.include.matched).toBe(false);
      expect(e.include.items[2]).toMatchObject({
        kind: 'event',
        value: '5',
        events: 1,
        matched: false,
      });
      expect(e.include.items[1].items[1]).toMatchObject({ segment: 'vips', member: false });
    } else {
      expect(e.include.items[0]).toMatchObject({ value: 'FR', matched: false });
      expect(e.exclude.matched).toBe(true);
    }
  });

  it('explains a player without a profile as in no segment', async () => {
    const e = await explain('regulars', 'ghost');
    expect(e).toMatchObject({ has_profile: false, matched: false, engine_member: false });
  });

  it('explains a static segment by its uploaded list', async () => {
    const e = await explain('vips', 'p3');
    expect(e).toMatchObject({ matched: true, engine_member: true });
    expect(e.include.items[0]).toMatchObject({ kind: 'segment', segment: 'vips', member: true });
    expect((await explain('vips', 'p2')).matched).toBe(false);
  });

  it('answers 404 for an unknown segment and 403 to a viewer', async () => {
    const missing = await f.api.as('editor').get('/v1/segments/nope/explain/p1');
    expect([missing.statusCode, missing.json().code]).toEqual([404, 'NOT_FOUND']);
    const viewer = await f.api.as('viewer').get('/v1/segments/regulars/explain/p1');
    expect(viewer.statusCode).toBe(403);
  });
});
