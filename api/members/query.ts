// The one query behind member tables and exports: the snapshot's members (player_numbers rows
// whose bit is set) joined with their latest profile (players FINAL), sorted by the chosen field
// and then by player_id, so that equal values always come in the same order and pages never
// overlap. A page and an export of the same snapshot hold the same rows in the same order; only
// how each cell is written differs (JSON values or CSV text). Anonymized fields are never read:
// their cells are the MASK constant.
import type { FieldType } from '../../engine/catalogue/types.ts';
import { fieldValue, KeyFields } from '../../engine/compiler/fields.ts';
import type { ExtraColumns } from '../../engine/compiler/query.ts';
import type { TimeEnv } from '../../engine/compiler/time.ts';
import { sqlNumber, sqlString } from '../../engine/sql/literal.ts';
import { querySizeFor } from '../../engine/store/events.ts';
import { MASK, PLAYER_ID, type MemberColumn, type MemberSort } from './columns.ts';

export interface MembersPlan {
  readonly columns: readonly MemberColumn[];
  readonly sort: MemberSort;
  /** Gives computed fields (age) their as-of date: now, in the segment's timezone. */
  readonly env: TimeEnv;
}

export type CellStyle = 'json' | 'csv';

export interface Page {
  readonly limit: number;
  readonly offset: number;
}

/** ClickHouse's default max_query_size (256 KiB), minus room for the HTTP wrapping. */
const DEFAULT_QUERY_SIZE = 250_000;

/**
 * Settings for a members query: a larger max_query_size when the bitmap makes the text long
 * (past about 1M player numbers), none otherwise, so that read-only users, which may not change
 * settings, can run the usual ones.
 */
export function querySettings(sql: string): Record<string, number> | undefined {
  return Buffer.byteLength(sql) > DEFAULT_QUERY_SIZE ? querySizeFor(sql) : undefined;
}

/** A raw field value selected in the profile subquery. */
interface Source {
  readonly alias: string;
  readonly type: FieldType;
  /** YYYYMMDD digits of a date (birth_date), not a DateTime. */
  readonly day: boolean;
}

/**
 * The SELECT (without FORMAT) of the members matching `members` (a condition on player_num,
 * see memberCondition), one output column `c<i>` per plan column.
 */
export function membersSql(
  plan: MembersPlan,
  members: string,
  style: CellStyle,
  page?: Page,
): string {
  const memberIds = `SELECT player_id FROM player_numbers WHERE ${members}`;
  const { sources, profiles } = profileQuery(plan, memberIds);
  return `SELECT ${outputs(plan, sources, style)}
FROM (SELECT player_id FROM player_numbers FINAL WHERE ${members})
ANY LEFT JOIN (${profiles}) USING player_id
${orderAndLimit(plan, sources, page)}`;
}

/**
 * The same rows for the members of a rule not saved anywhere (a preview). `rowsSql` is the
 * rule's members query compiled with previewColumns(plan), so the profile values come from the
 * rule's own pass over players FINAL and the rule is evaluated once.
 *
 * The page and the member count come from this one query: the rows are grouped by player_id
 * (the rule gives one row per member, so each group is one member and any() is its value), and
 * WITH TOTALS adds a totals row whose MEMBER_COUNT counts every group before ORDER BY and LIMIT
 * apply. Run it with Store.rowsWithTotals. The values are not grouping keys: a Decimal128 key
 * (a money attribute) crashes ClickHouse 18.16 (ColumnDecimal deserializeAndInsertFromArena).
 */
export function ruleMembersSql(plan: MembersPlan, rowsSql: string, page: Page): string {
  const { sources } = profileSources(plan, new KeyFields('players'));
  const picks = [...sources.values()].map((s) => `any(${rowAlias(s.alias)}) AS ${s.alias}`);
  return `SELECT ${[...picks, outputs(plan, sources, 'json')].join(', ')}, count() AS ${MEMBER_COUNT}
FROM (${rowsSql})
GROUP BY player_id WITH TOTALS
${orderAndLimit(plan, sources, page)}`;
}

/** The profile values ruleMembersSql reads, as extra columns of the rule's members query. */
export function previewColumns(plan: MembersPlan): ExtraColumns {
  return (keys) => profileSources(plan, keys, rowAlias).selects;
}

/** A value's name in the rule's rows, apart from the name ruleMembersSql gives its any(). */
const rowAlias = (alias: string) => `row_${alias}`;

/** The column of ruleMembersSql's totals row that holds the member count. */
export const MEMBER_COUNT = 'member_count';

function outputs(plan: MembersPlan, sources: Map<string, Source>, style: CellStyle): string {
  return plan.columns.map((c, i) => `${cell(c, sources, style)} AS c${i}`).join(', ');
}

