import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../../../../test/support/isolation.ts';
import { hasSharedData, removeTemp, SHARED_DATA, SKIP_NO_DATA, tempFiles } from '../testing.ts';
import { COUNTRY_ALPHA2 } from './countries.ts';
import { BWIN_FILES, importBwin } from './import.ts';
import { readLookups } from './lookups.ts';

const DEMOGRAPHICS = [
  'UserID,Country,Language,RegDate,FirstPay,FirstAct,FirstSp,FirstCa,FirstGa,FirstPo,' +
    'ApplicationID,Gender',
  '1001,276,2,2/1/2005,20050224,20050224,20050224,NULL,NULL,NULL,3,1',
  '1002,384,1,2/3/2005,20050203,NULL,NULL,20050210,20050211,20050611,1,',
  '1003,999,2,2/1/2005,20050201,20050201,20050201,NULL,NULL,NULL,3,1',
  '1004,40,2,2/30/2005,20050201,20050201,20050201,NULL,NULL,NULL,3,0',
  '1005,1000,1,2/5/2005,20050206,NULL,NULL,NULL,NULL,NULL,NULL,0',
].join('\n');

const AGGREGATES = [
  'USERID,COUNTRY,LANGUAGE,RegistrationDate,AGE,GENDER,FOTotalStakes,FOTotalWinnings,' +
    'FOTotalBets,FOFirstActiveDate,FOLastActiveDate,FOTotalDaysActive,LATotalStakes,' +
    'LATotalWinnings,LATotalBets,LAFirstActiveDate,LALastActiveDate,LATotalDaysActive,' +
    'FirstSportsActiveDate',
  '1001,276,2,2005-02-01,42,1,10137,10224,236,2005-02-24,2005-09-30,97,,,,,,,2005-02-24',
  '1004,40,2,2005-02-01,x1,0,5,0,1,2005-03-01,2005-03-01,1,,,,,,,2005-03-01',
].join('\n');

const LOOKUPS = [
  'table,code,label',
  'country,276,Germany',
  'country,384,Cote d’Ivoire',
  'language,1,English',
  'language,2,German',
  'product,1,Sports book fixed-odd',
].join('\n');

describe('importBwin (real ClickHouse, small files)', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await testDatabase('bwin');
    dir = tempFiles({
      [BWIN_FILES.demographics]: DEMOGRAPHICS,
      [BWIN_FILES.aggregates]: AGGREGATES,
      [BWIN_FILES.lookups]: LOOKUPS,
    });
  });
  afterAll(async () => {
    removeTemp(dir);
    await db.drop();
  });

  it('rejects bad rows with file, line and column and loads the rest', async () => {
    const summary = await importBwin(db.store, dir);
    expect(summary.rejections.map((r) => [r.file, r.line, r.field, r.code, r.value])).toEqual([
      [BWIN_FILES.aggregates, 3, 'AGE', 'IMPORT_ROW_INVALID', 'x1'],
      [BWIN_FILES.demographics, 4, 'Country', 'IMPORT_ROW_INVALID', '999'],
      [BWIN_FILES.demographics, 5, 'RegDate', 'IMPORT_ROW_INVALID', '2/30/2005'],
    ]);
    expect(summary).toMatchObject({ read: 7, rejected: 3, players: { loaded: 3 } });
    expect(summary.events.loaded).toBe(2 + 3 + 5 + 2);
  });

  it('maps country, language, gender and attributes of each player', async () => {
    const players = await db.store.rows<Record<string, unknown>>(
      `SELECT player_id, country, language, gender, toString(registered_at) AS registered,
              attr_keys, attr_values
       FROM players FINAL ORDER BY player_id`,
    );
    expect(players).toEqual([
      player('1001', 'DE', 'German', 'M', '2005-02-01', ['application_id', 'age'], ['3', '42']),
      player('1002', 'CI', 'English', null, '2005-02-03', ['application_id'], ['1']),
      player('1005', null, 'English', 'F', '2005-02-05', [], []),
    ]);
  });

  it('derives registration, first deposit, first bets and anchor bets', async () => {
    const events = await db.store.rows<Record<string, unknown>>(
      `SELECT event_id, type, toDate(event_time) AS day, product, prop_keys, prop_values
       FROM events WHERE player_id IN ('1001', '1002') ORDER BY event_id`,
    );
    const totals = ['10137', '10224', '236', '97'];
    expect(events).toEqual([
      event('bwin:1001:first_bet:sportsbook', 'bet', '2005-02-24', 'sportsbook'),
      event('bwin:1001:first_deposit', 'deposit', '2005-02-24', null),
      event('bwin:1001:fixed_odds:first', 'bet', '2005-02-24', 'fixed_odds', [...totals, 'first']),
      event('bwin:1001:fixed_odds:last', 'bet', '2005-09-30', 'fixed_odds', [...totals, 'last']),
      event('bwin:1001:registration', 'registration', '2005-02-01', null),
      event('bwin:1002:first_bet:casino', 'bet', '2005-02-10', 'casino'),
      event('bwin:1002:first_bet:games', 'bet', '2005-02-11', 'games'),
      event('bwin:1002:first_bet:poker', 'bet', '2005-06-11', 'poker'),
      event('bwin:1002:first_deposit', 'deposit', '2005-02-03', null),
      event('bwin:1002:registration', 'registration', '2005-02-03', null),
    ]);
  });

  it('adds nothing on a second import', async () => {
    const again = await importBwin(db.store, dir);
    expect(again).toMatchObject({
      players: { loaded: 0, duplicates: 3 },
      events: { loaded: 0, duplicates: 12 },
    });
  });
});

