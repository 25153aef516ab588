import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../../test/support/isolation.ts';
import { DEFAULT_CATALOGUE } from '../catalogue/default.ts';
import { isSegstreamError } from '../errors/errors.ts';
import type { Rule } from '../rules/schema.ts';
import { dependents, loadResolver, resolveReferences, segmentResolver } from './references.ts';
import {
  createSegmentRepository,
  type SegmentRepository,
  type SegmentVersion,
} from './repository.ts';

const ref = (segment: string, op = 'in') => ({ segment, op });
const country = { field: 'country', op: 'eq', value: 'DE' };
const withRefs = (...ids: string[]) => ({
  include: { all: [country, ...ids.map((id) => ref(id))] },
});
const segment = (name: string, ...ids: string[]) => ({ name, rule: withRefs(...ids) });

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (err) {
    if (isSegstreamError(err)) return { code: err.code, details: err.details };
    throw err;
  }
  return 'saved';
}

describe('segment references (real ClickHouse)', () => {
  let db: TestDatabase;
  let repo: SegmentRepository;
  const by = { createdBy: 'test' };
  beforeAll(async () => {
    db = await testDatabase('refs');
    repo = createSegmentRepository(db.store, {
      catalogue: DEFAULT_CATALOGUE,
      defaultTimezone: 'UTC',
    });
    // a <- b <- c, a <- d, static s <- d; gone is deleted.
    await repo.create(segment('A'), { ...by, id: 'a' });
    await repo.create(segment('B', 'a'), { ...by, id: 'b' });
    await repo.create(segment('C', 'b'), { ...by, id: 'c' });
    await repo.create({ name: 'S', static_members: ['p1'] }, { ...by, id: 's' });
    await repo.create(
      { name: 'D', timezone: 'Asia/Tokyo', rule: withRefs('a', 's') },
      { ...by, id: 'd' },
    );
    await repo.create(segment('Gone'), { ...by, id: 'gone' });
    await repo.delete('gone', by);
  });
  afterAll(() => db.drop());

  it.each([
    ['a', ['b', 'c', 'd']],
    ['b', ['c']],
    ['c', []],
    ['s', ['d']],
    ['unknown', []],
  ])('finds what depends on %s', async (id, expected) => {
    expect(await repo.dependents(id)).toEqual(expected);
  });

  it('accepts a diamond, which is not a cycle', async () => {
    const saved = await repo.create(segment('E', 'c', 'd', 'b'), { ...by, id: 'e' });
    expect(saved.version).toBe(1);
    expect(await repo.dependents('a')).toEqual(['b', 'c', 'd', 'e']);
  });

  it.each([
    [
      'an unknown segment',
      (r: SegmentRepository) =>
        r.create(
          { name: 'x', rule: { include: { all: [country] }, exclude: { any: [ref('nope')] } } },
          by,
        ),
      {
        code: 'RULE_SEGMENT_UNKNOWN',
        details: { path: 'rule.exclude.any[0].segment', segment: 'nope' },
      },
    ],
    [
      'a deleted segment',
      (r: SegmentRepository) => r.update('c', segment('C', 'gone'), by),
      {
        code: 'RULE_SEGMENT_UNKNOWN',
        details: { path: 'rule.include.all[1].segment', segment: 'gone' },
      },
    ],
    [
      'a reference to itself',
      (r: SegmentRepository) => r.update('a', segment('A', 'a'), by),
      {
        code: 'RULE_SEGMENT_CYCLE',
        details: { path: 'rule.include.all[1].segment', cycle: ['a', 'a'] },
      },
    ],
    [
      'a new segment naming its own id',
      (r: SegmentRepository) => r.create(segment('F', 'f'), { ...by, id: 'f' }),
      {
        code: 'RULE_SEGMENT_CYCLE',
        details: { path: 'rule.include.all[1].segment', cycle: ['f', 'f'] },
      },
    ],
    [
      'a cycle through two segments',
      (r: SegmentRepository) =>
        r.update('a', { name: 'A', rule: { include: { any: [{ not: ref('c', 'not_in') }] } } }, by),
      {
        code: 'RULE_SEGMENT_CYCLE',
        details: { path: 'rule.include.any[0].not.segment', cycle: ['a', 'c', 'b', 'a'] },
      },
    ],
  ])('refuses %s', async (_name, run, expected) => {
    expect(await failure(run(repo))).toMatchObject(expected);
  });

  it('left the refused segments unchanged', async () => {
    expect((await repo.get('a'))?.version).toBe(1);
    expect((await repo.get('c'))?.version).toBe(1);
    expect(await repo.get('f')).toBeUndefined();
  });

  it('loads the transitive closure into a synchronous resolver', async () => {
    const resolve = await loadResolver(repo, withRefs('c', 'd') as Rule);
    expect(resolve('c')).toEqual({ kind: 'rule', id: 'c', rule: withRefs('b'), timezone: 'UTC' });
    expect(resolve('a')).toEqual({ kind: 'rule', id: 'a', rule: withRefs(), timezone: 'UTC' });
    expect(resolve('d')).toMatchObject({ kind: 'rule', timezone: 'Asia/Tokyo' });
    expect(resolve('s')).toEqual({ kind: 'static', id: 's', version: 1 });
    expect(resolve('e')).toBeUndefined();
  });

  it('resolves single segments asynchronously', async () => {
    const resolve = segmentResolver(repo);
    expect(await resolve('s')).toEqual({ kind: 'static', id: 's', version: 1 });
    expect(await resolve('b')).toMatchObject({ kind: 'rule', id: 'b' });
    expect(await resolve('gone')).toBeUndefined();
  });
});

describe('resolveReferences over stored data that already holds a cycle', () => {
  const stored = (id: string, ...ids: string[]): SegmentVersion => ({
    id,
    version: 1,
    createdAt: 0,
    createdBy: '',
    deleted: false,
    definition: { name: id, timezone: 'UTC', rule: withRefs(...ids) as Rule },
  });
  const segments = new Map([
    ['x', stored('x', 'y')],
    ['y', stored('y', 'z')],
    ['z', stored('z', 'x')],
    ['w', stored('w', 'missing')],
  ]);
  const source = { get: async (id: string) => segments.get(id) };

  it.each([
    [
      'a cycle',
      withRefs('x'),
      {
        code: 'RULE_SEGMENT_CYCLE',
        details: { path: 'include.all[1].segment', cycle: ['x', 'y', 'z', 'x'] },
      },
    ],
    [
      'a dangling reference further down',
      withRefs('w'),
      {
        code: 'RULE_SEGMENT_UNKNOWN',
        details: { path: 'include.all[1].segment', segment: 'missing' },
      },
    ],
  ])("refuses %s with the path of the rule's own reference", async (_name, rule, expected) => {
    expect(await failure(resolveReferences(source, rule as Rule))).toMatchObject(expected);
  });

  it('names the chain in the message', async () => {
    await expect(resolveReferences(source, withRefs('x') as Rule)).rejects.toThrow(
      'Segment references form a cycle at include.all[1].segment: x -> y -> z -> x',
    );
  });

  it('computes dependents from any source of current segments', async () => {
    const listCurrent = async () => [...segments.values()];
    expect(await dependents({ listCurrent }, 'x')).toEqual(['y', 'z']);
    expect(await dependents({ listCurrent }, 'missing')).toEqual(['w']);
  });
});
