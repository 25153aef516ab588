// JSON schemas of the segment routes: fastify validates params and queries with them, and
// /docs shows them. The definition schema is the rules layer's own (engine/rules/schema.ts).
import { Type } from '@sinclair/typebox';
import { SegmentDefinition } from '../../engine/rules/schema.ts';

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

export const ListQuery = Type.Object(
  {
    active: Type.Optional(Type.Boolean()),
    tag: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    retention_list: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    offset: Type.Integer({ minimum: 0, default: 0 }),
  },
  { additionalProperties: false },
);

export const SegmentBody = SegmentDefinition;

/** What PATCH may change without sending the whole definition again. */
export const SegmentPatch = Type.Object(
  {
    active: Type.Optional(Type.Boolean()),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    description: Type.Optional(Type.String({ maxLength: 5_000 })),
    tags: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50 }),
    ),
    retention_lists: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 100 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const CloneBody = Type.Union([
  Type.Null(),
  Type.Object(
    { name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
    { additionalProperties: false },
  ),
]);
