// One bwin data row -> player and event rows. All times are 00:00:00 UTC of the written day
// (the files hold days only). Event ids are `bwin:<user>:<kind>`, one per kind and player, so
// a re-import adds nothing. Rejections name the source column at fault.
import type { EventRow } from '../../../store/events.ts';
import type { PlayerRow } from '../../../store/players.ts';
import { BUILTIN_VERSION } from '../cdnow.ts';
import { checkEventRow, checkPlayerRow } from '../schema.ts';
import { parseAmount, parseInteger, parseTime, rowInvalid, type DateFormat } from '../values.ts';
import { COUNTRY_ALPHA2 } from './countries.ts';
import { lookupLabel, type BwinLookups } from './lookups.ts';

export type BwinRecord = Readonly<Record<string, string>>;

/** The literal NULL and empty fields both mean "no value" in the bwin files. */
export function value(record: BwinRecord, column: string): string | undefined {
  const text = (record[column] ?? '').trim();
  return text === '' || text === 'NULL' ? undefined : text;
}

function required(record: BwinRecord, column: string): string {
  const text = value(record, column);
  if (text === undefined) throw rowInvalid(column, 'missing');
  return text;
}

function userId(record: BwinRecord, column: string): string {
  const id = required(record, column);
  if (!/^\d{1,20}$/.test(id)) throw rowInvalid(column, 'not a numeric user id', id);
  return id;
}

function day(record: BwinRecord, column: string, format: DateFormat): number | undefined {
  const text = value(record, column);
  return text === undefined ? undefined : parseTime(column, text, format);
}

/** First bets per product, from the demographics file's first-activity columns. */
const FIRST_BETS = [
  ['FirstSp', 'sportsbook'],
  ['FirstCa', 'casino'],
  ['FirstGa', 'games'],
  ['FirstPo', 'poker'],
] as const;

export interface Demographics {
  readonly player: PlayerRow;
  readonly events: readonly EventRow[];
}

export function demographicsRow(
  record: BwinRecord,
  lookups: BwinLookups,
  age: string | undefined,
): Demographics {
  const user = userId(record, 'UserID');
  const registeredAt = day(record, 'RegDate', 'M/D/YYYY');
  if (registeredAt === undefined) throw rowInvalid('RegDate', 'missing');
  const application = value(record, 'ApplicationID');
  const attributes: Record<string, string> = {};
  if (application !== undefined) {
    attributes.application_id = String(parseInteger('ApplicationID', application));
  }
  if (age !== undefined) attributes.age = age;

  const player = checkPlayerRow({
    player_id: user,
    version: BUILTIN_VERSION,
    country: country(record),
    language: language(record, lookups),
    gender: gender(record),
    registered_at: registeredAt,
    attributes,
  });
  return { player, events: demographicsEvents(record, user, registeredAt) };
}

function demographicsEvents(record: BwinRecord, user: string, registeredAt: number): EventRow[] {
  const event = (kind: string, type: string, time: number, product?: string) =>
    checkEventRow({
      event_id: `bwin:${user}:${kind}`,
      player_id: user,
      type,
      event_time: time,
      ...(product ? { product } : {}),
    });
  const events = [event('registration', 'registration', registeredAt)];
  const firstPay = day(record, 'FirstPay', 'YYYYMMDD');
  if (firstPay !== undefined) events.push(event('first_deposit', 'deposit', firstPay));
  for (const [column, product] of FIRST_BETS) {
    const time = day(record, column, 'YYYYMMDD');
    if (time !== undefined) events.push(event(`first_bet:${product}`, 'bet', time, product));
  }
  return events;
}

function country(record: BwinRecord): string | null {
  const code = value(record, 'Country');
  if (code === undefined) return null;
  const alpha2 = COUNTRY_ALPHA2.get(code);
  if (alpha2 === undefined) throw rowInvalid('Country', 'unknown ISO 3166-1 numeric code', code);
  return alpha2;
}

function language(record: BwinRecord, lookups: BwinLookups): string | null {
  const code = value(record, 'Language');
  if (code === undefined) return null;
  const label = lookupLabel(lookups, 'language', code);
  if (label === undefined) throw rowInvalid('Language', 'not in the language lookup', code);
  return label;
}

function gender(record: BwinRecord): string | null {
  const code = value(record, 'Gender');
  if (code === undefined) return null;
  if (code === '1') return 'M';
  if (code === '0') return 'F';
  throw rowInvalid('Gender', 'expected 1 (male) or 0 (female)', code);
}

/** Sports-betting products of the aggregates file: column prefix and product name. */
const AGGREGATE_PRODUCTS = [
  ['FO', 'fixed_odds'],
  ['LA', 'live_action'],
] as const;

export interface Aggregates {
  readonly user: string;
  readonly age: string | undefined;
  readonly events: readonly EventRow[];
}

/** Two anchor `bet` events (first and last active day) per product the player used. */
export function aggregatesRow(record: BwinRecord): Aggregates {
  const user = userId(record, 'USERID');
  const ageText = value(record, 'AGE');
  const age =
    ageText === undefined ? undefined : String(parseInteger('AGE', ageText, { min: 0, max: 150 }));
  const events: EventRow[] = [];
  for (const [prefix, product] of AGGREGATE_PRODUCTS) {
    const first = day(record, `${prefix}FirstActiveDate`, 'iso');
    if (first === undefined) continue;
    const last = day(record, `${prefix}LastActiveDate`, 'iso');
    if (last === undefined) throw rowInvalid(`${prefix}LastActiveDate`, 'missing');
    const props = totals(record, prefix);
    for (const [anchor, time] of [
      ['first', first],
      ['last', last],
    ] as const) {
      events.push(
        checkEventRow({
          event_id: `bwin:${user}:${product}:${anchor}`,
          player_id: user,
          type: 'bet',
          event_time: time,
          product,
          props: { ...props, anchor },
        }),
      );
    }
  }
  return { user, age, events };
}

/**
 * Totals of one product as props: euros stay exact decimal text, counts whole numbers. A
 * missing total is left out (one real row has stakes but no active-day count).
 */
function totals(record: BwinRecord, prefix: string): Record<string, string> {
  const props: Record<string, string> = {};
  const put = (key: string, column: string, parse: (column: string, text: string) => string) => {
    const text = value(record, column);
    if (text !== undefined) props[key] = parse(column, text);
  };
  const count = (column: string, text: string) =>
    String(parseInteger(column, text, { min: 0, max: Number.MAX_SAFE_INTEGER }));
  put('total_stakes', `${prefix}TotalStakes`, parseAmount);
  put('total_winnings', `${prefix}TotalWinnings`, parseAmount);
  put('total_bets', `${prefix}TotalBets`, count);
  put('days_active', `${prefix}TotalDaysActive`, count);
  return props;
}
