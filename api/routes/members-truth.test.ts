// One truth: after a random stream of events and profile changes evaluated tick by tick, at every
// quiet moment (the step done, the journal written) each segment's count, its member list (all
// pages), its export, is-member, the replay of its transitions and a from-scratch evaluateRule
// name the same players.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { event, HOUR } from '../../engine/evaluator/test-support.ts';
import { insertEvents } from '../../engine/store/events.ts';
import { insertPlayers } from '../../engine/store/players.ts';
import { memberFixture, type MemberFixture } from '../members/test-support.ts';

const all = (...items: unknown[]) => ({ include: { all: items } });
const SEGMENTS: Record<string, unknown> = {
  depositors: all({
    list: 'deposits',
    window: { last: 2, unit: 'day' },
    measure: { sum: 'amount' },
    op: 'gte',
    value: 50,
  }),
  active: all({
    list: 'logins',
    window: { last: 1, unit: 'day' },
    measure: 'count',
    op: 'gte',
    value: 1,
  }),
  vip: all({ field: 'vip_level', op: 'gte', value: 2 }),
  'de-vip': {
    include: {
      all: [
        { segment: 'vip', op: 'in' },
        { field: 'country', op: 'eq', value: 'DE' },
      ],
    },
  },
};
const IDS = Object.keys(SEGMENTS);
const PLAYERS = 40;

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

let f: MemberFixture;
const rand = random(20_261_204);
const pick = (n: number) => Math.floor(rand() * n);

beforeAll(async () => {
  f = await memberFixture('members_truth');
  await insertPlayers(
    f.api.db.store,
    Array.from({ length: PLAYERS }, (_, i) => ({ player_id: `p${i}`, version: 1, country: 'AT' })),
  );
  for (const id of IDS) await f.segment(id, SEGMENTS[id]);
  await f.engine.step();
});
afterAll(() => f.close());

async function round(n: number): Promise<void> {
  const store = f.api.db.store;
  const events = Array.from({ length: 20 }, () => {
    const type = rand() < 0.6 ? 'deposit' : 'login';
    const time = f.clock.now - pick(3 * 24) * HOUR;
    const amount = type === 'deposit' ? (rand() * 40).toFixed(2) : null;
    return event(`p${pick(PLAYERS)}`, type, time, { amount });
  });
  await insertEvents(store, events);
  const profiles = Array.from({ length: 5 }, () => ({
    player_id: `p${pick(PLAYERS)}`,
    version: n + 2,
    country: rand() < 0.5 ? 'DE' : 'AT',
    vip_level: pick(4),
  }));
  await insertPlayers(store, profiles);
  await f.engine.step();
}

async function memberList(id: string): Promise<{ ids: string[]; counts: number[] }> {
  const ids: string[] = [];
  const counts: number[] = [];
  for (let offset = 0; ; offset += 7) {
    const res = await f.api.as('editor').get(`/v1/segments/${id}/members?limit=7&offset=${offset}`);
    const page = res.json<{ count: number; members: { player_id: string }[] }>();
    counts.push(page.count);
    ids.push(...page.members.map((m) => m.player_id));
    if (page.members.length < 7) return { ids, counts };
  }
}

async function exportIds(id: string): Promise<string[]> {
  const res = await f.api.as('editor').get(`/v1/segments/${id}/export.csv?columns=country`);
  const [, ...rows] = parse(res.body) as string[][];
  return rows.map((r) => r[0]!);
}

async function replayed(id: string): Promise<string[]> {
  const res = await f.api.as('viewer').get(`/v1/segments/${id}/transitions?limit=1000`);
  const rows = res.json<{ transitions: { player_id: string; kind: string }[] }>().transitions;
  expect(rows.length).toBeLessThan(1000);
  const last = new Map<string, string>();
  for (const t of [...rows].reverse()) last.set(t.player_id, t.kind);
  return [...last].filter(([, kind]) => kind === 'entered').map(([p]) => p);
}

async function agree(id: string): Promise<number> {
  await f.engine.drainJournal();
  const expected = await f.expected(id);
  const status = (await f.api.as('viewer').get(`/v1/segments/${id}`)).json().status;
  const list = await memberList(id);
  const exported = await exportIds(id);

  expect(status.count).toBe(expected.length);
  expect(new Set(list.counts)).toEqual(new Set([expected.length]));
  expect([...list.ids].sort()).toEqual(expected);
  expect(exported).toEqual(list.ids);
  expect((await replayed(id)).sort()).toEqual(expected);
  for (const player of ['p0', 'p7', 'p13', 'p21', 'p39']) {
    const res = await f.api.as('viewer').get(`/v1/segments/${id}/members/${player}`);
    expect(res.json().member, `${id} has ${player}`).toBe(expected.includes(player));
  }
  return expected.length;
}

describe('count == member list == export == evaluateRule, at quiet moments', () => {
  it.each([1, 2, 3])('after stretch %i of the stream', async (stretch) => {
    for (let i = 0; i < 4; i++) await round(stretch * 4 + i);
    const sizes = [];
    for (const id of IDS) sizes.push(await agree(id));
    // The stream must have made members, or the agreement says little.
    expect(sizes.every((n) => n > 0)).toBe(true);
  });

  it("lists each player's segments as the members say", async () => {
    const members = new Map<string, string[]>();
    for (const id of IDS) members.set(id, await f.expected(id));
    for (let i = 0; i < PLAYERS; i++) {
      const res = await f.api.as('viewer').get(`/v1/players/p${i}/segments`);
      const ids = res.json().segments.map((s: { id: string }) => s.id);
      expect(ids).toEqual(IDS.filter((id) => members.get(id)!.includes(`p${i}`)).sort());
    }
  });
});
