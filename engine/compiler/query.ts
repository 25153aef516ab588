// Whole queries. The universe is the players with a profile (players FINAL: the latest version
// of each profile); each player row is joined to that player's event aggregates from one scan
// over events (scan.ts) and kept when the rule's predicate holds.
//
// Relies on ClickHouse's default join_use_nulls = 0: a player without scanned events gets 0 in
// every aggregate column, which is the right count and sum, and which the min/max/first/last
// and average measures read as "missing" through their count.
import type { Rule } from '../rules/schema.ts';
import type { BatchSegment, CompileContext } from './context.ts';
import { KeyFields } from './fields.ts';
import { atom, indent, operand, type Predicate } from './format.ts';
import { rulePredicate, type RuleScope } from './rule.ts';
import { EventScan } from './scan.ts';
import { timeEnv } from './time.ts';
import { stringTuple } from './values.ts';

/**
 * Profile values to select beside player_id, as `expression AS alias` texts over the row of
 * players FINAL; `keys` is the query's own, so that key fields share its WITH clause.
 */
export type ExtraColumns = (keys: KeyFields) => readonly string[];

/**
 * `SELECT player_id …`: one row per member of the rule at ctx.asOf, no duplicates, in no
 * particular order. Referenced segments are compiled in as subqueries with their own timezone.
 * `columns` adds profile values to each row (a preview's table), read in the same pass.
 */
export function compileMembersQuery(
  rule: Rule,
  ctx: CompileContext,
  columns?: ExtraColumns,
): string {
  return membersQuery(ctx, rule, ctx.timezone, [], columns);
}

function membersQuery(
  ctx: CompileContext,
  rule: Rule,
  timezone: string,
  stack: readonly string[],
  columns?: ExtraColumns,
): string {
  const env = timeEnv(timezone, ctx.asOf);
  const scan = new EventScan(env.asOfMs);
  const playerKeys = new KeyFields('players');
  const where = rulePredicate(rule, scope(ctx, { env, scan, playerKeys, stack }));
  const outputs = ['player_id', ...(columns?.(playerKeys) ?? [])].join(', ');
  const select = `${playerKeys.withClause()}SELECT ${outputs}`;
  return [select, fromPlayers(scan), 'WHERE', indent(where.sql)].join('\n');
}

type ScopeParts = Pick<RuleScope, 'env' | 'scan' | 'playerKeys' | 'stack' | 'batch'>;

function scope(ctx: CompileContext, parts: ScopeParts): RuleScope {
  return {
    ctx,
    ...parts,
    members: (rule, tz, innerStack) => membersQuery(ctx, rule, tz, innerStack),
  };
}

function fromPlayers(scan: EventScan): string {
  if (scan.isEmpty) return 'FROM players FINAL';
  return [
    'FROM players FINAL',
    'ANY LEFT JOIN',
    '(',
    indent(scan.render()),
    ') USING player_id',
  ].join('\n');
}

/** Options of compileMultiQuery. */
export interface MultiQueryOptions {
  /**
   * Evaluate only these players (the engine's incremental tick); every player when absent. An
   * empty list gives a query that returns no rows. Segments referenced from outside the batch
   * are still evaluated over all players in their subqueries.
   */
  readonly players?: readonly string[];
}

/**
 * One query for many segments, scanning events once (the engine's sweep). Aggregates that
 * several segments need are computed once, and a reference to another segment of the batch
 * reuses that segment's flag instead of a subquery.
 *
 * Output: one row per player that is a member of at least one segment, with columns
 * `player_id` (String) and `flags` (Array(UInt8)): flags[i] is 1 when the player is a member of
 * segments[i] (0-based in TypeScript, 1-based in SQL), 0 otherwise. Players in no segment are
 * left out.
 */
export function compileMultiQuery(
  segments: readonly BatchSegment[],
  ctx: CompileContext,
  opts: MultiQueryOptions = {},
): string {
  if (segments.length === 0) throw new RangeError('compileMultiQuery needs at least one segment');
  const players = opts.players && playersPredicate(opts.players);
  const scan = new EventScan(timeEnv(ctx.timezone, ctx.asOf).asOfMs, players);
  const batch = new Map(segments.map((s, i) => [s.id, `s${i + 1}`]));
  const playerKeys = new KeyFields('players');
  const columns = segments.map((s, i) => {
    const env = timeEnv(s.timezone, ctx.asOf);
    const parts = { env, scan, playerKeys, stack: [s.id], batch };
    return `${operand(rulePredicate(s.rule, scope(ctx, parts)))} AS s${i + 1}`;
  });
  const perPlayer = [
    `${playerKeys.withClause()}SELECT`,
    indent(['player_id', ...columns].join(',\n')),
    fromPlayers(scan),
    ...(players ? ['WHERE', indent(players.sql)] : []),
  ];
  return [
    'SELECT',
    indent(`player_id,\n[${segments.map((_, i) => `s${i + 1}`).join(', ')}] AS flags`),
    'FROM',
    '(',
    indent(perPlayer.join('\n')),
    ')',
    'WHERE has(flags, 1)',
  ].join('\n');
}

/** `player_id IN (…)`, which both players and events can answer from their primary key. */
function playersPredicate(players: readonly string[]): Predicate {
  if (players.length === 0) return atom('0');
  return atom(`player_id IN ${stringTuple([...new Set(players)].sort())}`);
}
