// Visiting every item of a rule with its path, for code that needs all conditions or all segment
// references of a rule (field usage, reference resolution) without repeating the recursion.
import type { Group, Item, Rule } from './schema.ts';

export type ItemVisitor = (item: Item, path: string) => void;

export function walkRule(rule: Rule, visit: ItemVisitor): void {
  walkGroup(rule.include, 'include', visit);
  if (rule.exclude) walkGroup(rule.exclude, 'exclude', visit);
}

function walkGroup(group: Group, path: string, visit: ItemVisitor): void {
  const [key, items] = 'all' in group ? ['all', group.all] : ['any', group.any];
  items.forEach((item, i) => walkItem(item, `${path}.${key}[${i}]`, visit));
}

function walkItem(item: Item, path: string, visit: ItemVisitor): void {
  visit(item, path);
  if ('all' in item || 'any' in item) walkGroup(item, path, visit);
  else if ('not' in item) walkItem(item.not, `${path}.not`, visit);
}

export interface SegmentReferenceAt {
  readonly segment: string;
  /** Path of the reference's `segment` key, e.g. `exclude.any[0].segment`. */
  readonly path: string;
}

/** Every segment reference of the rule, in document order. */
export function segmentReferences(rule: Rule): SegmentReferenceAt[] {
  const found: SegmentReferenceAt[] = [];
  walkRule(rule, (item, path) => {
    if ('segment' in item) found.push({ segment: item.segment, path: `${path}.segment` });
  });
  return found;
}
