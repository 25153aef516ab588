// Reading an ingest request body into items. A JSON body must be an array as a whole; NDJSON
// is read line by line, so a line that is not JSON becomes one rejected item while the lines
// around it are still read. An item's index is its array position, or its 0-based line number
// (blank lines are skipped but counted, so the index always points at the client's line).
import { SegstreamError } from '../errors/errors.ts';
import type { RawItem } from './validate.ts';

export function itemsOfJson(text: string): RawItem[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SegstreamError('INGEST_BODY_INVALID', { reason: 'the body is not valid JSON' });
  }
  if (!Array.isArray(parsed)) {
    const reason = 'expected a JSON array of items (or send application/x-ndjson)';
    throw new SegstreamError('INGEST_BODY_INVALID', { reason });
  }
  return parsed.map((value: unknown, index) => ({ index, value }));
}

export function itemsOfNdjson(text: string): RawItem[] {
  const items: RawItem[] = [];
  // A byte order mark (as some editors and Windows tools write) is not part of the first line.
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (line.trim() === '') continue;
    try {
      items.push({ index, value: JSON.parse(line) });
    } catch {
      items.push({ index, malformed: 'the line is not valid JSON' });
    }
  }
  return items;
}
