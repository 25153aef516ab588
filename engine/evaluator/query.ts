// The engine's evaluation queries around compileMultiQuery, and reading their results as a
// stream of TabSeparated lines (a sweep returns a row per member player; materialising a million
// JSON objects would cost far more than the query).
import { StringDecoder } from 'node:string_decoder';
import { compileMultiQuery, type BatchSegment, type CompileContext } from '../compiler/index.ts';
import { SegstreamError } from '../errors/errors.ts';
import { isConnectionError, type Store } from '../store/clickhouse.ts';
import { querySizeFor } from '../store/events.ts';

/**
 * Every member of any of the segments: `player_num <TAB> unnumbered <TAB> flags`, where
 * player_num is 0 and `unnumbered` holds the player id for a player without a number yet, and
 * flags is the Array(UInt8) as text (`[1,0,1]`).
 */
export function fullQuery(segments: readonly BatchSegment[], ctx: CompileContext): string {
  return [
    "SELECT player_num, if(player_num = 0, player_id, '') AS unnumbered, flags",
    'FROM',
    '(',
    compileMultiQuery(segments, ctx),
    ')',
    'ANY LEFT JOIN (SELECT player_id, player_num FROM player_numbers) USING player_id',
  ].join('\n');
}

/** The members among `players`: `player_id <TAB> flags`. */
export function playersQuery(
  segments: readonly BatchSegment[],
  ctx: CompileContext,
  players: readonly string[],
): string {
  return `SELECT player_id, flags FROM (\n${compileMultiQuery(segments, ctx, { players })}\n)`;
}

/** Whether flag i of a flags text (`[1,0,1]`) is set; flags are single digits. */
export function flagAt(flags: string, i: number): boolean {
  return flags.charCodeAt(1 + 2 * i) === 49;
}

export interface StreamOptions {
  readonly queryId: string;
  readonly signal: AbortSignal;
}

/**
 * Runs a query and hands each result line to `onLine`. wait_end_of_query makes the server
 * finish the query before it sends the first byte, so a failing query is an HTTP error and never
 * a half-read result with an error text at its end.
 */
export async function streamLines(
  store: Store,
  sql: string,
  opts: StreamOptions,
  onLine: (fields: string[]) => void,
): Promise<void> {
  const text = `${sql}\nFORMAT TabSeparated`;
  try {
    const result = await store.client.exec({
      query: text,
      query_id: opts.queryId,
      abort_signal: opts.signal,
      clickhouse_settings: { wait_end_of_query: 1, ...querySizeFor(text) },
    });
    const decoder = new StringDecoder('utf8');
    let rest = '';
    for await (const chunk of result.stream as AsyncIterable<Buffer>) {
      const lines = (rest + decoder.write(chunk)).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) onLine(line.split('\t'));
    }
    rest += decoder.end();
    if (rest !== '') onLine(rest.split('\t'));
  } catch (err) {
    if (isConnectionError(err)) {
      throw new SegstreamError('CLICKHOUSE_UNAVAILABLE', {}, undefined, { cause: err });
    }
    throw err;
  }
}

const TSV_UNESCAPES: Record<string, string> = {
  b: '\b',
  f: '\f',
  r: '\r',
  n: '\n',
  t: '\t',
  '0': '\0',
};

/** A TabSeparated field as its text (ClickHouse escapes backslash, tab, newline ...). */
export function unescapeTsv(field: string): string {
  if (!field.includes('\\')) return field;
  return field.replace(/\\(.)/g, (_, c: string) => TSV_UNESCAPES[c] ?? c);
}
