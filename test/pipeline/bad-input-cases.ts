// The bad-input cases of the pipeline test, as data: each case posts its steps through the HTTP
// API, and after each step names the answer it expects and the segments each of its players is
// in once the writer stored the step and the engine evaluated it. Positive controls sit beside
// the negative cases so a segment that never changes cannot pass for one that works.

/** The segments the cases are evaluated against (ids used in `members`). */
export const SEGMENTS: Record<string, unknown> = {
  'two-deposits': { include: { all: [deposits('count', 'gte', 2)] } },
  depositors: { include: { all: [deposits('count', 'gte', 1)] } },
  'week-depositors': {
    include: { all: [{ ...deposits('count', 'gte', 1), window: { last: 7, unit: 'day' } }] },
  },
  big: { include: { all: [deposits({ sum: 'amount' }, 'gte', 100)] } },
  'no-deposits': { include: { all: [deposits('count', 'eq', 0)] } },
  germans: { include: { all: [{ field: 'country', op: 'eq', value: 'DE' }] } },
};

function deposits(measure: unknown, op: string, value: number) {
  return { list: 'deposits', measure, op, value };
}

/** Builds a step's items with the case's own player and event ids. */
export interface Build {
  /** The case's id of a player named `local` ('a', 'b'). */
  player(local: string): string;
  /** A deposit of `local` with the case's event id `key`, stamped `ago` ms before now. */
  deposit(
    local: string,
    key: string,
    amount: number | string,
    ago: number,
  ): Record<string, unknown>;
  /** A profile of `local` (country AT unless given). */
  profile(local: string, fields?: Record<string, unknown>): Record<string, unknown>;
}

export interface Step {
  readonly route: '/v1/events' | '/v1/players';
  /** The items; with `ndjson` a string item is sent as a raw line. */
  readonly items: (b: Build) => unknown[];
  readonly ndjson?: boolean;
  readonly accepted: number;
  readonly rejected?: readonly { index: number; code: string; path: string }[];
  /** The segments each named player is a member of after the step. */
  readonly members: Readonly<Record<string, readonly string[]>>;
}

