// A readable account of a differential mismatch: both results, what differs, and the shrunk
// case as JSON that can be pasted into a unit test (times also shown as ISO text).
import type { DifferentialCase } from './cases.ts';

export interface Outcome {
  readonly reference: readonly string[];
  readonly clickhouse: readonly string[] | { readonly error: string };
}

/** Sorted the same way on both sides, so only membership is compared. */
export function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  const left = [...a].sort();
  const right = [...b].sort();
  return left.length === right.length && left.every((id, i) => id === right[i]);
}

const iso = (ms: number | null | undefined) =>
  typeof ms === 'number' ? new Date(ms).toISOString() : ms;

export function describeMismatch(c: DifferentialCase, outcome: Outcome): string {
  const lines = [
    'Reference and ClickHouse disagree.',
    `timezone ${c.timezone}, as-of ${iso(c.asOf)} (${c.asOf})`,
    `reference members:  ${JSON.stringify(outcome.reference)}`,
  ];
  if (Array.isArray(outcome.clickhouse)) {
    const ch = outcome.clickhouse as readonly string[];
    lines.push(
      `clickhouse members: ${JSON.stringify(ch)}`,
      `only in reference:  ${JSON.stringify(outcome.reference.filter((id) => !ch.includes(id)))}`,
      `only in clickhouse: ${JSON.stringify(ch.filter((id) => !outcome.reference.includes(id)))}`,
    );
  } else {
    lines.push(`clickhouse failed:  ${(outcome.clickhouse as { error: string }).error}`);
  }
  lines.push('rule:', JSON.stringify(c.rule, null, 2));
  for (const s of c.segments) {
    if (JSON.stringify(c.rule).includes(`"${s.id}"`) || referencedBySegments(c, s.id)) {
      lines.push(`segment ${s.id} (${s.timezone}): ${JSON.stringify(s.rule)}`);
    }
  }
  lines.push(`static segments: ${JSON.stringify(c.staticSegments)}`, 'players:');
  for (const p of c.players) lines.push(`  ${JSON.stringify(withIsoTimes(p))}`);
  lines.push('events:');
  for (const e of c.events) lines.push(`  ${JSON.stringify(withIsoTimes(e))}`);
  return lines.join('\n');
}

function referencedBySegments(c: DifferentialCase, id: string): boolean {
  return c.segments.some((s) => s.id !== id && JSON.stringify(s.rule).includes(`"${id}"`));
}

/** Epoch-millisecond times are followed by their ISO text, e.g. event_time_iso. */
function withIsoTimes(row: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (value === undefined) continue;
    out[key] = value;
    if (/_time$|_at$|_until$/.test(key) && typeof value === 'number')
      out[`${key}_iso`] = iso(value);
  }
  return out;
}
