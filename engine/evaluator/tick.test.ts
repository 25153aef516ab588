// The incremental path against real ClickHouse and Redis: events inserted after the engine
// started are evaluated by the next tick, which updates membership and counts, records the
// transitions and publishes the change to a real subscriber.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveMessage } from '../membership/apply.ts';
import { insertEvents } from '../store/events.ts';
import { insertPlayers } from '../store/players.ts';
import { testRedisUrl } from '../../test/support/isolation.ts';
import type { Engine } from './engine.ts';
import { event, harness, HOUR, transitions, type Harness } from './test-support.ts';

const depositors = {
  include: { all: [{ list: 'deposits', measure: 'count', op: 'gte', value: 1 }] },
};
const germans = { include: { all: [{ field: 'country', op: 'eq', value: 'DE' }] } };

describe('engine tick (real ClickHouse and Redis)', () => {
  let h: Harness;
  let engine: Engine;
  let subscriber: Redis;
  const messages: LiveMessage[] = [];

  beforeAll(async () => {
    h = await harness('engine_tick');
    await insertPlayers(h.db.store, [
      { player_id: 'p1', version: 1, country: 'DE' },
      { player_id: 'p2', version: 1, country: 'AT' },
      { player_id: 'p3', version: 1, country: 'DE' },
    ]);
    await insertEvents(h.db.store, [event('p1', 'deposit', h.clock.now - HOUR, { amount: '10' })]);
    await h.repo.create({ name: 'Depositors', rule: depositors }, { createdBy: 't', id: 'dep' });
    await h.repo.create({ name: 'Germans', rule: germans }, { createdBy: 't', id: 'de' });

    subscriber = new Redis(testRedisUrl());
    await subscriber.subscribe(`${h.prefix}live`);
    subscriber.on('message', (_channel, text: string) => messages.push(JSON.parse(text)));
    engine = h.engine();
    await engine.step();
  });
  afterAll(async () => {
    subscriber.disconnect();
    await h.close();
  });

  it('computes new segments at once and shows them live', async () => {
    expect(await h.members('dep')).toEqual(['p1']);
    expect(await h.members('de')).toEqual(['p1', 'p3']);
    expect(await h.reader.status('dep')).toMatchObject({ state: 'live', version: 1, count: 1 });
  });

  it('evaluates touched players in the next tick', async () => {
    messages.length = 0;
    await insertEvents(h.db.store, [event('p2', 'deposit', h.clock.now - HOUR, { amount: '5' })]);
    const report = await engine.step();

    expect(report).toMatchObject({ role: 'leader', tick: { kind: 'ticked', players: 1 } });
    expect(await h.members('dep')).toEqual(['p1', 'p2']);
    expect(await h.reader.count('dep')).toBe(2);
    expect(await h.reader.isMember('dep', 'p2')).toBe(true);
    expect(await h.reader.segmentsOf('p2')).toEqual(['dep']);
  });

  it('publishes the change on the live channel', async () => {
    await waitUntil(() => messages.length > 0);
    expect(messages).toEqual([
      {
        segment: 'dep',
        version: 1,
        count: 2,
        entered: 1,
        exited: 0,
        seq: 2,
        at: h.clock.now,
        cause: 'tick',
      },
    ]);
  });

  it('records the transitions in ClickHouse once', async () => {
    await engine.drainJournal();
    await engine.drainJournal();
    expect(await transitions(h, 'dep')).toEqual(['p1:entered', 'p2:entered']);
    expect(await transitions(h, 'de')).toEqual(['p1:entered', 'p3:entered']);
  });

  it('does not evaluate players again when nothing new arrived', async () => {
    const report = await engine.step();
    expect(report).toMatchObject({ tick: { kind: 'ticked', players: 0 } });
  });

  it('picks up a profile change', async () => {
    await insertPlayers(h.db.store, [{ player_id: 'p3', version: 2, country: 'AT' }]);
    await engine.step();
    expect(await h.members('de')).toEqual(['p1']);
    expect(await h.reader.segmentsOf('p3')).toEqual([]);
  });
});

async function waitUntil(done: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('condition not met');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