export interface Case {
  readonly name: string;
  readonly steps: readonly Step[];
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const IN_WEEK = ['depositors', 'week-depositors'];
const NONE = ['no-deposits'];

const profiles = (...locals: string[]): Step => ({
  route: '/v1/players',
  items: (b) => locals.map((l) => b.profile(l)),
  accepted: locals.length,
  members: Object.fromEntries(locals.map((l) => [l, NONE])),
});

const events = (
  items: (b: Build) => unknown[],
  accepted: number,
  members: Step['members'],
  rejected: Step['rejected'] = [],
): Step => ({ route: '/v1/events', items, accepted, rejected, members });

const DUPLICATES: Case[] = [
  {
    name: 'duplicate: the same deposit twice in one request counts once',
    steps: [
      profiles('a'),
      events((b) => [b.deposit('a', 'x', 60, HOUR), b.deposit('a', 'x', 60, HOUR)], 2, {
        a: IN_WEEK,
      }),
    ],
  },
  {
    name: 'duplicate: the same deposit again in a later request counts once',
    steps: [
      profiles('a'),
      events((b) => [b.deposit('a', 'x', 60, HOUR)], 1, { a: IN_WEEK }),
      events((b) => [b.deposit('a', 'x', 60, HOUR)], 1, { a: IN_WEEK }),
    ],
  },
  {
    name: 'duplicate: an event id sent again with other values keeps the first copy',
    steps: [
      profiles('a'),
      events((b) => [b.deposit('a', 'x', 60, HOUR)], 1, { a: IN_WEEK }),
      events((b) => [b.deposit('a', 'x', 500, 2 * HOUR)], 1, { a: IN_WEEK }),
    ],
  },
  {
    name: 'duplicate: one event id used by two players in one request is two events',
    steps: [
      profiles('a', 'b'),
      events((b) => [b.deposit('a', 'x', 60, HOUR), b.deposit('b', 'x', 60, HOUR)], 2, {
        a: IN_WEEK,
        b: IN_WEEK,
      }),
    ],
  },
  {
    name: "duplicate: another player's stored event id does not hide a new event",
    steps: [
      profiles('a', 'b'),
      events((b) => [b.deposit('a', 'x', 60, HOUR)], 1, { a: IN_WEEK, b: NONE }),
      events((b) => [b.deposit('b', 'x', 60, HOUR), b.deposit('a', 'y', 60, HOUR)], 2, {
        a: ['big', 'depositors', 'two-deposits', 'week-depositors'],
        b: IN_WEEK,
      }),
    ],
  },
  {
    name: 'control: two different deposits count twice',
    steps: [
      profiles('a'),
      events((b) => [b.deposit('a', 'x', 60, HOUR), b.deposit('a', 'y', 60, HOUR)], 2, {
        a: ['big', 'depositors', 'two-deposits', 'week-depositors'],
      }),
    ],
  },
];

const LATE: Case[] = [
  {
    name: 'late: a deposit stamped 30 days ago counts all-time, not in the last 7 days',
    steps: [
      profiles('a'),
      events((b) => [b.deposit('a', 'x', 60, 30 * DAY)], 1, { a: ['depositors'] }),
    ],
  },
  {
    name: 'late: an old deposit of a player in the 7-day window adds only to all-time counts',
    steps: [
      profiles('a'),
      events((b) => [b.deposit('a', 'x', 60, HOUR)], 1, { a: IN_WEEK }),
      events((b) => [b.deposit('a', 'y', 60, 30 * DAY)], 1, {
        a: ['big', 'depositors', 'two-deposits', 'week-depositors'],
      }),
    ],
  },
  {
    name: 'control: a deposit stamped 3 days ago counts in the last 7 days',
    steps: [profiles('a'), events((b) => [b.deposit('a', 'x', 60, 3 * DAY)], 1, { a: IN_WEEK })],
  },
];

const UNKNOWN_PLAYERS: Case[] = [
  {
    name: 'unknown player: events are kept, count nowhere, and count once the profile arrives',
    steps: [
      events((b) => [b.deposit('a', 'x', 60, HOUR), b.deposit('a', 'y', 60, 2 * HOUR)], 2, {
        a: [],
      }),
      {
        ...profiles('a'),
        members: { a: ['big', 'depositors', 'two-deposits', 'week-depositors'] },
      },
    ],
  },
];

const FUTURE: Case[] = [
  {
    name: 'future: a deposit stamped an hour ahead is accepted and counts nowhere yet',
    steps: [profiles('a'), events((b) => [b.deposit('a', 'x', 60, -HOUR)], 1, { a: NONE })],
  },
  {
    name: 'future: a deposit beyond INGEST_FUTURE_LIMIT_MS is rejected, its neighbour counts',
    steps: [
      profiles('a'),
      events(
        (b) => [b.deposit('a', 'x', 500, -2 * DAY), b.deposit('a', 'y', 60, HOUR)],
        1,
        { a: IN_WEEK },
        [{ index: 0, code: 'INGEST_EVENT_TOO_FAR_AHEAD', path: 'event_time' }],
      ),
    ],
  },
];

/** Each bad item would put `a` into big and two-deposits if it were stored. */
function malformedEvents(b: Build): unknown[] {
  const bad = (key: string, patch: Record<string, unknown>) => ({
    ...b.deposit('a', key, 500, HOUR),
    ...patch,
  });
  const { event_id: _, ...noId } = b.deposit('a', 'no-id', 500, HOUR);
  return [
    b.deposit('a', 'x', 60, HOUR),
    noId,
    bad('m2', { amount: 'abc' }),
    bad('m3', { ammount: '5' }),
    42,
    bad('m5', { event_time: '2026-13-01T10:00:00Z' }),
    bad('m6', { type: 'Deposit!' }),
    bad('m7', { event_time: '2026-03-01T10:00:00' }),
    bad('m8', { props: { bonus_code: 5 } }),
    b.deposit('b', 'y', 150, HOUR),
  ];
}

const MALFORMED: Case[] = [
  {
    name: 'malformed: bad events are rejected by index, code and path; neighbours count',
    steps: [
      profiles('a', 'b'),
      events(malformedEvents, 2, { a: IN_WEEK, b: ['big', ...IN_WEEK] }, [
        { index: 1, code: 'INGEST_FIELD_MISSING', path: 'event_id' },
        { index: 2, code: 'INGEST_FIELD_INVALID', path: 'amount' },
        { index: 3, code: 'INGEST_FIELD_UNKNOWN', path: 'ammount' },
        { index: 4, code: 'INGEST_ITEM_MALFORMED', path: '' },
        { index: 5, code: 'INGEST_FIELD_INVALID', path: 'event_time' },
        { index: 6, code: 'INGEST_FIELD_INVALID', path: 'type' },
        { index: 7, code: 'INGEST_FIELD_INVALID', path: 'event_time' },
        { index: 8, code: 'INGEST_FIELD_INVALID', path: 'props.bonus_code' },
      ]),
    ],
  },
  {
    name: 'malformed: an NDJSON line that is not JSON rejects only itself',
    steps: [
      profiles('a', 'b'),
      {
        ...events(
          (b) => [
            b.deposit('a', 'x', 60, HOUR),
            '{"event_id": "broken',
            b.deposit('b', 'y', 60, HOUR),
          ],
          2,
          { a: IN_WEEK, b: IN_WEEK },
          [{ index: 1, code: 'INGEST_ITEM_MALFORMED', path: '' }],
        ),
        ndjson: true,
      },
    ],
  },
  {
    name: 'malformed: bad profiles are rejected; the good neighbour joins segments',
    steps: [
      {
        route: '/v1/players',
        items: (b) => [
          b.profile('a', { country: 'DE' }),
          b.profile('b', { country: 'Germany' }),
          b.profile('c', { country: 'DE', nickname: 'x' }),
          { player_id: '', country: 'DE' },
          b.profile('d', { country: 'DE', vip_level: 1.5 }),
        ],
        accepted: 1,
        rejected: [
          { index: 1, code: 'INGEST_FIELD_INVALID', path: 'country' },
          { index: 2, code: 'INGEST_FIELD_UNKNOWN', path: 'nickname' },
          { index: 3, code: 'INGEST_FIELD_INVALID', path: 'player_id' },
          { index: 4, code: 'INGEST_FIELD_INVALID', path: 'vip_level' },
        ],
        members: { a: ['germans', 'no-deposits'], b: [], c: [], d: [] },
      },
    ],
  },
];

export const CASES: readonly Case[] = [
  ...DUPLICATES,
  ...LATE,
  ...UNKNOWN_PLAYERS,
  ...FUTURE,
  ...MALFORMED,
];
