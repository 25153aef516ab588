// A CSV reader (RFC 4180: quoted fields may hold separators, doubled quotes and line breaks)
// that survives bad lines. csv-parse is not used here because after a bad quote it resumes in
// the middle of the next record (seen with 6.2.1), so a good row after a bad one was lost.
// Here a bad record is rejected with its line number and reading restarts at the next line; a
// quote that never closes within MAX_RECORD_LINES lines (or before the end of the file) rejects
// only the line it opened on, and the lines it swallowed are read again as records; so does a
// quote that closes on a later line but leaves that record malformed.
import path from 'node:path';
import { importError } from './problem.ts';
import { emptyFile, numberedLines, type NumberedLine } from './lines.ts';
import { malformed, type SourceItem } from './items.ts';

/** How many physical lines one quoted record may span before its quote counts as unclosed. */
export const MAX_RECORD_LINES = 100;

export type Split =
  { readonly fields: string[] } | { readonly open: true } | { readonly error: string };

/** Splits the text of one record (its lines joined by "\n") into fields. */
export function splitRecord(text: string, delimiter: string): Split {
  if (!text.includes('"')) return { fields: text.split(delimiter) };
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      const quoted = readQuoted(text, i + 1);
      if (quoted === undefined) return { open: true };
      fields.push(quoted.value);
      i = quoted.end;
      if (i === text.length) return { fields };
      if (!text.startsWith(delimiter, i)) {
        return { error: `text after a closing quote in field ${fields.length}` };
      }
      i += delimiter.length;
      continue;
    }
    const end = text.indexOf(delimiter, i);
    const value = end < 0 ? text.slice(i) : text.slice(i, end);
    if (value.includes('"')) {
      return { error: `a quote inside unquoted field ${fields.length + 1}` };
    }
    fields.push(value);
    if (end < 0) return { fields };
    i = end + delimiter.length;
  }
}

/** The value of the quoted field whose text starts at `from` and its end; undefined if open. */
function readQuoted(text: string, from: number): { value: string; end: number } | undefined {
  let value = '';
  let i = from;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote < 0) return undefined;
    value += text.slice(i, quote);
    if (text[quote + 1] !== '"') return { value, end: quote + 1 };
    value += '"';
    i = quote + 2;
  }
}

/** Records of a CSV file with a header line; yields the header first. */
export async function* readCsv(file: string, delimiter: string): AsyncGenerator<SourceItem> {
  let header: readonly string[] | undefined;
  for await (const item of csvRecords(numberedLines(file), delimiter)) {
    if ('error' in item && header === undefined) {
      throw importError('IMPORT_FILE_INVALID', {
        file: path.basename(file),
        line: item.line,
        field: 'header',
        reason: item.error,
      });
    } else if ('error' in item) {
      yield malformed(item.line, item.error);
    } else if (header === undefined) {
      header = checkHeader(file, item.line, item.fields);
      yield { kind: 'header', line: item.line, columns: header };
    } else if (item.fields.length !== header.length) {
      yield malformed(item.line, `expected ${header.length} fields, found ${item.fields.length}`);
    } else {
      yield { kind: 'record', line: item.line, record: toRecord(header, item.fields) };
    }
  }
  if (header === undefined) throw emptyFile(file);
}

function checkHeader(file: string, line: number, fields: readonly string[]): string[] {
  const names = fields.map((f) => f.trim());
  const bad = names.findIndex((n, i) => n === '' || names.indexOf(n) !== i);
  if (bad >= 0) {
    throw importError('IMPORT_FILE_INVALID', {
      file: path.basename(file),
      line,
      field: names[bad],
      reason: names[bad] === '' ? `header column ${bad + 1} has no name` : 'duplicate column',
    });
  }
  return names;
}

function toRecord(header: readonly string[], fields: readonly string[]): Record<string, string> {
  const record: Record<string, string> = {};
  header.forEach((name, i) => (record[name] = fields[i] ?? ''));
  return record;
}

type RawRecord = { line: number; fields: string[] } | { line: number; error: string };

/** Groups physical lines into records, skipping blank lines between records. */
export async function* csvRecords(
  lines: AsyncIterable<NumberedLine>,
  delimiter: string,
): AsyncGenerator<RawRecord> {
  // Lines of a record whose quote is still open; re-read one by one if it never closes.
  let open: NumberedLine[] = [];
  for await (const next of lines) {
    const queue = [next];
    while (queue.length > 0) {
      const current = queue.shift() as NumberedLine;
      if (open.length === 0 && current.text.trim() === '') continue;
      open.push(current);
      const result = splitRecord(open.map((l) => l.text).join('\n'), delimiter);
      const first = open[0] as NumberedLine;
      if ('open' in result && open.length < MAX_RECORD_LINES) continue;
      if ('fields' in result) {
        yield { line: first.line, fields: result.fields };
      } else if ('error' in result && open.length === 1) {
        yield { line: first.line, error: result.error };
      } else {
        // A stray quote swallowed the lines after it: reject its line, read the rest again.
        yield unclosed(first, 'error' in result ? result.error : undefined);
        queue.unshift(...open.slice(1));
      }
      open = [];
    }
  }
  if (open.length > 0) {
    yield unclosed(open[0] as NumberedLine);
    yield* csvRecords(toAsync(open.slice(1)), delimiter);
  }
}

function unclosed(first: NumberedLine, later?: string): RawRecord {
  const error = later
    ? `a quote opened on this line closes on a later line badly (${later})`
    : 'a quote opened on this line is never closed';
  return { line: first.line, error };
}

async function* toAsync<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}
