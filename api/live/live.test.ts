// /v1/live over real sockets: snapshots, updates carrying what the engine's apply script
// publishes, resumption by seq, duplicates, unsubscribing, several API processes on one Redis,
// and a resync after the Redis subscription was lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { membershipKeys } from '../../engine/membership/keys.ts';
import {
  LiveClient,
  liveFixture,
  waitUntil,
  type LiveFixture,
  type LiveServer,
} from './test-support.ts';

let f: LiveFixture;
let server: LiveServer;
beforeAll(async () => {
  f = await liveFixture('flow');
  server = await f.server();
  for (const id of ['a', 'b', 'c']) await f.engine.live(id);
  await f.engine.change('a', 3);
  await f.engine.change('b', 1);
});
afterAll(() => f.close());

const viewer = () => LiveClient.open(server.url, f.tokens.viewer);
const seqOf = async (id: string) =>
  Number(await f.redis.hget(membershipKeys(f.prefix).segment(id), 'seq'));

/** Updates of one segment that a client received. */
const updatesOf = (client: LiveClient, segment: string) =>
  client.of('update').filter((m) => m.segment === segment);

describe('subscribing', () => {
  it('answers with a snapshot of each named segment, unknown ones included', async () => {
    const client = await viewer();
    client.send({ type: 'subscribe', segments: ['a', 'nope'] });
    const snapshot = await client.nth('snapshot', 1);
    expect(snapshot).toMatchObject({
      segments: [
        { segment: 'a', state: 'live', version: 1, count: 3, seq: 1 },
        { segment: 'nope', state: null, version: null, count: null, seq: 0 },
      ],
      resumed: [],
    });
    expect(Date.parse(String(snapshot.at))).not.toBeNaN();
    client.close();
  });

  it('sends every segment the engine keeps for "*"', async () => {
    const client = await viewer();
    client.send({ type: 'subscribe', segments: '*' });
    const snapshot = await client.nth('snapshot', 1);
    const entries = snapshot.segments as { segment: string; count: number }[];
    expect(entries.map((e) => [e.segment, e.count])).toEqual([
      ['a', 3],
      ['b', 1],
      ['c', 0],
    ]);
    client.close();
  });

  it('sends each change the engine applies as an update', async () => {
    const client = await viewer();
    client.send({ type: 'subscribe', segments: ['c'] });
    await client.nth('snapshot', 1);
    const applied = await f.engine.change('c', 2);
    await f.engine.change('c', 1, 1);

    expect(await client.nth('update', 1)).toEqual({
      type: 'update',
      segment: 'c',
      version: 1,
      count: 2,
      entered: 2,
      exited: 0,
      seq: applied.seq,
      at: new Date(applied.at).toISOString(),
      cause: 'tick',
      merged: 1,
    });
    expect(await client.nth('update', 2)).toMatchObject({ count: 2, entered: 1, exited: 1 });
    client.close();
  });

  it('sends nothing twice when a segment is subscribed twice, or by id and "*"', async () => {
    const client = await viewer();
    client.send({ type: 'subscribe', segments: ['a', 'b'] });
    client.send({ type: 'subscribe', segments: ['a', 'a'] });
    client.send({ type: 'subscribe', segments: '*' });
    const second = await client.nth('snapshot', 2);
    const third = await client.nth('snapshot', 3);
    expect(second).toMatchObject({ segments: [], resumed: ['a'] });
    expect(third).toMatchObject({ segments: [{ segment: 'c' }], resumed: ['a', 'b'] });

    const a = await f.engine.change('a', 1);
    await f.engine.change('b', 1);
    await waitUntil(() => updatesOf(client, 'b').length === 1, 'the update of b');
    expect(updatesOf(client, 'a').map((m) => m.seq)).toEqual([a.seq]);
    client.close();
  });

  it('stops updates of an unsubscribed segment and acknowledges', async () => {
    const client = await viewer();
    client.send({ type: 'subscribe', segments: ['a', 'b'] });
    client.send({ type: 'unsubscribe', segments: ['a'] });
    expect(await client.nth('unsubscribed', 1)).toEqual({ type: 'unsubscribed', segments: ['a'] });
    await f.engine.change('a', 1);
    await f.engine.change('b', 1);
    await waitUntil(() => updatesOf(client, 'b').length === 1, 'the update of b');
    expect(updatesOf(client, 'a')).toEqual([]);

    client.send({ type: 'unsubscribe', segments: '*' });
    await client.nth('unsubscribed', 2);
    client.send({ type: 'subscribe', segments: ['c'] });
    await client.nth('snapshot', 2);
    await f.engine.change('b', 1);
    await f.engine.change('c', 1);
    await waitUntil(() => updatesOf(client, 'c').length === 1, 'the update of c');
    expect(updatesOf(client, 'b')).toHaveLength(1);
    client.close();
  });
});

describe('resuming after a reconnect', () => {
  // [case, since relative to the current seq (undefined: not sent), resumed?]
  it.each([
    ['the current seq', 0, true],
    ['a stale seq', -1, false],
    ['a seq from before a Redis restore', +5, false],
    ['no seq', undefined, false],
  ] as const)('with %s', async (_case, offset, resumed) => {
    const seq = await seqOf('a');
    const client = await viewer();
    const since = offset === undefined ? undefined : { a: seq + offset };
    client.send({ type: 'subscribe', segments: ['a'], since });
    const snapshot = await client.nth('snapshot', 1);
    if (resumed) expect(snapshot).toMatchObject({ segments: [], resumed: ['a'] });
    else expect(snapshot).toMatchObject({ segments: [{ segment: 'a', seq }], resumed: [] });

    // Either way the client goes on from there with the next change.
    const next = await f.engine.change('a', 1);
    expect(await client.nth('update', 1)).toMatchObject({ segment: 'a', seq: next.seq });
    client.close();
  });
});

describe('several API processes', () => {
  it('gives a change published once to the clients of each process', async () => {
    const other = await f.server();
    const first = await viewer();
    const second = await LiveClient.open(other.url, f.tokens.viewer);
    for (const client of [first, second]) {
      client.send({ type: 'subscribe', segments: ['b'] });
      await client.nth('snapshot', 1);
    }
    const change = await f.engine.change('b', 4);
    for (const client of [first, second]) {
      expect(await client.nth('update', 1)).toMatchObject({ segment: 'b', seq: change.seq });
    }
    expect(other.hub.stats.received).toBe(1);
    first.close();
    second.close();
  });
});

describe('losing the Redis subscription', () => {
  it('sends a fresh snapshot of what changed while the subscriber was away', async () => {
    const client = await viewer();
    client.send({ type: 'subscribe', segments: ['a', 'b'] });
    await client.nth('snapshot', 1);

    // A change whose message is lost: the hash moves, nothing is published.
    const seq = (await seqOf('a')) + 10;
    await f.redis.hset(membershipKeys(f.prefix).segment('a'), 'count', 99, 'seq', seq);
    await killClient(server.hub.connectionName);

    expect(await client.nth('snapshot', 2)).toMatchObject({
      segments: [{ segment: 'a', count: 99, seq }],
      resumed: [],
    });
    client.close();
  });
});

async function killClient(name: string): Promise<void> {
  const list = String(await f.redis.call('CLIENT', 'LIST'));
  const line = list.split('\n').find((l) => l.includes(` name=${name} `));
  const id = /\bid=(\d+)/.exec(line ?? '')?.[1];
  if (id === undefined) throw new Error(`no Redis client named ${name}`);
  await f.redis.call('CLIENT', 'KILL', 'ID', id);
}
