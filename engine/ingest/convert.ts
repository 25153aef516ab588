// Turns a schema-valid ingest item into the row the batch writer stores, checking what a JSON
// Schema pattern cannot: that a date exists, that a time fits ClickHouse's DateTime, that an
// event is not stamped too far ahead, and that a numeric amount is exact. Amounts end up as
// decimal text, so no float artefact (0.30000000000000004) ever reaches the Decimal column.
import type { ErrorCode } from '../errors/errors.ts';
import { DAY_RANGE, daysInMonth, isStorableDay } from '../store/day.ts';
import type { EventRow } from '../store/events.ts';
import type { PlayerRow } from '../store/players.ts';
import { DECIMAL_TEXT, MAX_TIME_MS, type EventInput, type PlayerUpsertInput } from './schema.ts';

/** Why one item cannot be stored: a catalogue code, the field path and what was expected. */
export class Problem {
  constructor(
    readonly code: ErrorCode,
    readonly path: string,
    readonly detail: string,
  ) {}
}

/** A player profile change as queued: `null` clears a field, a missing key keeps it. */
export type PlayerChanges = {
  -readonly [K in Exclude<keyof PlayerRow, 'player_id' | 'version'>]?: PlayerRow[K] | null;
};

export interface PlayerUpsert {
  readonly player_id: string;
  /** Orders the updates of one player; only an update newer than the stored profile applies. */
  readonly version: number;
  readonly changes: PlayerChanges;
}

export interface EventContext {
  readonly nowMs: number;
  /** Events stamped more than this after nowMs are refused. */
  readonly futureLimitMs: number;
}

const ISO_PARTS =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):(\d{2}))$/;

/** Epoch milliseconds of an ISO 8601 time with offset, or of epoch milliseconds as given. */
export function parseTime(value: string | number): number | undefined {
  const ms = typeof value === 'number' ? value : isoTime(value);
  return ms !== undefined && Number.isInteger(ms) && ms >= 0 && ms <= MAX_TIME_MS ? ms : undefined;
}

// Runs for every ingested event: plain arithmetic, no Date objects or intermediate arrays.
function isoTime(text: string): number | undefined {
  const m = ISO_PARTS.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const fractionMs = m[7] === undefined ? 0 : Number(`${m[7]}00`.slice(0, 3));
  let offsetMs = 0;
  if (m[8] !== 'Z') {
    const [offsetHours, offsetMinutes] = [Number(m[10]), Number(m[11])];
    if (offsetHours > 14 || offsetMinutes > 59) return undefined;
    offsetMs = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, fractionMs) - offsetMs;
}

const DECIMAL = new RegExp(DECIMAL_TEXT);

/**
 * Exact decimal text of an amount. Text is kept as sent. A number is printed in its shortest
 * round-trip form, which equals what the client wrote as long as it had at most 15 significant
 * digits; beyond that a double cannot hold it, so it must be sent as text.
 */
export function amountText(value: string | number): string | undefined {
  if (typeof value === 'string') return DECIMAL.test(value) ? value : undefined;
  if (!Number.isFinite(value)) return undefined;
  const text = String(value);
  if (!DECIMAL.test(text)) return undefined;
  const significant = text.replace(/[-.]/g, '').replace(/^0+/, '');
  return significant.length <= 15 ? text : undefined;
}

const HINT_AMOUNT = 'a decimal with at most 4 places; send amounts over 15 digits as text';
const HINT_TIME = 'a real time between 1970-01-01 and 2106-02-07';

export function toEventRow(input: EventInput, ctx: EventContext): EventRow | Problem {
  const eventTime = parseTime(input.event_time);
  if (eventTime === undefined) return new Problem('INGEST_FIELD_INVALID', 'event_time', HINT_TIME);
  if (eventTime > ctx.nowMs + ctx.futureLimitMs) {
    const limit = new Date(ctx.nowMs + ctx.futureLimitMs).toISOString();
    return new Problem('INGEST_EVENT_TOO_FAR_AHEAD', 'event_time', `later than ${limit}`);
  }
  let amount: string | null = null;
  if (input.amount !== undefined && input.amount !== null) {
    const text = amountText(input.amount);
    if (text === undefined) return new Problem('INGEST_FIELD_INVALID', 'amount', HINT_AMOUNT);
    amount = text;
  }
  return { ...input, event_time: eventTime, amount };
}

/** `nextVersion` supplies the version of an update that names neither version nor updated_at. */
export function toPlayerUpsert(
  input: PlayerUpsertInput,
  nextVersion: () => number,
): PlayerUpsert | Problem {
  const { player_id, version, updated_at, registered_at, cooling_off_until, ...same } = input;
  const changes: PlayerChanges = { ...same };
  if (registered_at !== undefined) {
    const ms = registered_at === null ? null : parseTime(registered_at);
    if (ms === undefined) return new Problem('INGEST_FIELD_INVALID', 'registered_at', HINT_TIME);
    changes.registered_at = ms;
  }
  if (cooling_off_until !== undefined) {
    const ms = cooling_off_until === null ? null : parseTime(cooling_off_until);
    if (ms === undefined) {
      return new Problem('INGEST_FIELD_INVALID', 'cooling_off_until', HINT_TIME);
    }
    changes.cooling_off_until = ms;
  }
  if (typeof same.birth_date === 'string' && !isStorableDay(same.birth_date)) {
    const detail = `a calendar date between ${DAY_RANGE.first} and ${DAY_RANGE.last}`;
    return new Problem('INGEST_FIELD_INVALID', 'birth_date', detail);
  }
  return orderedUpsert(player_id, version, updated_at, changes, nextVersion);
}

function orderedUpsert(
  player_id: string,
  version: number | undefined,
  updatedAt: string | number | undefined,
  changes: PlayerChanges,
  nextVersion: () => number,
): PlayerUpsert | Problem {
  if (version !== undefined) return { player_id, version, changes };
  if (updatedAt === undefined) return { player_id, version: nextVersion(), changes };
  const ms = parseTime(updatedAt);
  if (ms === undefined) return new Problem('INGEST_FIELD_INVALID', 'updated_at', HINT_TIME);
  return { player_id, version: ms, changes };
}

/**
 * Versions for updates that bring none: the acceptance time in milliseconds, made strictly
 * increasing so two updates of one player in the same millisecond keep their order.
 */
export function versionClock(now: () => number = Date.now): () => number {
  let last = 0;
  return () => {
    last = Math.max(now(), last + 1);
    return last;
  };
}
