// Which segments use which lists and fields, for the Lists screen ("used by 3 segments") and to
// warn before a field is switched off. Only direct use counts: a segment that references another
// segment does not use that segment's fields.
import type { Rule } from '../rules/schema.ts';
import { walkRule } from '../rules/walk.ts';
import type { Catalogue } from './types.ts';

export interface ListUsage {
  readonly list: string;
  /** Ids of segments with any condition on the list, sorted. */
  readonly segments: readonly string[];
  /** For every field of the list, the ids of segments whose conditions name it, sorted. */
  readonly fields: Readonly<Record<string, readonly string[]>>;
}

export interface SegmentRule {
  readonly id: string;
  /** Absent for static segments, which use no list. */
  readonly rule?: Rule;
}

/** Usage of every list and field of the catalogue (empty when unused), in catalogue order. */
export function fieldUsage(catalogue: Catalogue, segments: readonly SegmentRule[]): ListUsage[] {
  const used = new Map<string, Set<string>>();
  const mark = (key: string, id: string) => {
    const ids = used.get(key) ?? new Set<string>();
    used.set(key, ids.add(id));
  };
  for (const { id, rule } of segments) {
    if (!rule) continue;
    for (const [list, name] of namesUsed(rule)) {
      mark(list, id);
      if (name !== undefined) mark(`${list}\u0000${name}`, id);
    }
  }
  const ids = (key: string) => [...(used.get(key) ?? [])].sort();
  return catalogue.lists.map((list) => ({
    list: list.id,
    segments: ids(list.id),
    fields: Object.fromEntries(list.fields.map((f) => [f.name, ids(`${list.id}\u0000${f.name}`)])),
  }));
}

/** [list, field] pairs a rule names; [list, undefined] for an event condition on a list. */
function namesUsed(rule: Rule): [string, string | undefined][] {
  const names: [string, string | undefined][] = [];
  walkRule(rule, (item) => {
    if ('field' in item) names.push(['players', item.field]);
    if (!('list' in item)) return;
    names.push([item.list, undefined]);
    for (const condition of item.where ?? []) names.push([item.list, condition.field]);
    if (typeof item.measure === 'object') {
      for (const name of Object.values(item.measure)) names.push([item.list, name]);
    }
  });
  return names;
}
