// NDJSON: one JSON object per line, blank lines skipped. Numbers are read as their literal
// text ("100.10" stays "100.10"): JSON.parse would turn them into doubles first, which loses
// digits of large ids and of amounts like 12345678901234.5678.
import { emptyFile, numberedLines } from './lines.ts';
import { malformed, type SourceItem, type SourceRecord } from './items.ts';

export async function* readNdjson(file: string): AsyncGenerator<SourceItem> {
  let seen = false;
  for await (const { line, text } of numberedLines(file)) {
    if (text.trim() === '') continue;
    seen = true;
    const record = parseObjectLine(text);
    yield typeof record === 'string' ? malformed(line, record) : { kind: 'record', line, record };
  }
  if (!seen) throw emptyFile(file);
}

/** The object on one line, or the reason it is not one. */
export function parseObjectLine(text: string): SourceRecord | string {
  let value: unknown;
  try {
    value = JSON.parse(quoteNumbers(text));
  } catch (err) {
    return `not valid JSON (${(err as Error).message})`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'not a JSON object';
  }
  return value as SourceRecord;
}

const NUMBER_CHAR = /[-+0-9.eE]/;

/** Wraps every bare number literal in quotes; text inside strings is left alone. */
export function quoteNumbers(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      let end = i + 1;
      while (end < text.length && NUMBER_CHAR.test(text[end] as string)) end += 1;
      out += `"${text.slice(i, end)}"`;
      i = end;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

/** Index just past the string literal starting at `start` (or the end of an unclosed one). */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === '\\') i += 2;
    else if (text[i] === '"') return i + 1;
    else i += 1;
  }
  return text.length;
}
