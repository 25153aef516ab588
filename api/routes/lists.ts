// GET /v1/lists: the Lists catalogue the rule builder offers, each list and field with its type,
// switches and the segments that use it (so the UI can warn before a field is switched off).
import type { FastifyPluginAsync } from 'fastify';
import type { Catalogue, List } from '../../engine/catalogue/types.ts';
import { fieldUsage, type ListUsage } from '../../engine/catalogue/usage.ts';
import { operatorsFor } from '../../engine/rules/validate-conditions.ts';
import type { SegmentRepository } from '../../engine/segments/repository.ts';

export interface ListRouteOptions {
  readonly catalogue: Catalogue;
  readonly segments: Pick<SegmentRepository, 'listCurrent'>;
}

export const listRoutes: FastifyPluginAsync<ListRouteOptions> = async (app, opts) => {
  app.get('/v1/lists', { config: { access: 'read' } }, async () => {
    const current = await opts.segments.listCurrent();
    const usage = fieldUsage(
      opts.catalogue,
      current.map((s) => ({ id: s.id, rule: s.definition.rule })),
    );
    return { lists: opts.catalogue.lists.map((list, i) => listView(list, usage[i]!)) };
  });
};

function listView(list: List, usage: ListUsage) {
  return {
    id: list.id,
    kind: list.kind,
    label: list.label,
    ...(list.kind === 'events' ? { event_types: list.eventTypes } : {}),
    used_by: usage.segments,
    fields: list.fields.map((f) => ({
      name: f.name,
      label: f.label,
      type: f.type,
      usable_in_rules: f.usableInRules,
      shown_in_tables: f.shownInTables,
      anonymized: f.anonymized,
      /** What a rule may compare this field with (docs/rules.md, operators by type). */
      operators: operatorsFor(f),
      used_by: usage.fields[f.name] ?? [],
    })),
  };
}
