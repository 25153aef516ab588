// Event windows: rolling ({ last, unit }), calendar ({ calendar }) or a fixed range
// ({ from, to }). The window is dispatched on its keys so an error names the exact key.
import {
  CalendarWindow,
  RangeWindow,
  RollingWindow,
  type CalendarPeriod,
  type TimeUnit,
  type Window,
} from './schema.ts';
import { ruleError, at, isRecord, presentKeys, shapeCheck } from './validate-shape.ts';
import { checkTime, timesReversed } from './validate-time.ts';

const KINDS = [
  { keys: ['last', 'unit'], check: shapeCheck(RollingWindow) },
  { keys: ['calendar'], check: shapeCheck(CalendarWindow) },
  { keys: ['from', 'to'], check: shapeCheck(RangeWindow) },
] as const;

export function validateWindow(input: unknown, path: string): Window {
  if (!isRecord(input)) throw ruleError('RULE_INVALID', path, 'must be an object');
  const record = input;
  const kinds = KINDS.filter((k) => presentKeys(record, k.keys).length > 0);
  const kind = kinds[0];
  if (kinds.length !== 1 || kind === undefined) {
    const reason = kinds.length === 0 ? 'must be' : 'is ambiguous; use one of';
    throw ruleError('RULE_INVALID', path, `${reason} { last, unit }, { calendar } or { from, to }`);
  }
  kind.check(input, path);
  if ('last' in input) return { last: input.last as number, unit: input.unit as TimeUnit };
  if ('calendar' in input) return { calendar: input.calendar as CalendarPeriod };

  const from = checkTime(input.from, at(path, 'from'));
  const to = checkTime(input.to, at(path, 'to'));
  if (timesReversed(from, to)) throw ruleError('RULE_VALUE_INVALID', path, 'from is after to');
  return { from: from.text, to: to.text };
}
