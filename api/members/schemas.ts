// Query-string schemas of the member and membership routes. They check shapes and types; which
// columns and sorts are allowed depends on the catalogue and is checked in columns.ts.
import { Type } from '@sinclair/typebox';

/** Repeated `columns=` parameters arrive as an array, a single one is made one (coerceTypes). */
const Columns = Type.Array(Type.String({ maxLength: 5_000 }), { maxItems: 200 });
const Sort = Type.String({ maxLength: 200 });

export const MemberParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 100 }),
  playerId: Type.String({ minLength: 1, maxLength: 1_000 }),
});

export const PlayerParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 1_000 }) });

export const MembersQuery = Type.Object(
  {
    columns: Type.Optional(Columns),
    sort: Type.Optional(Sort),
    limit: Type.Integer({ minimum: 1, maximum: 1_000, default: 50 }),
    offset: Type.Integer({ minimum: 0, maximum: 100_000_000, default: 0 }),
  },
  { additionalProperties: false },
);

export const ExportQuery = Type.Object(
  {
    columns: Type.Optional(Columns),
    sort: Type.Optional(Sort),
    bom: Type.Optional(Type.Union(['0', '1', 'false', 'true'].map((v) => Type.Literal(v)))),
    // Download links carry the token here (tokenInQuery); it is checked before validation.
    access_token: Type.Optional(Type.String()),
    // What the UI's links carry instead: a single-use ticket (POST /v1/tickets).
    ticket: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

export const TransitionsQuery = Type.Object(
  {
    since: Type.Optional(Type.String({ maxLength: 40 })),
    limit: Type.Integer({ minimum: 1, maximum: 1_000, default: 100 }),
  },
  { additionalProperties: false },
);

export const HistoryQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ maxLength: 40 })),
    to: Type.Optional(Type.String({ maxLength: 40 })),
    step: Type.Union([Type.Literal('minute'), Type.Literal('hour')], { default: 'hour' }),
  },
  { additionalProperties: false },
);
