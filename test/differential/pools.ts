// Value pools shared by the data and rule generators. Data and rules draw from the same small
// pools so that conditions hit stored values exactly (equality, boundaries) as often as they
// miss them. Strings carry the characters that break naive SQL or CSV handling.
import fc from 'fast-check';

export const TIMEZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Asia/Kolkata',
  'Australia/Sydney',
] as const;

/**
 * As-of anchors: DST changes in Berlin, New York and Sydney, month ends, a leap day, and wall
 * times one or two months after a DST change (so that "last N months" starts in a skipped or
 * repeated hour).
 */
export const AS_OF_ANCHORS = [
  '2024-04-10T06:00:00Z',
  '2024-12-03T05:00:00Z',
  '2024-11-27T01:00:00Z',
  '2024-05-31T00:00:00Z',
  '2024-03-31T01:00:00Z',
  '2024-10-27T01:00:00Z',
  '2025-03-30T01:00:00Z',
  '2024-03-10T07:00:00Z',
  '2024-11-03T06:00:00Z',
  '2025-03-09T07:00:00Z',
  '2024-04-06T16:00:00Z',
  '2024-10-05T16:00:00Z',
  '2024-02-29T00:00:00Z',
  '2024-12-31T00:00:00Z',
  '2025-01-31T00:00:00Z',
].map((iso) => Date.parse(iso));

/** Fixed instants for time values and event times: DST changes and early DateTime values. */
export const FIXED_TIMES = [
  ...AS_OF_ANCHORS.map((ms) => new Date(ms).toISOString()),
  '1970-01-02T00:00:01Z',
  '2000-02-29T00:00:00Z',
  '2006-03-31T00:00:00Z',
].map((iso) => Date.parse(iso));

/** Most players and events use the first four ids, so that events meet their profiles. */
export const PLAYER_IDS = [
  'p1',
  'p2',
  'p3',
  'p4',
  'p5',
  'p6',
  "o'brien",
  'a,b',
  'ü-1',
  'x"y',
  '🎰',
] as const;

export const STRINGS = [
  'DE',
  'AT',
  'de',
  '',
  'EUR',
  'USD',
  'card',
  'iban',
  'ok',
  'failed',
  'casino',
  "O'Brien",
  'a,b',
  'say "hi"',
  'back\\slash',
  'line\nbreak',
  'Cote d’Ivoire',
  'Zürich',
  '🎰 slots',
  '中文',
  ' DE',
  '50%_off',
] as const;

/** The strings most values are drawn from, so that equality between data and rules is common. */
export const COMMON_STRINGS = ['DE', 'AT', '', "O'Brien", 'a,b', 'Zürich'] as const;

/** Pieces of the strings above, for contains / starts_with / ends_with. */
export const FRAGMENTS = ['D', 'E', 'e', ',', "'", '"', 'ü', '🎰', '%', '_', '\\', 'a', ' '];

/**
 * Patterns on which RE2 and JavaScript (with the u flag) agree. RE2's flag groups such as
 * (?i) are left out while validateRule refuses them (it checks patterns with JavaScript).
 */
export const REGEXES = [
  '^D',
  'E$',
  '^$',
  '.',
  '^.$',
  '^..$',
  'a|b',
  '^[A-Z]{2}$',
  'ü',
  '\\d',
  ',',
  "'",
  '^.{2}$',
  'c.s',
  '^\\s',
  '[🎰]',
  '\\\\',
  '%_',
];

export const TAGS = ['vip', 'VIP', 'new', 'a,b', "q'uote", 'ü', ''];

/** A string from the common few most of the time, from all of STRINGS otherwise. */
export const stringArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...COMMON_STRINGS) },
  { weight: 2, arbitrary: fc.constantFrom(...STRINGS) },
);

export const playerIdArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PLAYER_IDS.slice(0, 4)) },
  { weight: 1, arbitrary: fc.constantFrom(...PLAYER_IDS) },
);

/** Money amounts around the rule values below: equal, one unit (0.0001) above and below. */
export const AMOUNTS = [
  '0',
  '0.0001',
  '-0.0001',
  '9.9999',
  '10',
  '10.0001',
  '49.9999',
  '50',
  '50.0001',
  '100',
  '100.5',
  '1286.01',
  '-25',
  '0.3333',
];

export const MONEY_VALUES = ['0', '10', '10.0001', '50', '49.9999', '100', '0.3333', '-0.0001'];
export const NUMBERS = [-1, 0, 1, 2, 3, 5, 10];
export const NUMBER_VALUES = [0, 1, 2, 3, 2.5, -1, 10];
export const COUNT_VALUES = [0, 1, 2, 3, 4, 1.5];

/** Fixed birth dates: the first and last storable, before 1970, 1970's first days, a leap day. */
export const BIRTH_DATES = [
  '1900-01-01',
  '1935-06-15',
  '1969-12-31',
  '1970-01-01',
  '1970-01-02',
  '1985-06-15',
  '2000-02-29',
  '2006-03-31',
  '2105-12-31',
];

/** Ages of players born a whole number of years (give or take a day) before the as-of date. */
export const AGES = [0, 1, 17, 18, 21, 54, 88];
/** Rule values of age conditions: the ages above, a fraction, and a negative age. */
export const AGE_VALUES = [-1, 0, 17, 18, 18.5, 21, 54, 88];

/** Window lengths: rules and event times use the same ones so events land on the boundaries. */
export const DURATIONS = [
  { last: 1, unit: 'day' },
  { last: 7, unit: 'day' },
  { last: 168, unit: 'hour' },
  { last: 90, unit: 'minute' },
  { last: 2, unit: 'week' },
  { last: 1, unit: 'month' },
  { last: 2, unit: 'month' },
] as const;

/** Windows long enough to reach birth dates, some back before 1970 or before year 1. */
export const LONG_DURATIONS = [
  { last: 216, unit: 'month' },
  { last: 1000, unit: 'month' },
  { last: 5000, unit: 'week' },
  { last: 100_000, unit: 'month' },
] as const;

/** Deposits dominate (as do deposit rules) so that players differ in what rules count. */
export const EVENT_TYPES = [
  'deposit',
  'deposit',
  'deposit',
  'deposit',
  'deposit',
  'deposit',
  'deposit',
  'deposit',
  'bet',
  'bet',
  'withdrawal',
  'bet',
  'win',
  'login',
  'bonus',
  'registration',
  'chargeback',
];
