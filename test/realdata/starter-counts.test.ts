// The real-data demo end to end on the real files: the bwin 2005 and CDNOW files go through the
// importers, the real-data starter segments are saved, and the engine (real ClickHouse and Redis,
// an injected as-of time) must hold exactly the members that plain TypeScript finds in the raw
// files (truth.ts): once after the import, and again after the CDNOW replay has sent every
// purchase shifted to end at that as-of time and a sweep has run.
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../engine/catalogue/load.ts';
import {
  CDNOW_FILE,
  loadRealData,
  REAL_CATALOGUE_FILE,
  REAL_DATA_FILES,
  removeEarlierReplays,
} from '../../engine/demo/real/load.ts';
import {
  createRealStarterSegments,
  REAL_STARTER_SEGMENTS,
} from '../../engine/demo/real/segments.ts';
import { replayCdnow } from '../../engine/demo/replay.ts';
import { Engine } from '../../engine/evaluator/engine.ts';
import { allMembers, silentLog, TEST_SETTINGS } from '../../engine/evaluator/test-support.ts';
import { hasSharedData, SHARED_DATA, SKIP_NO_DATA } from '../../engine/ingest/import/testing.ts';
import { membershipReader, type MembershipReader } from '../../engine/membership/read.ts';
import { createSegmentRepository } from '../../engine/segments/repository.ts';
import { insertEvents } from '../../engine/store/events.ts';
import { testDatabase, testRedisUrl, uniqueName, type TestDatabase } from '../support/isolation.ts';
import { cdnowSpan, plainMembers, readRawData, withReplay, type RawData } from './truth.ts';

const HAS_DATA = hasSharedData(...REAL_DATA_FILES);
if (!HAS_DATA) console.warn(SKIP_NO_DATA);

/** A fixed as-of time, mid-month and mid-day, so month windows need no clamping. */
const AS_OF = Date.parse('2026-11-17T15:00:00Z');
const IDS = REAL_STARTER_SEGMENTS.map((s) => s.id);

describe.skipIf(!HAS_DATA)('real-data starter segments: engine vs the raw files', () => {
  let db: TestDatabase;
  let redis: Redis;
  let engine: Engine;
  let reader: MembershipReader;
  let raw: RawData;

  /** Every segment's count and members as the engine holds them in Redis. */
  const engineView = async () =>
    Object.fromEntries(
      await Promise.all(
        IDS.map(async (id) => {
          const members = await allMembers(reader, id);
          return [id, { count: await reader.count(id), members }] as const;
        }),
      ),
    );

  const plainView = (data: RawData) =>
    Object.fromEntries(
      IDS.map((id) => {
        const members = plainMembers(data, id, AS_OF);
        return [id, { count: members.length, members }] as const;
      }),
    );

  beforeAll(async () => {
    db = await testDatabase('realdata');
    redis = new Redis(testRedisUrl());
    const prefix = `${uniqueName('realdata')}:`;
    const catalogue = loadCatalogue(REAL_CATALOGUE_FILE);
    const segments = createSegmentRepository(db.store, { catalogue, defaultTimezone: 'UTC' });
    const [report] = await Promise.all([
      loadRealData(db.store, SHARED_DATA),
      Promise.resolve().then(() => (raw = readRawData(SHARED_DATA))),
    ]);
    expect(report.loaded).toBe(true);
    expect(await createRealStarterSegments(segments)).toBe(REAL_STARTER_SEGMENTS.length);
    reader = membershipReader({ redis, store: db.store, prefix });
    engine = new Engine({
      ...{ redis, store: db.store, log: silentLog, prefix, catalogue, segments },
      ...{ owner: 'realdata-test', settings: TEST_SETTINGS, now: () => AS_OF },
    });
    const first = await engine.step();
    expect(first).toMatchObject({ role: 'leader', lifecycle: { failed: [] } });
  });

  afterAll(async () => {
    await engine?.stop();
    redis?.disconnect();
    await db?.drop();
  });

  it('has at least ten starter segments, each named, described and tagged', () => {
    expect(REAL_STARTER_SEGMENTS.length).toBeGreaterThanOrEqual(10);
    for (const s of REAL_STARTER_SEGMENTS) {
      expect([s.name.length > 0, s.description.length > 0, s.tags.length > 0]).toEqual([
        true,
        true,
        true,
      ]);
    }
  });

  it('after the import: every count and member list equals the raw files', async () => {
    const expected = plainView(raw);
    expect(await engineView()).toEqual(expected);
    // The historical segments are not empty, so the comparison says something about each.
    const historical = IDS.filter((id) => id.startsWith('bwin-') || id === 'cdnow-march-1997');
    expect(historical.filter((id) => expected[id]!.count === 0)).toEqual([]);
  });

  it('after the CDNOW replay and a sweep: every count and member list equals the raw files', async () => {
    const startAt = AS_OF - cdnowSpan(raw);
    const summary = await replayCdnow(path.join(SHARED_DATA, CDNOW_FILE), {
      ...{ speed: 1e12, startAt, runId: 'test' },
      sink: async (events) => void (await insertEvents(db.store, events)),
    });
    expect(summary).toMatchObject({
      emitted: raw.cdnow.length,
      skipped: 0,
      endAt: AS_OF,
      aborted: false,
    });

    engine.requestSweep();
    expect(await engine.step()).toMatchObject({ sweep: {} });
    const expected = plainView(withReplay(raw, startAt));
    expect(await engineView()).toEqual(expected);
    // Every segment has members now: the live ones filled with the replay.
    expect(IDS.filter((id) => expected[id]!.count === 0)).toEqual([]);
  });

  it('after a restart removed the earlier replay: the members of the import alone again', async () => {
    await removeEarlierReplays(db.store);
    engine.requestSweep();
    expect(await engine.step()).toMatchObject({ sweep: {} });
    expect(await engineView()).toEqual(plainView(raw));
  });
});
