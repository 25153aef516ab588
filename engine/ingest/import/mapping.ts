// The column mapping of a generic import: which source column feeds which target field of a
// player or event row, how dates are written, and which texts mean "no value". It is a JSON
// file checked against MappingSchema; docs/importing.md shows an example.
import fs from 'node:fs';
import path from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Ajv } from 'ajv';
import { SegstreamError } from '../../errors/errors.ts';
import { importError } from './problem.ts';
import { DATE_FORMATS } from './values.ts';

const DateFormatSchema = Type.Union(DATE_FORMATS.map((f) => Type.Literal(f)));

export const MappingSchema = Type.Object(
  {
    /** Target field -> source column: { "player_id": "CustomerID", "props.bonus": "Bonus" }. */
    columns: Type.Optional(Type.Record(Type.String(), Type.String({ minLength: 1 }))),
    /** One date format for every date field, or one per target field. Default "iso". */
    dates: Type.Optional(
      Type.Union([DateFormatSchema, Type.Record(Type.String(), DateFormatSchema)]),
    ),
    /**
     * Values for target fields whose column is missing or empty in a row, or that no column
     * feeds at all, e.g. { "type": "deposit", "currency": "EUR" }.
     */
    defaults: Type.Optional(Type.Record(Type.String(), Type.String())),
    /** Texts that mean "no value" (after trimming). Default [""]. */
    missing: Type.Optional(Type.Array(Type.String())),
    /** CSV field separator. Default ",". */
    delimiter: Type.Optional(Type.String({ minLength: 1, maxLength: 1 })),
    /** Separator of list values (tags) in a CSV field. Default "|". */
    listSeparator: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);

export type Mapping = Static<typeof MappingSchema>;

const ajv = new Ajv({ allErrors: false });
const checkMapping = ajv.compile(MappingSchema);

/** The mapping as given, structurally checked; target names are checked in resolve.ts. */
export function parseMapping(value: unknown, source = 'mapping'): Mapping {
  if (checkMapping(value)) return value;
  const first = checkMapping.errors?.[0];
  const where = first?.instancePath || '/';
  throw importError('IMPORT_MAPPING_INVALID', {
    file: source,
    path: where,
    reason: first?.message ?? 'invalid',
  });
}

export function loadMapping(file: string): Mapping {
  const name = path.basename(file);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw importError('IMPORT_MAPPING_INVALID', { file: name, reason: 'cannot be read' });
  }
  try {
    return parseMapping(JSON.parse(text), name);
  } catch (err) {
    if (err instanceof SegstreamError) throw err;
    throw importError('IMPORT_MAPPING_INVALID', { file: name, reason: 'not valid JSON' });
  }
}