function player(
  id: string,
  country: string | null,
  language: string,
  gender: string | null,
  day: string,
  keys: string[],
  values: string[],
) {
  return {
    player_id: id,
    country,
    language,
    gender,
    registered: `${day} 00:00:00`,
    attr_keys: keys,
    attr_values: values,
  };
}

function event(id: string, type: string, day: string, product: string | null, values?: string[]) {
  const keys = ['total_stakes', 'total_winnings', 'total_bets', 'days_active', 'anchor'];
  return {
    event_id: id,
    type,
    day,
    product,
    prop_keys: values ? keys : [],
    prop_values: values ?? [],
  };
}

describe('COUNTRY_ALPHA2', () => {
  it.each([
    ['276', 'DE'],
    ['40', 'AT'],
    ['756', 'CH'],
    ['826', 'GB'],
    ['840', 'US'],
    ['891', 'CS'],
    ['530', 'AN'],
    ['895', 'DG'],
    ['1000', null],
  ])('maps %s to %s', (code, alpha2) => {
    expect(COUNTRY_ALPHA2.get(code)).toBe(alpha2);
  });

  it('gives every alpha-2 code the ISO shape', () => {
    const codes = [...COUNTRY_ALPHA2.values()].filter((c) => c !== null);
    expect(codes.filter((c) => !/^[A-Z]{2}$/.test(c))).toEqual([]);
  });
});

/** Loading twice on a busy two-core machine can take minutes. */
const REAL_FILE_TIMEOUT_MS = 300_000;

const haveBwin = hasSharedData(...Object.values(BWIN_FILES));

describe.skipIf(!haveBwin)(haveBwin ? 'importBwin on the real files' : SKIP_NO_DATA, () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await testDatabase('bwin_real')));
  afterAll(() => db.drop());

  it('has an alpha-2 entry for every country code of the lookup file', async () => {
    const lookups = await readLookups(path.join(SHARED_DATA, BWIN_FILES.lookups));
    const codes = [...(lookups.tables.get('country')?.keys() ?? [])];
    expect(codes).toHaveLength(242);
    expect(codes.filter((code) => !COUNTRY_ALPHA2.has(code))).toEqual([]);
  });

  it(
    'loads 42,649 players and their 267,040 events, and nothing more on a second run',
    async () => {
      const first = await importBwin(db.store, SHARED_DATA);
      console.log(`bwin import: ${first.read} rows in ${first.elapsedMs} ms`);
      expect(first).toMatchObject({
        read: 42_649 + 40_499,
        rejected: 0,
        players: { loaded: 42_649, duplicates: 0 },
        events: { loaded: 267_040, duplicates: 0 },
      });
      const [stored] = await db.store.rows<Record<string, number>>(
        `SELECT count() AS players, countIf(country = 'DE') AS germans,
              countIf(gender IS NULL) AS no_gender, countIf(has(attr_keys, 'age')) AS with_age
       FROM players FINAL`,
      );
      expect(stored).toEqual({ players: 42_649, germans: 24_171, no_gender: 1, with_age: 40_499 });

      // A real row with live-action stakes but no active-day count keeps the totals it has.
      const quirk = await db.store.rows<{ prop_keys: string[] }>(
        "SELECT prop_keys FROM events WHERE event_id = 'bwin:1328416:live_action:first'",
      );
      expect(quirk).toEqual([
        { prop_keys: ['total_stakes', 'total_winnings', 'total_bets', 'anchor'] },
      ]);

      const second = await importBwin(db.store, SHARED_DATA);
      expect(second).toMatchObject({
        players: { loaded: 0, duplicates: 42_649 },
        events: { loaded: 0, duplicates: 267_040 },
      });
    },
    REAL_FILE_TIMEOUT_MS,
  );
});
