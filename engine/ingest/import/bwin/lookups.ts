// The bwin code lookup file (table,code,label): labels of the country, language and product
// codes used in the two data files. It is small and read whole.
import path from 'node:path';
import { importError } from '../problem.ts';
import { readCsv } from '../csv.ts';

export interface BwinLookups {
  /** code -> label per table ("country", "language", "product"). */
  readonly tables: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

export async function readLookups(file: string): Promise<BwinLookups> {
  const tables = new Map<string, Map<string, string>>();
  for await (const item of readCsv(file, ',')) {
    if (item.kind === 'header') {
      requireColumns(file, item.columns);
    } else if (item.kind === 'malformed') {
      throw importError('IMPORT_FILE_INVALID', {
        file: path.basename(file),
        line: item.line,
        reason: String(item.error.details.reason),
      });
    } else {
      const { table, code, label } = item.record as Record<string, string>;
      const codes = tables.get(String(table)) ?? new Map<string, string>();
      codes.set(String(code).trim(), String(label).trim());
      tables.set(String(table), codes);
    }
  }
  return { tables };
}

function requireColumns(file: string, columns: readonly string[]): void {
  for (const name of ['table', 'code', 'label']) {
    if (!columns.includes(name)) {
      throw importError('IMPORT_FILE_INVALID', {
        file: path.basename(file),
        line: 1,
        field: name,
        reason: 'the header has no such column',
      });
    }
  }
}

export function lookupLabel(lookups: BwinLookups, table: string, code: string): string | undefined {
  return lookups.tables.get(table)?.get(code);
}
