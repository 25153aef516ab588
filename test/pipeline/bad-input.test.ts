// Bad input through the HTTP API and the running pipeline (writer and engine as child
// processes): duplicate event ids, late events, events of players without a profile, events from
// the future and malformed items. Each case (bad-input-cases.ts) checks the 202 answer and the
// resulting membership, which must also equal a from-scratch evaluation.
//
// Before checking membership a step waits until what it posted is stored and a marker event
// posted after it was evaluated: only then does "nothing changed" mean the engine saw the input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlStringArray } from '../../engine/sql/literal.ts';
import { acceptedItems } from './api.ts';
import { CASES, HOUR, SEGMENTS, type Build, type Step } from './bad-input-cases.ts';
import { startPipeline, until, type Pipeline } from './pipeline.ts';
import { spawnEngine, spawnWriter } from './processes.ts';
import { converge, createSegments, expectedMembers, type Truth } from './truth.ts';

const IDS = Object.keys(SEGMENTS);
const MARKERS = 60;
const DEADLINE_MS = 60_000;

describe('bad input through the API and the running engine', () => {
  let p: Pipeline;
  let t: Truth;
  let nextMarker = 0;

  beforeAll(async () => {
    p = await startPipeline('pipeline_bad');
    t = p.truth;
    await createSegments(t, SEGMENTS);
    spawnWriter(p.services, 'writer-1');
    spawnEngine(p.services, 'engine-1');
    const markers = Array.from({ length: MARKERS }, (_, i) => ({ player_id: `marker-${i}` }));
    expect(await p.api.post('/v1/players', markers)).toMatchObject({ accepted: MARKERS });
    await until(
      'markers stored',
      () => profilesStored(t, markers),
      (n) => n === MARKERS,
      60_000,
    );
  });
  afterAll(() => p?.close());

  /**
   * Waits until the accepted items are stored, then until a marker event posted afterwards is
   * evaluated: the writer stores stream entries in order, and the tick that sees the marker
   * evaluates every player whose rows were visible before it.
   */
  async function gate(route: Step['route'], accepted: Record<string, unknown>[]): Promise<void> {
    const probe = () =>
      route === '/v1/events' ? eventsStored(t, accepted) : profilesStored(t, accepted);
    const wanted = new Set(accepted.map((i) => key(i))).size;
    await until('step stored', probe, (n) => n === wanted, DEADLINE_MS);
    const marker = `marker-${nextMarker++}`;
    const item = { event_id: `${marker}-m`, player_id: marker, type: 'deposit' };
    const reply = await p.api.post('/v1/events', [{ ...item, event_time: Date.now() - HOUR }]);
    expect(reply.accepted).toBe(1);
    const seen = () => t.reader.isMember('depositors', marker);
    await until('marker evaluated', seen, (member) => member, DEADLINE_MS);
  }

  async function membership(players: Record<string, string>): Promise<Record<string, string[]>> {
    const entries = await Promise.all(
      Object.entries(players).map(async ([local, id]) => {
        const segments = await t.reader.segmentsOf(id);
        return [local, segments.filter((s) => IDS.includes(s)).sort()] as const;
      }),
    );
    return Object.fromEntries(entries);
  }

  async function runStep(step: Step, b: Build): Promise<void> {
    const items = step.items(b);
    const body = step.ndjson
      ? items.map((i) => (typeof i === 'string' ? i : JSON.stringify(i))).join('\n')
      : items;
    const reply = await p.api.post(step.route, body);
    const answer = reply.rejected.map(({ index, code, path }) => ({ index, code, path }));
    expect({ status: reply.status, accepted: reply.accepted, rejected: answer }).toEqual({
      ...{ status: 202, accepted: step.accepted },
      rejected: step.rejected ?? [],
    });
    const accepted = acceptedItems(items, reply).filter(isRecord);
    await gate(step.route, accepted);

    const players = Object.fromEntries(Object.keys(step.members).map((l) => [l, b.player(l)]));
    const wanted = Object.fromEntries(
      Object.entries(step.members).map(([l, segments]) => [l, [...segments].sort()]),
    );
    const same = (got: Record<string, string[]>) => JSON.stringify(got) === JSON.stringify(wanted);
    const got = await until('membership', () => membership(players), same, DEADLINE_MS).catch(() =>
      membership(players),
    );
    expect(got).toEqual(wanted);
    expect(await converge(t, IDS, DEADLINE_MS)).toEqual([]);
  }

  it.each(CASES.map((c, i) => [c.name, c, `c${i}`] as const))('%s', async (_name, c, caseKey) => {
    const b = builder(caseKey);
    for (const step of c.steps) await runStep(step, b);
  });

  it('future: a deposit stamped seconds ahead counts once its time has come', async () => {
    const b = builder('soon');
    await runStep(
      {
        route: '/v1/players',
        items: () => [b.profile('a'), b.profile('b')],
        accepted: 2,
        members: { a: ['no-deposits'], b: ['no-deposits'] },
      },
      b,
    );
    const soon = b.deposit('a', 'x', 60, -5_000);
    const reply = await p.api.post('/v1/events', [soon, b.deposit('b', 'y', 60, -HOUR)]);
    expect(reply).toMatchObject({ status: 202, accepted: 2, rejected: [] });

    // Nothing touches the player when the time comes: the periodic sweep takes it in.
    const member = () => t.reader.isMember('depositors', b.player('a'));
    await until('the deposit counts', member, (m) => m, DEADLINE_MS);
    expect(await t.reader.isMember('depositors', b.player('b'))).toBe(false);
    const later = await expectedMembers(t, 'depositors', Date.now() + 2 * HOUR);
    expect(later).toContain(b.player('b'));
    expect(await converge(t, IDS, DEADLINE_MS)).toEqual([]);
  });
});

function builder(caseKey: string): Build {
  const player = (local: string) => `${caseKey}-${local}`;
  return {
    player,
    deposit: (local, k, amount, ago) => ({
      event_id: `${caseKey}-${k}`,
      player_id: player(local),
      type: 'deposit',
      event_time: Date.now() - ago,
      amount: typeof amount === 'number' ? amount.toFixed(2) : amount,
    }),
    profile: (local, fields = {}) => ({ player_id: player(local), country: 'AT', ...fields }),
  };
}

function isRecord(item: unknown): item is Record<string, unknown> {
  return typeof item === 'object' && item !== null && !Array.isArray(item);
}

const key = (item: Record<string, unknown>) => `${String(item.player_id)}|${String(item.event_id)}`;

async function eventsStored(t: Truth, items: Record<string, unknown>[]): Promise<number> {
  const keys = [...new Set(items.map(key))];
  const [row] = await t.store.rows<{ n: number }>(
    `SELECT uniqExact(player_id, event_id) AS n FROM events
     WHERE has(${sqlStringArray(keys)}, concat(player_id, '|', event_id))`,
  );
  return Number(row?.n ?? 0);
}

async function profilesStored(t: Truth, items: Record<string, unknown>[]): Promise<number> {
  const ids = [...new Set(items.map((i) => String(i.player_id)))];
  const [row] = await t.store.rows<{ n: number }>(
    `SELECT uniqExact(player_id) AS n FROM players FINAL WHERE has(${sqlStringArray(ids)}, player_id)`,
  );
  return Number(row?.n ?? 0);
}
