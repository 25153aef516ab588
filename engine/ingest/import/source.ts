// Picks the reader for a source file: CSV with a header line, or NDJSON (one JSON object per
// line). Both yield the items described in items.ts.
import path from 'node:path';
import { importError } from './problem.ts';
import { readCsv } from './csv.ts';
import type { SourceItem } from './items.ts';
import { readNdjson } from './ndjson.ts';

export const SOURCE_FORMATS = ['csv', 'ndjson'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

export interface SourceOptions {
  /** CSV field separator; default ",". */
  readonly delimiter?: string;
}

const EXTENSIONS: Readonly<Record<string, SourceFormat>> = {
  '.csv': 'csv',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.json': 'ndjson',
};

/** The format given, or the one the file's extension names. */
export function formatOf(file: string, given?: string): SourceFormat {
  const format = given ?? EXTENSIONS[path.extname(file).toLowerCase()];
  if (format === 'csv' || format === 'ndjson') return format;
  throw importError('IMPORT_FILE_INVALID', {
    file: path.basename(file),
    field: 'format',
    reason:
      given === undefined
        ? 'the extension does not tell csv or ndjson; pass --format'
        : `unknown format ${given}; use csv or ndjson`,
  });
}

export function readSource(
  file: string,
  format: SourceFormat,
  opts: SourceOptions = {},
): AsyncGenerator<SourceItem> {
  return format === 'csv' ? readCsv(file, opts.delimiter ?? ',') : readNdjson(file);
}
