// Coded errors of the importers with a message that tells the whole story on one line: a
// file-level problem stops the import, and the CLI prints only the message.
import { ERRORS, SegstreamError, type ErrorDetails } from '../../errors/errors.ts';

type ImportCode =
  'IMPORT_FILE_INVALID' | 'IMPORT_MAPPING_INVALID' | 'IMPORT_ROW_INVALID' | 'IMPORT_ROW_MALFORMED';

export function importError(code: ImportCode, details: ErrorDetails): SegstreamError {
  const { file, line, field, path, reason } = details;
  const where = [
    file,
    line === undefined ? undefined : `line ${String(line)}`,
    field ?? path,
    reason,
  ].filter((part) => part !== undefined && part !== '');
  return new SegstreamError(code, details, `${ERRORS[code].message}: ${where.join(', ')}`);
}
