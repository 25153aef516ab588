import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../errors/errors.ts';
import { checkEvents, checkPlayers, type RawItem } from './validate.ts';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const CTX = { nowMs: NOW, futureLimitMs: 86_400_000 };
const EVENT = {
  event_id: 'e1',
  player_id: 'p1',
  type: 'deposit',
  event_time: '2026-03-01T10:00:00Z',
};

const items = (...values: unknown[]): RawItem[] => values.map((value, index) => ({ index, value }));
const event = (patch: Record<string, unknown>) => ({ ...EVENT, ...patch });
const at = (eventTime: unknown) => event({ event_time: eventTime });
const BAD = 'INGEST_FIELD_INVALID';
const MISSING = 'INGEST_FIELD_MISSING';
const without = (field: string) =>
  Object.fromEntries(Object.entries(EVENT).filter(([k]) => k !== field));

describe('checkEvents rejects a bad item with its code and field path', () => {
  it.each<[string, unknown, ErrorCode, string]>([
    ['no event_id', without('event_id'), MISSING, 'event_id'],
    ['no player_id', without('player_id'), MISSING, 'player_id'],
    ['no event_time', without('event_time'), MISSING, 'event_time'],
    ['a misspelt field', event({ ammount: '5' }), 'INGEST_FIELD_UNKNOWN', 'ammount'],
    ['an empty event_id', event({ event_id: '' }), BAD, 'event_id'],
    ['a blank around the id', event({ event_id: 'e1 ' }), BAD, 'event_id'],
    ['a newline in the id', event({ event_id: 'e\n1' }), BAD, 'event_id'],
    ['a numeric player_id', event({ player_id: 42 }), BAD, 'player_id'],
    ['a capitalised type', event({ type: 'Deposit' }), BAD, 'type'],
    ['a time without offset', at('2026-03-01T10:00:00'), BAD, 'event_time'],
    ['a time with a blank', at('2026-03-01 10:00:00Z'), BAD, 'event_time'],
    ['a day that does not exist', at('2026-02-30T10:00:00Z'), BAD, 'event_time'],
    ['hour 24', at('2026-03-01T24:00:00Z'), BAD, 'event_time'],
    ['a time before 1970', at('1969-12-31T23:59:59Z'), BAD, 'event_time'],
    ['negative epoch ms', at(-1), BAD, 'event_time'],
    ['fractional epoch ms', at(1.5), BAD, 'event_time'],
    ['a time as words', at('yesterday'), BAD, 'event_time'],
    ['2 days ahead', at(NOW + 2 * 86_400_000), 'INGEST_EVENT_TOO_FAR_AHEAD', 'event_time'],
    ['5 decimal places (text)', event({ amount: '12.34567' }), BAD, 'amount'],
    ['a decimal comma', event({ amount: '12,50' }), BAD, 'amount'],
    ['exponent text', event({ amount: '1e3' }), BAD, 'amount'],
    ['5 decimal places (number)', event({ amount: 12.34567 }), BAD, 'amount'],
    ['a tiny number', event({ amount: 1e-7 }), BAD, 'amount'],
    ['15 integer digits', event({ amount: 123456789012345 }), BAD, 'amount'],
    ['16 significant digits', event({ amount: 12345678901234.56 }), BAD, 'amount'],
    ['a boolean amount', event({ amount: true }), BAD, 'amount'],
    ['a lower-case currency', event({ currency: 'eur' }), BAD, 'currency'],
    ['a fractional quantity', event({ quantity: 1.5 }), BAD, 'quantity'],
    ['a numeric prop value', event({ props: { bonus: 5 } }), BAD, 'props.bonus'],
    ['an empty prop key', event({ props: { '': 'x' } }), BAD, 'props.'],
    ['props as a list', event({ props: ['a'] }), BAD, 'props'],
    ['a long product', event({ product: 'x'.repeat(201) }), BAD, 'product'],
    ['null', null, 'INGEST_ITEM_MALFORMED', ''],
    ['a string', 'deposit', 'INGEST_ITEM_MALFORMED', ''],
    ['an array', [EVENT], 'INGEST_ITEM_MALFORMED', ''],
  ])('%s', (_name, value, code, path) => {
    const { accepted, rejected } = checkEvents(items(value), CTX);
    expect(accepted).toEqual([]);
    expect(rejected).toEqual([{ index: 0, code, path, message: expect.any(String) }]);
    if (path !== '') expect(rejected[0]?.message).toContain(path);
  });
});

