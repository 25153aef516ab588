import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRow } from '../store/events.ts';
import { removeTemp, tempFiles } from '../ingest/import/testing.ts';
import { replayCdnow } from './replay.ts';

const DAY = 86_400_000;

// Ordered by customer, as the real file is; purchases span 1997-01-01 .. 1997-01-04.
const FILE = [
  ' customer_id  date number_of_cds  dollar_value',
  ' 00001 19970103  1   11.77',
  ' 00001 19970101  2   20.00',
  ' 00002 19970101  1    5.50',
  ' 00002 19970101  3   30.00',
  ' 00002 1997010x  3   30.00',
  ' 00003 19970104  1    0.00',
].join('\n');

describe('replayCdnow', () => {
  let dir: string;
  const file = () => path.join(dir, 'cdnow.txt');
  beforeAll(() => (dir = tempFiles({ 'cdnow.txt': FILE })));
  afterAll(() => removeTemp(dir));

  it('sends every purchase in time order, shifted so the first day is startAt', async () => {
    const startAt = Date.parse('2026-03-01T00:00:00Z');
    const batches: EventRow[][] = [];
    const summary = await replayCdnow(file(), {
      speed: DAY * 10, // one CDNOW day per 0.1 ms of wall time
      startAt,
      runId: 'r1',
      sink: async (events) => void batches.push(events),
    });

    const sent = batches.flat();
    expect(sent.map((e) => [e.event_id, e.event_time - startAt, e.amount, e.quantity])).toEqual([
      ['replay:r1:cdnow:00001:19970101:1', 0, '20.00', 2],
      ['replay:r1:cdnow:00002:19970101:1', 0, '5.50', 1],
      ['replay:r1:cdnow:00002:19970101:2', 0, '30.00', 3],
      ['replay:r1:cdnow:00001:19970103:1', 2 * DAY, '11.77', 1],
      ['replay:r1:cdnow:00003:19970104:1', 3 * DAY, '0.00', 1],
    ]);
    expect(sent.every((e) => e.type === 'deposit' && e.currency === 'USD')).toBe(true);
    expect(summary).toEqual({
      runId: 'r1',
      emitted: 5,
      skipped: 1,
      startAt,
      endAt: startAt + 3 * DAY,
      aborted: false,
    });
  });

  it('paces batches by the replay clock', async () => {
    const arrivals: number[] = [];
    const began = Date.now();
    await replayCdnow(file(), {
      speed: DAY / 100, // one CDNOW day per 100 ms
      startAt: 0,
      sink: async () => void arrivals.push(Date.now() - began),
    });
    // Days 0, 2 and 3 hold purchases: batches near 0, 200 and 300 ms.
    expect(arrivals).toHaveLength(3);
    expect(arrivals[1]).toBeGreaterThanOrEqual(190);
    expect(arrivals[2]).toBeGreaterThanOrEqual(290);
    expect(arrivals[2]).toBeLessThan(2_000);
  });

  it('ends the last day at the present by default and never sends future events', async () => {
    const sent: EventRow[] = [];
    const before = Date.now();
    const summary = await replayCdnow(file(), {
      speed: DAY * 10,
      sink: async (events) => void sent.push(...events),
    });
    expect(summary.endAt).toBeGreaterThanOrEqual(before);
    expect(summary.endAt - summary.startAt).toBe(3 * DAY);
    expect(Math.max(...sent.map((e) => e.event_time))).toBeLessThanOrEqual(Date.now());
    expect(summary.runId).toMatch(/^[0-9a-f]{8}$/);
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    const sent: EventRow[] = [];
    const summary = await replayCdnow(file(), {
      speed: 86_400, // one CDNOW day per second
      startAt: 0,
      signal: controller.signal,
      sink: async (events) => {
        sent.push(...events);
        controller.abort();
      },
    });
    expect(sent).toHaveLength(3);
    expect(summary).toMatchObject({ emitted: 3, aborted: true });
  });

  it('limits the size of one batch', async () => {
    const sizes: number[] = [];
    await replayCdnow(file(), {
      speed: DAY * 1_000,
      startAt: 0,
      maxBatch: 2,
      sink: async (events) => void sizes.push(events.length),
    });
    expect(sizes.every((n) => n <= 2)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(5);
  });
});
