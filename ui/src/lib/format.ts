// How times and numbers read on screen, the same in tables and on chart axes: ISO-like local
// dates and 24-hour times (2026-12-04 07:29:55), and large counts shortened on axes (100k).

import type { SizeChange } from './series.ts';

const pad = (n: number) => String(n).padStart(2, '0');

/** The local day of `ms` (epoch milliseconds): 2026-12-04. */
export const day = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};

/** The local time of day of `ms`, to the minute or the second: 07:29 or 07:29:55. */
export const clock = (ms: number, seconds = false) => {
  const d = new Date(ms);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return seconds ? `${hm}:${pad(d.getSeconds())}` : hm;
};

/** A date and time for tables: 2026-12-04 07:29:55 (local). */
export const dateTime = (ms: number) => `${day(ms)} ${clock(ms, true)}`;

/**
 * Labels for a time axis's ticks (epoch seconds): days when ticks are a day or more apart, the
 * time of day otherwise (with seconds under a minute apart), the day added where it changes.
 */
export function timeTicks(ticks: readonly number[]): string[] {
  const apart = ticks.length > 1 ? ticks[1]! - ticks[0]! : 3_600;
  if (apart >= 86_400) return ticks.map((t) => day(t * 1000));
  return ticks.map((t, i) => {
    const time = clock(t * 1000, apart < 60);
    const newDay = i === 0 || day(ticks[i - 1]! * 1000) !== day(t * 1000);
    return newDay ? `${time}\n${day(t * 1000)}` : time;
  });
}

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

/** A count on an axis: whole numbers only, shortened from 10,000 on (100k, 1.2M). */
export const axisCount = (value: number) =>
  !Number.isInteger(value)
    ? ''
    : Math.abs(value) >= 10_000
      ? compact.format(value)
      : value.toLocaleString('en');

/** A card's trend: "+12 in 1 h", or for a segment computed within the hour "new this hour". */
export function trendText(moved: SizeChange | undefined): string {
  const change = moved?.change ?? 0;
  const signed = `${change > 0 ? '+' : change < 0 ? '−' : '±'}${Math.abs(change).toLocaleString('en')}`;
  if (moved?.since === undefined) return `${signed} in 1 h`;
  return change === 0
    ? 'new this hour'
    : `new this hour, ${signed} since ${clock(moved.since * 1000)}`;
}