describe('checkEvents converts a good item into the stored row', () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['an ISO time in UTC', {}, { event_time: Date.parse('2026-03-01T10:00:00Z') }],
    [
      'an ISO time with offset',
      { event_time: '2026-03-01T12:00:00+02:00' },
      { event_time: Date.parse('2026-03-01T10:00:00Z') },
    ],
    [
      'an ISO time with fraction',
      { event_time: '2026-03-01T10:00:00.5-01:30' },
      { event_time: Date.parse('2026-03-01T11:30:00.500Z') },
    ],
    [
      'minutes only',
      { event_time: '2026-03-01T10:07Z' },
      { event_time: Date.parse('2026-03-01T10:07:00Z') },
    ],
    ['epoch milliseconds', { event_time: 1_767_225_600_000 }, { event_time: 1_767_225_600_000 }],
    [
      'a late event from 2019',
      { event_time: '2019-06-01T00:00:00Z' },
      { event_time: Date.parse('2019-06-01T00:00:00Z') },
    ],
    ['an event 1 hour ahead', { event_time: NOW + 3_600_000 }, { event_time: NOW + 3_600_000 }],
    ['amount text kept as sent', { amount: '100.00' }, { amount: '100.00' }],
    ['amount 12.5', { amount: 12.5 }, { amount: '12.5' }],
    ['amount 0.1', { amount: 0.1 }, { amount: '0.1' }],
    ['amount 1234.5678', { amount: 1234.5678 }, { amount: '1234.5678' }],
    ['amount -20', { amount: -20 }, { amount: '-20' }],
    [
      '14 integer digits as text',
      { amount: '99999999999999.9999' },
      { amount: '99999999999999.9999' },
    ],
    ['amount null', { amount: null }, { amount: null }],
    ['no amount', {}, { amount: null }],
    [
      'optional fields',
      { currency: 'USDT', quantity: 3, status: null },
      { currency: 'USDT', quantity: 3, status: null },
    ],
    [
      'props',
      { props: { bonus_code: "WELCOME'1", x: '' } },
      { props: { bonus_code: "WELCOME'1", x: '' } },
    ],
  ])('%s', (_name, patch, expected) => {
    const { accepted, rejected } = checkEvents(items(event(patch)), CTX);
    expect(rejected).toEqual([]);
    expect(accepted).toEqual([expect.objectContaining({ event_id: 'e1', ...expected })]);
  });

  it('accepts the good items of a mixed batch and reports the bad ones by index', () => {
    const batch = items(event({}), event({ amount: 'ten' }), event({ event_id: 'e3' }), 7);
    const { accepted, rejected } = checkEvents(batch, CTX);
    expect(accepted.map((e) => e.event_id)).toEqual(['e1', 'e3']);
    expect(rejected.map(({ index, code, path }) => ({ index, code, path }))).toEqual([
      { index: 1, code: BAD, path: 'amount' },
      { index: 3, code: 'INGEST_ITEM_MALFORMED', path: '' },
    ]);
  });

  it('rejects a line that was not JSON with its own index', () => {
    const batch: RawItem[] = [
      { index: 0, value: EVENT },
      { index: 2, malformed: 'the line is not valid JSON' },
    ];
    const { accepted, rejected } = checkEvents(batch, CTX);
    expect(accepted).toHaveLength(1);
    expect(rejected).toEqual([
      {
        index: 2,
        code: 'INGEST_ITEM_MALFORMED',
        path: '',
        message: 'The item is not a JSON object (the line is not valid JSON)',
      },
    ]);
  });
});

const PLAYER = { player_id: 'p1' };
const player = (patch: Record<string, unknown>) => ({ ...PLAYER, ...patch });

