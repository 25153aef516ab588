// The summary every import ends with: rows read, rows written and duplicates skipped per table,
// rows rejected, and the first rejections with line, field and reason.
import { isSegstreamError, type ErrorCode } from '../../errors/errors.ts';

export interface Rejection {
  readonly file: string;
  /** 1-based line the rejected row starts on. */
  readonly line: number;
  /** Target field (or source column) at fault; null when the line could not be parsed at all. */
  readonly field: string | null;
  readonly code: ErrorCode;
  readonly reason: string;
  /** The offending text, cut to 60 characters. */
  readonly value?: string;
}

export interface TableCounts {
  readonly loaded: number;
  readonly duplicates: number;
}

export interface ImportSummary {
  readonly read: number;
  readonly rejected: number;
  /** The first `maxRejections` rejections, in file order. */
  readonly rejections: readonly Rejection[];
  readonly players: TableCounts;
  readonly events: TableCounts;
  readonly elapsedMs: number;
}

/** Default number of rejections kept for the summary. */
export const MAX_REJECTIONS_SHOWN = 20;

export class ImportReport {
  private readCount = 0;
  private rejectedCount = 0;
  private readonly kept: Rejection[] = [];
  private readonly counts = {
    players: { loaded: 0, duplicates: 0 },
    events: { loaded: 0, duplicates: 0 },
  };
  private readonly started = Date.now();

  constructor(private readonly maxRejections = MAX_REJECTIONS_SHOWN) {}

  rowRead(): void {
    this.readCount += 1;
  }

  /** Records a rejected row. Errors other than row-level import errors are not rows' fault. */
  reject(file: string, line: number, err: unknown): void {
    if (
      !isSegstreamError(err, 'IMPORT_ROW_INVALID') &&
      !isSegstreamError(err, 'IMPORT_ROW_MALFORMED')
    ) {
      throw err;
    }
    this.rejectedCount += 1;
    if (this.kept.length >= this.maxRejections) return;
    const { field, reason, value } = err.details;
    this.kept.push({
      file,
      line,
      field: typeof field === 'string' ? field : null,
      code: err.code,
      reason: typeof reason === 'string' ? reason : err.message,
      ...(typeof value === 'string' ? { value } : {}),
    });
  }

  written(table: 'players' | 'events', counts: TableCounts): void {
    this.counts[table].loaded += counts.loaded;
    this.counts[table].duplicates += counts.duplicates;
  }

  summary(): ImportSummary {
    return {
      read: this.readCount,
      rejected: this.rejectedCount,
      rejections: [...this.kept],
      players: { ...this.counts.players },
      events: { ...this.counts.events },
      elapsedMs: Date.now() - this.started,
    };
  }
}

/** The summary as lines of text for a terminal. */
export function formatSummary(s: ImportSummary): string[] {
  const lines = [
    `rows read ${s.read}, rejected ${s.rejected} (${(s.elapsedMs / 1000).toFixed(1)} s)`,
    `players loaded ${s.players.loaded}, duplicates skipped ${s.players.duplicates}`,
    `events loaded ${s.events.loaded}, duplicates skipped ${s.events.duplicates}`,
  ];
  for (const r of s.rejections) {
    const value = r.value === undefined ? '' : ` (value ${JSON.stringify(r.value)})`;
    lines.push(`  ${r.file}:${r.line} ${r.field ?? '-'} ${r.code}: ${r.reason}${value}`);
  }
  if (s.rejected > s.rejections.length) {
    lines.push(`  ... and ${s.rejected - s.rejections.length} more rejected rows`);
  }
  return lines;
}
