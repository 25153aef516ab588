// Times in query strings: ISO 8601 with a date, a time and an offset (Z or ±hh:mm), so that no
// server timezone ever decides what a time means.
import { SegstreamError } from '../../engine/errors/errors.ts';
import { SQL_DATETIME_RANGE_MS } from '../../engine/sql/literal.ts';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Epoch milliseconds of an ISO time; undefined when absent; refused with its path when bad. */
export function parseTime(value: string | undefined, path: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = ISO_TIME.test(value) ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms) || ms < SQL_DATETIME_RANGE_MS.min || ms > SQL_DATETIME_RANGE_MS.max) {
    throw new SegstreamError('VALIDATION_FAILED', { path, reason: 'not an ISO 8601 time' });
  }
  return ms;
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
