// What a source file reader yields: its header (CSV only), its records with the line each
// starts on, and lines that could not be parsed at all. A malformed line is reported and
// skipped; reading goes on with the next line.
import type { SegstreamError } from '../../errors/errors.ts';
import { importError } from './problem.ts';

/** A field value as read: CSV gives text; NDJSON may also give lists, objects, booleans, null. */
export type SourceValue =
  string | boolean | null | readonly SourceValue[] | { readonly [key: string]: SourceValue };

export type SourceRecord = Readonly<Record<string, SourceValue>>;

export type SourceItem =
  | { readonly kind: 'header'; readonly line: number; readonly columns: readonly string[] }
  | { readonly kind: 'record'; readonly line: number; readonly record: SourceRecord }
  | { readonly kind: 'malformed'; readonly line: number; readonly error: SegstreamError };

export function malformed(line: number, reason: string): SourceItem {
  return { kind: 'malformed', line, error: malformedError(line, reason) };
}

export function malformedError(line: number, reason: string): SegstreamError {
  return importError('IMPORT_ROW_MALFORMED', { line, reason });
}
