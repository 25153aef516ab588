// Reading an uploaded member list of a static segment: a CSV file of player ids, as exported from
// a CRM or a spreadsheet. One column of ids, or several columns of which one is headed
// `player_id`; a header row `player_id` on a single column is optional. The upload is all or
// nothing: a static segment is exactly its list, so a file with a bad line saves nothing and the
// error names every bad line (up to MAX_REPORTED).
import { parse } from 'csv-parse/sync';
import { SegstreamError } from '../errors/errors.ts';

const MAX_ID_LENGTH = 200;
const MAX_REPORTED = 20;
const HEADER = 'player_id';

export interface BadLine {
  readonly line: number;
  readonly reason: string;
}

/** The player ids of the file, in file order, repeats kept (the repository keeps them once). */
export function parseStaticMembersCsv(text: string): string[] {
  const rows = readRows(text);
  const first = rows[0] ?? [];
  const headed = first.findIndex((cell) => cell.trim().toLowerCase() === HEADER);
  if (headed === -1 && first.length > 1) {
    throw invalid([{ line: 1, reason: `several columns and none headed ${HEADER}` }]);
  }
  const column = Math.max(headed, 0);
  const body = headed === -1 ? rows : rows.slice(1);
  const offset = headed === -1 ? 1 : 2;

  const ids: string[] = [];
  const bad: BadLine[] = [];
  body.forEach((row, i) => {
    const id = (row[column] ?? '').trim();
    if (row.every((cell) => cell.trim() === '')) return;
    if (id === '') bad.push({ line: i + offset, reason: 'no player id' });
    else if (id.length > MAX_ID_LENGTH) {
      bad.push({ line: i + offset, reason: `longer than ${MAX_ID_LENGTH} characters` });
    } else ids.push(id);
  });
  if (bad.length > 0) throw invalid(bad);
  return ids;
}

function readRows(text: string): string[][] {
  try {
    return parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true });
  } catch (err) {
    const line = (err as { lines?: number }).lines ?? 0;
    throw invalid([{ line, reason: 'not readable as CSV (unclosed quote?)' }], err);
  }
}

function invalid(bad: readonly BadLine[], cause?: unknown): SegstreamError {
  const first = bad[0]!;
  return new SegstreamError(
    'STATIC_MEMBERS_INVALID',
    { path: `body/line/${first.line}`, reason: first.reason, lines: bad.slice(0, MAX_REPORTED) },
    undefined,
    cause === undefined ? undefined : { cause },
  );
}
