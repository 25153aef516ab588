// Validation of rules and segment definitions, the gate everything passes before it is saved or
// run (docs/rules.md, "Validation"). A segment definition has a name, a timezone and either a
// rule or a static list of member ids. Fields around the rule are checked with the definition's
// own schema (VALIDATION_FAILED), the rule with validateRule (paths under `rule`), the timezone
// against the IANA database.
import { Type } from '@sinclair/typebox';
import type { Catalogue } from '../catalogue/types.ts';
import { SegmentDefinition } from './schema.ts';
import { validateRule } from './validate-rule.ts';
import { isRecord, ruleError, shapeCheck } from './validate-shape.ts';

export { validateRule };

const definitionShape = shapeCheck(
  Type.Object(
    { ...SegmentDefinition.properties, rule: Type.Optional(Type.Unknown()) },
    { additionalProperties: false },
  ),
  'VALIDATION_FAILED',
);

export function validateSegmentDefinition(input: unknown, catalogue: Catalogue): SegmentDefinition {
  if (!isRecord(input)) throw ruleError('VALIDATION_FAILED', '', 'must be an object');
  definitionShape(input, '');
  const definition = input as SegmentDefinition;

  const name = definition.name.trim();
  if (name === '') throw ruleError('VALIDATION_FAILED', 'name', 'must not be blank');
  const hasRule = definition.rule !== undefined;
  const hasMembers = definition.static_members !== undefined;
  if (hasRule === hasMembers) {
    const reason = hasRule ? 'cannot be given together with rule' : 'or rule is required';
    throw ruleError('VALIDATION_FAILED', 'static_members', reason);
  }

  return {
    name,
    ...(definition.description !== undefined ? { description: definition.description } : {}),
    ...(definition.tags !== undefined ? { tags: [...definition.tags] } : {}),
    ...(definition.timezone !== undefined ? { timezone: checkTimezone(definition.timezone) } : {}),
    ...(definition.active !== undefined ? { active: definition.active } : {}),
    ...(definition.retention_lists !== undefined
      ? { retention_lists: [...definition.retention_lists] }
      : {}),
    ...(hasRule ? { rule: validateRule(definition.rule, catalogue, 'rule') } : {}),
    ...(hasMembers ? { static_members: [...new Set(definition.static_members)] } : {}),
  };
}

/**
 * The timezone as ClickHouse and Luxon expect it. Intl accepts names in any letter case, so a
 * name is returned in the database's spelling when only the case differs; aliases such as
 * Asia/Kolkata are kept as written (ICU would rename them to older spellings).
 */
export function checkTimezone(name: string): string {
  let resolved: string;
  try {
    if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) throw new RangeError(name);
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    throw ruleError('TIMEZONE_INVALID', 'timezone', `${name} is not an IANA timezone name`);
  }
  return resolved.toLowerCase() === name.toLowerCase() ? resolved : name;
}
