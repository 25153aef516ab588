// Global suppression: players no action may reach (self-excluded, cooling off, closed accounts,
// unsubscribed from every channel), whatever segment they are in. It is a rule group like any
// other, so its meaning is exactly docs/rules.md's; the operator can replace it with a JSON file
// (SEGSTREAM_SUPPRESSION_FILE). A segment's suppressed count is the number of its members that
// match the group.
import fs from 'node:fs';
import type { Catalogue } from '../catalogue/types.ts';
import { SegstreamError } from '../errors/errors.ts';
import type { Group, Rule } from '../rules/schema.ts';
import { validateRule } from '../rules/validate.ts';

const isTrue = (field: string) => ({ field, op: 'is_true' });

export const DEFAULT_SUPPRESSION: Group = {
  any: [
    isTrue('self_excluded'),
    { field: 'account_status', op: 'in', value: ['closed', 'suspended', 'self_excluded'] },
    // "cooling_off_until lies after the as-of time": set, and not at or before it (a window
    // reaching back past 1970 covers every earlier time a DateTime can hold).
    {
      all: [
        { field: 'cooling_off_until', op: 'is_set' },
        {
          not: {
            field: 'cooling_off_until',
            op: 'within_last',
            value: { last: 100_000, unit: 'month' },
          },
        },
      ],
    },
    // Unsubscribed: no marketing consent on any channel.
    {
      all: ['marketing_email', 'marketing_sms', 'marketing_push'].map((f) => ({ not: isTrue(f) })),
    },
  ],
};

/** The suppression group from `file` (a JSON group), or the default; validated either way. */
export function loadSuppression(catalogue: Catalogue, file?: string): Group {
  const group = file === undefined ? DEFAULT_SUPPRESSION : readGroup(file);
  return validateRule({ include: group }, catalogue, 'suppression').include;
}

function readGroup(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new SegstreamError(
      'CONFIG_INVALID',
      { field: 'SEGSTREAM_SUPPRESSION_FILE', file },
      undefined,
      {
        cause: err,
      },
    );
  }
}

/** The members of `rule` that are suppressed: the rule with the suppression group added. */
export function suppressedRule(rule: Rule, suppression: Group): Rule {
  const include: Group = { all: [rule.include, suppression] };
  return rule.exclude === undefined ? { include } : { include, exclude: rule.exclude };
}
