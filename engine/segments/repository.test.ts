import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../../test/support/isolation.ts';
import { DEFAULT_CATALOGUE } from '../catalogue/default.ts';
import { isSegstreamError } from '../errors/errors.ts';
import { createSegmentRepository, type SegmentRepository } from './repository.ts';

const NOW = Date.parse('2026-03-01T10:00:00Z');
const rule = (country: string) => ({
  include: { all: [{ field: 'country', op: 'eq', value: country }] },
});
const segment = (name: string, country = 'DE') => ({ name, rule: rule(country) });

async function codeOf(promise: Promise<unknown>): Promise<{ code: string; path: unknown }> {
  try {
    await promise;
  } catch (err) {
    if (isSegstreamError(err)) return { code: err.code, path: err.details.path };
    throw err;
  }
  throw new Error('expected a coded error');
}

describe('segment repository (real ClickHouse)', () => {
  let db: TestDatabase;
  let repo: SegmentRepository;
  beforeAll(async () => {
    db = await testDatabase('segments');
    repo = createSegmentRepository(db.store, {
      catalogue: DEFAULT_CATALOGUE,
      defaultTimezone: 'Europe/Malta',
      now: () => NOW,
    });
  });
  afterAll(() => db.drop());

  it('creates version 1 under a new url-safe id with the default timezone saved', async () => {
    const created = await repo.create(segment('  Germans '), { createdBy: 'ana' });
    expect(created.id).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(created).toEqual({
      id: created.id,
      version: 1,
      createdAt: NOW,
      createdBy: 'ana',
      deleted: false,
      definition: { name: 'Germans', timezone: 'Europe/Malta', rule: rule('DE') },
    });
    expect(await repo.get(created.id)).toEqual(created);
  });

  it('keeps every version and reads any of them', async () => {
    const { id } = await repo.create(segment('v1'), { createdBy: 'ana', id: 'history' });
    await repo.update(id, segment('v2', 'AT'), { createdBy: 'ben' });
    const v3 = await repo.update(id, { ...segment('v3'), timezone: 'UTC' }, { createdBy: 'ana' });
    expect(v3.version).toBe(3);
    expect((await repo.get(id))?.definition).toEqual({
      name: 'v3',
      timezone: 'UTC',
      rule: rule('DE'),
    });
    expect((await repo.getVersion(id, 2))?.definition.rule).toEqual(rule('AT'));
    expect((await repo.getVersion(id, 2))?.createdBy).toBe('ben');
    expect(await repo.getVersion(id, 4)).toBeUndefined();
    expect(await repo.getVersion(id, 0)).toBeUndefined();
    const versions = await repo.listVersions(id);
    expect(versions.map((v) => [v.version, v.definition.name])).toEqual([
      [1, 'v1'],
      [2, 'v2'],
      [3, 'v3'],
    ]);
  });

  it('deletes with a tombstone version and keeps the history', async () => {
    await repo.create(segment('doomed'), { createdBy: 'ana', id: 'doomed' });
    const tombstone = await repo.delete('doomed', { createdBy: 'ben' });
    expect(tombstone).toMatchObject({ version: 2, deleted: true, createdBy: 'ben' });
    expect(tombstone.definition.name).toBe('doomed');
    expect(await repo.get('doomed')).toBeUndefined();
    expect((await repo.listVersions('doomed')).map((v) => v.deleted)).toEqual([false, true]);
    expect((await repo.listCurrent()).map((s) => s.id)).not.toContain('doomed');
  });

  it.each([
    [
      'updating an unknown segment',
      (r: SegmentRepository) => r.update('nope', segment('x'), { createdBy: 'a' }),
      'NOT_FOUND',
      'id',
    ],
    [
      'updating a deleted segment',
      (r: SegmentRepository) => r.update('doomed', segment('x'), { createdBy: 'a' }),
      'NOT_FOUND',
      'id',
    ],
    [
      'deleting twice',
      (r: SegmentRepository) => r.delete('doomed', { createdBy: 'a' }),
      'NOT_FOUND',
      'id',
    ],
    [
      'reusing a deleted id',
      (r: SegmentRepository) => r.create(segment('x'), { createdBy: 'a', id: 'doomed' }),
      'SEGMENT_EXISTS',
      'id',
    ],
    [
      'reusing an id',
      (r: SegmentRepository) => r.create(segment('x'), { createdBy: 'a', id: 'history' }),
      'SEGMENT_EXISTS',
      'id',
    ],
    [
      'an id with a slash',
      (r: SegmentRepository) => r.create(segment('x'), { createdBy: 'a', id: 'a/b' }),
      'VALIDATION_FAILED',
      'id',
    ],
    [
      'an invalid rule',
      (r: SegmentRepository) =>
        r.create(
          { name: 'x', rule: { include: { all: [{ field: 'nope', op: 'eq', value: 1 }] } } },
          { createdBy: 'a', id: 'bad' },
        ),
      'RULE_UNKNOWN_FIELD',
      'rule.include.all[0].field',
    ],
    [
      'an invalid timezone',
      (r: SegmentRepository) =>
        r.update('history', { ...segment('x'), timezone: 'Mars/Base' }, { createdBy: 'a' }),
      'TIMEZONE_INVALID',
      'timezone',
    ],
  ])('refuses %s', async (_name, run, code, path) => {
    expect(await codeOf(run(repo))).toEqual({ code, path });
  });

  it('saves nothing when a definition is refused', async () => {
    expect(await repo.listVersions('bad')).toEqual([]);
    expect((await repo.listVersions('history')).length).toBe(3);
  });

  it('lists the current version of every live segment once, by id', async () => {
    // A retried insert can store a version twice; readers must still see it once.
    await db.store.exec(
      `INSERT INTO segment_versions SELECT * FROM segment_versions WHERE segment_id = 'history'`,
    );
    const current = await repo.listCurrent();
    const ids = current.map((s) => s.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    expect(current.find((s) => s.id === 'history')?.version).toBe(3);
    expect((await repo.listVersions('history')).map((v) => v.version)).toEqual([1, 2, 3]);
  });

  it('gives concurrent updates of one segment distinct versions', async () => {
    await repo.create(segment('busy'), { createdBy: 'a', id: 'busy' });
    const saved = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => repo.update('busy', segment(`busy ${n}`), { createdBy: 'a' })),
    );
    expect(saved.map((s) => s.version).sort()).toEqual([2, 3, 4, 5, 6]);
    expect((await repo.listVersions('busy')).map((v) => v.version)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('round-trips any text in a definition', async () => {
    const name = `O'Brien "VIP" \\ tab\there\nnew line, ü 🎰`;
    await repo.create(
      { ...segment(name), description: '\u0000nul' },
      { createdBy: 'a', id: 'text' },
    );
    expect((await repo.get('text'))?.definition).toMatchObject({ name, description: '\u0000nul' });
  });
});

describe('static segment members (real ClickHouse)', () => {
  let db: TestDatabase;
  let repo: SegmentRepository;
  beforeAll(async () => {
    db = await testDatabase('static');
    repo = createSegmentRepository(db.store, {
      catalogue: DEFAULT_CATALOGUE,
      defaultTimezone: 'UTC',
    });
  });
  afterAll(() => db.drop());

  it('stores the members of each version apart from the definition', async () => {
    const v1 = await repo.create(
      { name: 'Upload', static_members: ['p2', 'p1', 'p2', "p'3"] },
      { createdBy: 'a', id: 'upload' },
    );
    expect(v1.definition).toEqual({ name: 'Upload', timezone: 'UTC' });
    await repo.update('upload', { name: 'Upload', static_members: ['p9'] }, { createdBy: 'a' });
    expect(await repo.staticMembers('upload', 1)).toEqual(["p'3", 'p1', 'p2']);
    expect(await repo.staticMembers('upload', 2)).toEqual(['p9']);
    expect(await repo.staticMembers('upload', 3)).toEqual([]);
  });

  it('adds uploaded ids to a version, each once', async () => {
    expect(await repo.uploadStaticMembers('upload', 2, ['p9', 'p10', 'p10'])).toBe(2);
    expect(await repo.staticMembers('upload', 2)).toEqual(['p10', 'p9']);
  });

  it.each([
    ['an unknown version', () => repo.uploadStaticMembers('upload', 7, ['p1']), 'NOT_FOUND', 'id'],
    ['an unknown segment', () => repo.uploadStaticMembers('nope', 1, ['p1']), 'NOT_FOUND', 'id'],
    [
      'an empty id',
      () => repo.uploadStaticMembers('upload', 2, ['p1', '']),
      'VALIDATION_FAILED',
      'static_members[1]',
    ],
  ])('refuses uploading to %s', async (_name, run, code, path) => {
    expect(await codeOf(run())).toEqual({ code, path });
  });

  it('refuses uploading members to a rule segment', async () => {
    await repo.create(segment('ruled'), { createdBy: 'a', id: 'ruled' });
    expect(await codeOf(repo.uploadStaticMembers('ruled', 1, ['p1']))).toEqual({
      code: 'VALIDATION_FAILED',
      path: 'id',
    });
  });

  describe('concurrent saves (each checks the others)', () => {
    const ref = (segment: string) => ({
      include: {
        all: [
          { segment, op: 'in' },
          { field: 'vip_level', op: 'gte', value: 1 },
        ],
      },
    });
    const vip = { include: { all: [{ field: 'vip_level', op: 'gte', value: 1 }] } };
    const by = { createdBy: 'race' };

    it('never make a cycle out of two edits that each alone are fine', async () => {
      await repo.create({ name: 'c', rule: vip }, { ...by, id: 'race-c' });
      await repo.create({ name: 'd', rule: vip }, { ...by, id: 'race-d' });
      const outcomes = await Promise.allSettled([
        repo.update('race-c', { name: 'c', rule: ref('race-d') }, by),
        repo.update('race-d', { name: 'd', rule: ref('race-c') }, by),
      ]);
      expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
      const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      expect((refused.reason as { code: string }).code).toBe('RULE_SEGMENT_CYCLE');
    });

    it('never leave a new segment referencing one deleted at the same time', async () => {
      await repo.create({ name: 'e', rule: vip }, { ...by, id: 'race-e' });
      const inUse = async () => {
        if ((await repo.dependents('race-e')).length > 0) throw new Error('in use');
      };
      const outcomes = await Promise.allSettled([
        repo.delete('race-e', { ...by, check: inUse }),
        repo.create({ name: 'f', rule: ref('race-e') }, { ...by, id: 'race-f' }),
      ]);
      const deleted = outcomes[0].status === 'fulfilled';
      const created = outcomes[1].status === 'fulfilled';
      // One of them wins; never both.
      expect(deleted !== created).toBe(true);
    });
  });
});