function orderAndLimit(plan: MembersPlan, sources: Map<string, Source>, page?: Page): string {
  const sortBy = plan.sort.field.name;
  const order = sortBy === PLAYER_ID ? '' : `${sources.get(sortBy)!.alias} ${dir(plan)}, `;
  const limit = page ? `\nLIMIT ${sqlNumber(page.offset)}, ${sqlNumber(page.limit)}` : '';
  return `ORDER BY ${order}player_id ${sortBy === PLAYER_ID ? dir(plan) : 'ASC'}${limit}`;
}

function dir(plan: MembersPlan): string {
  return plan.sort.direction === 'desc' ? 'DESC' : 'ASC';
}

/**
 * The profiles of the members (`memberIds` selects their player_id), with each field that is
 * shown unmasked or sorted by.
 */
function profileQuery(plan: MembersPlan, memberIds: string) {
  const keys = new KeyFields('players');
  const { sources, selects } = profileSources(plan, keys);
  // The IN filter keeps the join's right side to the members' profiles instead of everyone's.
  const profiles = `${keys.withClause()}SELECT ${['player_id', ...selects].join(', ')}
  FROM players FINAL
  WHERE player_id IN (${memberIds})`;
  return { sources, profiles };
}

/**
 * Each field shown unmasked or sorted by, as `value AS v<i>` over a players row (`named` renames
 * the alias in the select texts only).
 */
function profileSources(plan: MembersPlan, keys: KeyFields, named = (alias: string) => alias) {
  const wanted = plan.columns.filter((c) => !c.masked).map((c) => c.field);
  const sources = new Map<string, Source>();
  const selects: string[] = [];
  for (const field of [...wanted, plan.sort.field]) {
    if (field.name === PLAYER_ID || sources.has(field.name)) continue;
    const value = fieldValue(field, keys, plan.env);
    const alias = `v${sources.size}`;
    sources.set(field.name, { alias, type: field.type, day: value.utcDay === true });
    selects.push(`${value.sql} AS ${named(alias)}`);
  }
  return { sources, selects };
}

function cell(column: MemberColumn, sources: Map<string, Source>, style: CellStyle): string {
  const name = column.field.name;
  if (name === PLAYER_ID) return style === 'csv' ? neutralized('player_id') : 'player_id';
  if (column.masked) return sqlString(MASK);
  const source = sources.get(name)!;
  return style === 'csv' ? csvCell(source) : jsonValue(source);
}

/**
 * JSON values: numbers as numbers (NaN and infinities as null, which ClickHouse writes), money
 * as its exact decimal text, datetimes as ISO 8601 UTC text, dates as YYYY-MM-DD, booleans as
 * 0/1 (memberRow turns them into true/false), string lists as arrays; missing values null.
 */
function jsonValue({ alias, type, day }: Source): string {
  if (type === 'money') return `toString(${alias})`;
  if (type === 'datetime') return day ? dayText(alias) : isoText(alias);
  return alias;
}

/**
 * CSV cells are all text, so that ClickHouse quotes every one alike and a missing value is an
 * empty cell (not \N). Only text that came from strings is neutralized: a number like -5 keeps
 * its sign. String lists are joined with ", ".
 */
function csvCell({ alias, type, day }: Source): string {
  switch (type) {
    case 'string':
      return neutralized(`ifNull(${alias}, '')`);
    case 'string_list':
      return neutralized(`arrayStringConcat(${alias}, ', ')`);
    case 'boolean':
      return `multiIf(isNull(${alias}), '', ${alias} = 1, 'true', 'false')`;
    case 'datetime':
      return `ifNull(${day ? dayText(alias) : isoText(alias)}, '')`;
    case 'number':
    case 'money':
      return `ifNull(toString(${alias}), '')`;
  }
}

/**
 * Text a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return)
 * gets a leading apostrophe, which spreadsheets show as text. The characters are all ASCII, so
 * comparing the first byte is exact for UTF-8 text.
 */
export const FORMULA_STARTS = ['=', '+', '-', '@', '\t', '\r'] as const;

function neutralized(text: string): string {
  const starts = FORMULA_STARTS.map(sqlString).join(', ');
  return `if(substring(${text}, 1, 1) IN (${starts}), concat(${sqlString("'")}, ${text}), ${text})`;
}

function isoText(x: string): string {
  return `formatDateTime(${x}, '%Y-%m-%dT%H:%M:%SZ', 'UTC')`;
}

/** YYYYMMDD digits (always 8: dates lie in 1900..2105) as YYYY-MM-DD. */
function dayText(x: string): string {
  const s = `toString(${x})`;
  return `concat(substring(${s}, 1, 4), '-', substring(${s}, 5, 2), '-', substring(${s}, 7, 2))`;
}
