import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../../test/support/isolation.ts';
import { sqlString } from '../sql/literal.ts';
import type { PlayerRow } from '../store/players.ts';
import type { PlayerChanges, PlayerUpsert } from './convert.ts';
import { applyPlayerUpserts, mergeProfile, readProfiles } from './profiles.ts';

const STORED: PlayerRow = {
  player_id: 'p1',
  version: 10,
  email: 'ana@example.com',
  country: 'DE',
  vip_level: 2,
  self_excluded: false,
  tags: ['vip'],
  attributes: { tier: 'gold' },
};

const upsert = (version: number, changes: PlayerChanges): PlayerUpsert => ({
  player_id: 'p1',
  version,
  changes,
});

describe('mergeProfile', () => {
  it.each<[string, PlayerChanges, Partial<PlayerRow>]>([
    [
      'keeps fields the update leaves out',
      { country: 'AT' },
      { country: 'AT', email: 'ana@example.com' },
    ],
    ['clears a field set to null', { email: null }, { email: null, country: 'DE' }],
    ['replaces the tags', { tags: ['new'] }, { tags: ['new'] }],
    ['clears the tags with null', { tags: null }, { tags: [] }],
    ['keeps the tags when left out', {}, { tags: ['vip'], attributes: { tier: 'gold' } }],
    ['replaces the attributes as a whole', { attributes: { a: '1' } }, { attributes: { a: '1' } }],
    ['clears the attributes with null', { attributes: null }, { attributes: {} }],
    [
      'sets false, not only true',
      { self_excluded: true, vip_level: 0 },
      { self_excluded: true, vip_level: 0 },
    ],
  ])('%s', (_name, changes, expected) => {
    expect(mergeProfile(STORED, upsert(11, changes))).toEqual({
      ...STORED,
      version: 11,
      ...expected,
    });
  });

  it('starts a new profile from the update alone', () => {
    expect(mergeProfile(undefined, upsert(3, { country: 'MT' }))).toEqual({
      player_id: 'p1',
      version: 3,
      country: 'MT',
      tags: [],
      attributes: {},
    });
  });
});

describe('applyPlayerUpserts (real ClickHouse)', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await testDatabase('profiles')));
  afterAll(() => db.drop());

  const full: PlayerChanges = {
    email: "o'brien@example.com",
    phone: '+356 2123 4567',
    country: 'MT',
    currency: 'EUR',
    language: 'en',
    gender: 'f',
    registered_at: Date.parse('2025-06-01T08:30:00Z'),
    birth_date: '1990-02-28',
    vip_level: -3,
    kyc_status: 'verified',
    account_status: 'active',
    self_excluded: false,
    cooling_off_until: null,
    marketing_email: true,
    marketing_sms: false,
    marketing_push: null,
    tags: ['vip', 'tab\there'],
    attributes: { favourite_game: 'Book of Ra', empty: '' },
  };

  it('stores every field of a new profile and reads it back unchanged', async () => {
    const result = await applyPlayerUpserts(db.store, [
      { player_id: 'full', version: 5, changes: full },
    ]);
    expect(result).toEqual({ written: 1, stale: 0 });
    const stored = await readProfiles(db.store, ['full', 'nobody']);
    expect([...stored.keys()]).toEqual(['full']);
    expect(stored.get('full')).toEqual({ player_id: 'full', version: 5, ...full });
  });

  it.each([
    ['before 1970', '1935-06-15', 19350615],
    ['the first storable', '1900-01-01', 19000101],
    ['the last storable', '2105-12-31', 21051231],
    ['29 February', '1960-02-29', 19600229],
  ])('stores a birth date %s as YYYYMMDD and reads it back', async (_name, date, digits) => {
    const id = `born-${date}`;
    await applyPlayerUpserts(db.store, [
      { player_id: id, version: 1, changes: { birth_date: date } },
    ]);
    const sql = `SELECT birth_date FROM players FINAL WHERE player_id = ${sqlString(id)}`;
    expect(await db.store.rows(sql)).toEqual([{ birth_date: digits }]);
    expect((await readProfiles(db.store, [id])).get(id)?.birth_date).toBe(date);
  });

  it('keeps birth dates that cannot be stored out of the table', async () => {
    const write = (birth_date: string) =>
      applyPlayerUpserts(db.store, [{ player_id: 'bad', version: 1, changes: { birth_date } }]);
    for (const date of ['2023-02-30', '1965-13-01', '1899-12-31', '2106-01-01', '65-04-12']) {
      await expect(write(date)).rejects.toThrow(RangeError);
    }
    expect((await readProfiles(db.store, ['bad'])).size).toBe(0);
  });

  it('merges updates in queue order, skipping those not newer than the stored one', async () => {
    await applyPlayerUpserts(db.store, [upsert(10, { country: 'DE', email: 'a@example.com' })]);
    const result = await applyPlayerUpserts(db.store, [
      upsert(12, { country: 'AT' }),
      upsert(11, { country: 'CH' }),
      upsert(12, { email: 'replayed@example.com' }),
      upsert(13, { email: null, tags: ['late'] }),
    ]);
    expect(result).toEqual({ written: 1, stale: 2 });
    const p1 = (await readProfiles(db.store, ['p1'])).get('p1');
    expect(p1).toMatchObject({ version: 13, country: 'AT', email: null, tags: ['late'] });
  });

  it('changes nothing when a batch is applied a second time (writer replay)', async () => {
    const batch = [upsert(20, { vip_level: 4 }), upsert(21, { kyc_status: 'pending' })];
    expect(await applyPlayerUpserts(db.store, batch)).toEqual({ written: 1, stale: 0 });
    expect(await applyPlayerUpserts(db.store, batch)).toEqual({ written: 0, stale: 2 });
    const rows = await db.store.rows<{ versions: number }>(
      "SELECT count() AS versions FROM players WHERE player_id = 'p1' AND version >= 20",
    );
    expect(rows).toEqual([{ versions: 1 }]);
  });
});
