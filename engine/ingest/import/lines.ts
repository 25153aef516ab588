// Numbered lines of a text file, streamed (memory stays flat whatever the file size). CRLF and
// LF endings are both accepted; a UTF-8 byte order mark on the first line is dropped.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { SegstreamError } from '../../errors/errors.ts';
import { importError } from './problem.ts';

export interface NumberedLine {
  /** 1-based physical line number, as an editor shows it. */
  readonly line: number;
  readonly text: string;
}

export async function* numberedLines(file: string): AsyncGenerator<NumberedLine> {
  await mustBeFile(file);
  const input = fs.createReadStream(file, { encoding: 'utf8' });
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of lines) {
      line += 1;
      yield { line, text: line === 1 ? text.replace(/^\uFEFF/, '') : text };
    }
  } finally {
    lines.close();
    input.destroy();
  }
}

export async function mustBeFile(file: string): Promise<void> {
  const stat = await fs.promises.stat(file).catch(() => undefined);
  if (!stat?.isFile()) {
    throw importError('IMPORT_FILE_INVALID', {
      file: path.basename(file),
      reason: stat ? 'not a regular file' : 'no such file',
    });
  }
}

export function emptyFile(file: string): SegstreamError {
  return importError('IMPORT_FILE_INVALID', {
    file: path.basename(file),
    line: 1,
    reason: 'the file is empty',
  });
}
