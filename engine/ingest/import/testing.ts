// Helpers for the importer tests: where the real data files are (../shared/data beside the
// repository, never copied into it) and small temporary files to import.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SHARED_DATA = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));

export function hasSharedData(...files: string[]): boolean {
  return files.every((f) => fs.existsSync(path.join(SHARED_DATA, f)));
}

export const SKIP_NO_DATA = `real data missing in ${SHARED_DATA}: skipped`;

/** Writes `files` (name -> content) into a fresh temporary directory and returns its path. */
export function tempFiles(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'segstream-import-'));
  for (const [name, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

export function removeTemp(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
