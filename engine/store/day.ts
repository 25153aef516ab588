// Calendar dates (players.birth_date) as stored: an Int32 holding the date's digits, YYYYMMDD
// (1965-04-12 is 19650412). ClickHouse 18.16's Date starts at 1970, which would leave out
// every player born earlier; the digits fit any date, sort like the dates they stand for, and
// let SQL count whole years with integer arithmetic alone (no date function, which would break
// before 1970).

/** The dates a birth date may be: any real one, and nothing absurd. */
export const DAY_RANGE = { first: '1900-01-01', last: '2105-12-31' } as const;

const DAY_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** YYYYMMDD of a `YYYY-MM-DD` date that exists and lies in DAY_RANGE; undefined otherwise. */
function storedDay(text: string): number | undefined {
  const m = DAY_TEXT.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (text < DAY_RANGE.first || text > DAY_RANGE.last) return undefined;
  return dayDigits(year, month, day);
}

export function isStorableDay(text: string): boolean {
  return storedDay(text) !== undefined;
}

/** The stored YYYYMMDD of a date; a date that cannot be stored is refused, never written. */
export function toStoredDay(text: string): number {
  const digits = storedDay(text);
  if (digits === undefined) throw new RangeError(`not a storable calendar date: ${text}`);
  return digits;
}

/** `YYYY-MM-DD` of a stored YYYYMMDD. */
export function fromStoredDay(digits: number): string {
  const text = String(digits).padStart(8, '0');
  return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
}

/** YYYYMMDD of a calendar date given as numbers (month 1..12), for years 0..9999. */
export function dayDigits(year: number, month: number, day: number): number {
  return year * 10_000 + month * 100 + day;
}

/** YYYYMMDD of the date `epochDay` days after 1970-01-01 (negative: before), in UTC. */
export function epochDayDigits(epochDay: number): number {
  const d = new Date(epochDay * DAY_MS);
  return dayDigits(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}