describe('checkPlayers rejects a bad update with its code and field path', () => {
  it.each<[string, unknown, ErrorCode, string]>([
    ['no player_id', { country: 'DE' }, MISSING, 'player_id'],
    ['an unknown field', player({ nickname: 'ace' }), 'INGEST_FIELD_UNKNOWN', 'nickname'],
    ['a three-letter country', player({ country: 'DEU' }), BAD, 'country'],
    ['a day that does not exist', player({ birth_date: '2001-02-29' }), BAD, 'birth_date'],
    ['30 February', player({ birth_date: '2023-02-30' }), BAD, 'birth_date'],
    ['month 13 in a birth date', player({ birth_date: '1965-13-01' }), BAD, 'birth_date'],
    ['month 0', player({ birth_date: '1965-00-10' }), BAD, 'birth_date'],
    ['day 0', player({ birth_date: '1965-04-00' }), BAD, 'birth_date'],
    ['a birth date before 1900', player({ birth_date: '1899-12-31' }), BAD, 'birth_date'],
    ['a birth date after 2105', player({ birth_date: '2106-01-01' }), BAD, 'birth_date'],
    ['a birth date with a time', player({ birth_date: '1965-04-01T00:00:00Z' }), BAD, 'birth_date'],
    ['a birth date as a number', player({ birth_date: 19650401 }), BAD, 'birth_date'],
    ['a word as vip_level', player({ vip_level: 'gold' }), BAD, 'vip_level'],
    ['a number among tags', player({ tags: ['vip', 5] }), BAD, 'tags[1]'],
    ['a null attribute value', player({ attributes: { tier: null } }), BAD, 'attributes.tier'],
    ['yes as a boolean', player({ self_excluded: 'yes' }), BAD, 'self_excluded'],
    ['a negative version', player({ version: -1 }), BAD, 'version'],
    ['updated_at as words', player({ updated_at: 'today' }), BAD, 'updated_at'],
    ['month 13', player({ registered_at: '2026-13-01T00:00:00Z' }), BAD, 'registered_at'],
    ['a player_id of blanks', player({ player_id: '  ' }), BAD, 'player_id'],
  ])('%s', (_name, value, code, path) => {
    const { accepted, rejected } = checkPlayers(items(value), () => 1);
    expect(accepted).toEqual([]);
    expect(rejected).toEqual([{ index: 0, code, path, message: expect.any(String) }]);
  });
});

describe('checkPlayers turns an update into a versioned change set', () => {
  it.each<[string, Record<string, unknown>, number, Record<string, unknown>]>([
    ['an explicit version', { version: 7, country: 'DE' }, 7, { country: 'DE' }],
    ['version wins over updated_at', { version: 7, updated_at: 1_000 }, 7, {}],
    [
      'updated_at as the version',
      { updated_at: '2026-03-01T10:00:00Z' },
      Date.parse('2026-03-01T10:00:00Z'),
      {},
    ],
    ['the clock when none is named', { email: 'a@b.example' }, 42, { email: 'a@b.example' }],
    ['null clears', { email: null, tags: null }, 42, { email: null, tags: null }],
    [
      'times in milliseconds',
      { registered_at: '2026-01-05T10:00:00+01:00', cooling_off_until: 0 },
      42,
      { registered_at: Date.parse('2026-01-05T09:00:00Z'), cooling_off_until: 0 },
    ],
    ['a birth date before 1970', { birth_date: '1935-06-15' }, 42, { birth_date: '1935-06-15' }],
    ['the first birth date', { birth_date: '1900-01-01' }, 42, { birth_date: '1900-01-01' }],
    ['the last birth date', { birth_date: '2105-12-31' }, 42, { birth_date: '2105-12-31' }],
    ['29 February of a leap year', { birth_date: '1960-02-29' }, 42, { birth_date: '1960-02-29' }],
    ['a birth date cleared', { birth_date: null }, 42, { birth_date: null }],
    [
      'lists and flags',
      { tags: ['vip'], attributes: { tier: 'gold' }, marketing_sms: false },
      42,
      { tags: ['vip'], attributes: { tier: 'gold' }, marketing_sms: false },
    ],
  ])('%s', (_name, patch, version, changes) => {
    const { accepted, rejected } = checkPlayers(items(player(patch)), () => 42);
    expect(rejected).toEqual([]);
    expect(accepted).toEqual([{ player_id: 'p1', version, changes }]);
  });
});
