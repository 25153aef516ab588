// The one pass over events that a query makes: every event condition's measure becomes an
// aggregate of a per-player GROUP BY, computed over the events that pass a prefilter (the event
// types of all conditions, and the earliest time any condition looks at). Identical aggregates
// are computed once. Each aggregate selects its own rows with an -If condition, leaving out the
// terms the prefilter already guarantees.
import { sqlDateTime } from '../sql/literal.ts';
import { KeyFields } from './fields.ts';
import { and, andInline, atom, call, FALSE, indent, type Predicate } from './format.ts';
import { boundPredicate, rangeStart, type TimeRange } from './time.ts';
import { stringTuple } from './values.ts';

/** The events one condition looks at. */
export interface RowFilter {
  readonly types: readonly string[];
  /** Compiled `where` conditions and presence checks, never NULL. */
  readonly where: readonly Predicate[];
  readonly range: TimeRange;
}

interface Aggregate {
  readonly alias: string;
  readonly fn: string;
  readonly args: readonly string[];
  readonly filter: RowFilter;
}

interface Prefilter {
  readonly types: readonly string[];
  /** First second every condition's range starts at or after; -Infinity when one is open. */
  readonly start: number;
  readonly lowerSql?: Predicate;
}

export class EventScan {
  private readonly aggregates = new Map<string, Aggregate>();
  /** Key-based event fields the aggregates read. */
  readonly keys = new KeyFields('events');

  /**
   * `players`, when given, restricts the scan to those players (a predicate on player_id that
   * the primary key of events can use).
   */
  constructor(
    private readonly asOfMs: number,
    private readonly players?: Predicate,
  ) {}

  get isEmpty(): boolean {
    return this.aggregates.size === 0;
  }

  /**
   * The alias of `fn(args)` over the rows of `filter` (fn is count, sum, min, max, uniqExact…).
   * `name` only makes the alias readable, e.g. m1_count.
   */
  aggregate(name: string, fn: string, args: readonly string[], filter: RowFilter): string {
    const key = aggregateSql(fn, args, filterTerms(filter));
    const known = this.aggregates.get(key);
    if (known) return known.alias;
    const alias = `m${this.aggregates.size + 1}_${name}`;
    this.aggregates.set(key, { alias, fn, args, filter });
    return alias;
  }

  /** The per-player aggregates subquery, to be joined to players USING player_id. */
  render(): string {
    const aggregates = [...this.aggregates.values()];
    const prefilter = prefilterOf(aggregates.map((a) => a.filter));
    const columns = aggregates.map((a) => {
      const terms = filterTerms(a.filter, prefilter);
      return `${aggregateSql(a.fn, a.args, terms)} AS ${a.alias}`;
    });
    const where = and([
      prefilter.types.length > 0 ? atom(`type IN ${stringTuple(prefilter.types)}`) : FALSE,
      ...(this.players ? [this.players] : []),
      ...(prefilter.lowerSql ? [prefilter.lowerSql] : []),
      atom(`event_time <= ${sqlDateTime(this.asOfMs)}`),
    ]);
    return [
      `${this.keys.withClause()}SELECT`,
      indent(['player_id', ...columns].join(',\n')),
      'FROM events',
      'WHERE',
      indent(where.sql),
      'GROUP BY player_id',
    ].join('\n');
  }
}

function aggregateSql(fn: string, args: readonly string[], terms: readonly Predicate[]): string {
  if (terms.length === 0) return call(fn, args);
  return call(`${fn}If`, [...args, andInline(terms).sql]);
}

/** The terms of a filter that the prefilter does not already guarantee (all without one). */
function filterTerms(filter: RowFilter, prefilter?: Prefilter): Predicate[] {
  const { range } = filter;
  if (range.empty) return [FALSE];
  const terms: Predicate[] = [];
  if (!prefilter || !sameSet(filter.types, prefilter.types)) terms.push(typeTerm(filter.types));
  terms.push(...filter.where);
  if (range.lower && (!prefilter || rangeStart(range) !== prefilter.start)) {
    terms.push(boundPredicate('event_time', range.lower, 'lower'));
  }
  if (range.upper) terms.push(boundPredicate('event_time', range.upper, 'upper'));
  return terms;
}

function typeTerm(types: readonly string[]): Predicate {
  return types.length > 0 ? atom(`type IN ${stringTuple(types)}`) : FALSE;
}

function prefilterOf(filters: readonly RowFilter[]): Prefilter {
  const live = filters.filter((f) => !f.range.empty);
  const types = [...new Set(live.flatMap((f) => f.types))].sort();
  let earliest: RowFilter | undefined;
  for (const f of live) {
    if (!f.range.lower) return { types, start: Number.NEGATIVE_INFINITY };
    if (!earliest || rangeStart(f.range) < rangeStart(earliest.range)) earliest = f;
  }
  if (!earliest?.range.lower) return { types, start: Number.NEGATIVE_INFINITY };
  return {
    types,
    start: rangeStart(earliest.range),
    lowerSql: boundPredicate('event_time', earliest.range.lower, 'lower'),
  };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(a);
  return set.size === new Set(b).size && b.every((x) => set.has(x));
}
