// The operator's catalogue file (SEGSTREAM_CATALOGUE_FILE), merged into DEFAULT_CATALOGUE. The
// file may add event lists, property fields of event lists (stored in the events' prop_keys /
// prop_values), player attributes (stored in the players' attr_keys / attr_values), and switch
// any field's usable / shown / anonymized settings:
//
//   { "eventLists": [{ "id": "cashback", "label": "Cashback", "eventTypes": ["cashback"],
//                      "fields": [{ "name": "campaign", "label": "Campaign",
//                                   "type": "string" }] }],
//     "eventFields": { "deposits": [{ "name": "bonus_code", "label": "Bonus code",
//                                     "type": "string", "key": "bonusCode" }] },
//     "playerAttributes": [{ "name": "affiliate", "label": "Affiliate", "type": "string" }],
//     "fieldSettings": [{ "list": "players", "field": "email", "usableInRules": false }] }
//
// `key` is the stored key (the name when absent). A bad file stops startup with
// CATALOGUE_INVALID naming the file and the path inside it.
import fs from 'node:fs';
import { Type, type Static } from '@sinclair/typebox';
import { SegstreamError, isSegstreamError } from '../errors/errors.ts';
import { at, index, ruleError, shapeCheck } from '../rules/validate-shape.ts';
import { DEFAULT_CATALOGUE, eventList, field } from './default.ts';
import { findField, findList } from './lookup.ts';
import { FIELD_TYPES, type Catalogue, type Field, type List } from './types.ts';

const Name = Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' });
const Label = Type.String({ minLength: 1, maxLength: 200 });
const Switches = {
  usableInRules: Type.Optional(Type.Boolean()),
  shownInTables: Type.Optional(Type.Boolean()),
  anonymized: Type.Optional(Type.Boolean()),
};
const FieldSpec = Type.Object(
  {
    name: Name,
    label: Label,
    type: Type.Union(FIELD_TYPES.map((t) => Type.Literal(t))),
    key: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    ...Switches,
  },
  { additionalProperties: false },
);
const Fields = Type.Array(FieldSpec, { maxItems: 500 });
const EventListSpec = Type.Object(
  {
    id: Name,
    label: Label,
    eventTypes: Type.Array(Name, { minItems: 1, maxItems: 100, uniqueItems: true }),
    fields: Type.Optional(Fields),
  },
  { additionalProperties: false },
);
const CatalogueFile = Type.Object(
  {
    eventLists: Type.Optional(Type.Array(EventListSpec, { maxItems: 200 })),
    eventFields: Type.Optional(Type.Record(Type.String(), Fields)),
    playerAttributes: Type.Optional(Fields),
    fieldSettings: Type.Optional(
      Type.Array(
        Type.Object({ list: Name, field: Name, ...Switches }, { additionalProperties: false }),
      ),
    ),
  },
  { additionalProperties: false },
);
type FieldSpec = Static<typeof FieldSpec>;
export type CatalogueFile = Static<typeof CatalogueFile>;

const fileShape = shapeCheck(CatalogueFile, 'CATALOGUE_INVALID');

/** The catalogue in force: the built-in one, extended by the operator's file when given. */
export function loadCatalogue(file?: string, base: Catalogue = DEFAULT_CATALOGUE): Catalogue {
  if (file === undefined) return base;
  try {
    return mergeCatalogue(base, JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (err) {
    if (isSegstreamError(err)) {
      const details = { ...err.details, file };
      throw new SegstreamError(err.code, details, `${err.message} (${file})`, { cause: err });
    }
    // Unreadable file or malformed JSON: the runtime's message names the problem.
    const reason = (err as Error).message;
    const message = `The catalogue file ${file} cannot be used: ${reason}`;
    throw new SegstreamError('CATALOGUE_INVALID', { file, path: '', reason }, message, {
      cause: err,
    });
  }
}

/** Merges a parsed catalogue file into `base`; throws CATALOGUE_INVALID with the path. */
export function mergeCatalogue(base: Catalogue, input: unknown): Catalogue {
  fileShape(input, '');
  const spec = input as CatalogueFile;
  let lists: List[] = [...base.lists];

  (spec.eventLists ?? []).forEach((l, i) => {
    const path = index('eventLists', i);
    if (lists.some((existing) => existing.id === l.id)) {
      throw invalid(at(path, 'id'), `${l.id} is already a list`);
    }
    lists.push(eventList(l.id, l.label, l.eventTypes, []));
    lists = addFields(lists, l.id, l.fields ?? [], at(path, 'fields'));
  });
  for (const [id, fields] of Object.entries(spec.eventFields ?? {})) {
    const list = findList({ lists }, id);
    if (list?.kind !== 'events') throw invalid(at('eventFields', id), `${id} is not an event list`);
    lists = addFields(lists, id, fields, at('eventFields', id));
  }
  lists = addFields(lists, 'players', spec.playerAttributes ?? [], 'playerAttributes');
  (spec.fieldSettings ?? []).forEach((s, i) => {
    lists = applySettings(lists, s, index('fieldSettings', i));
  });
  return { lists };
}

function invalid(path: string, reason: string): SegstreamError {
  return ruleError('CATALOGUE_INVALID', path, reason);
}

function addFields(lists: List[], id: string, specs: FieldSpec[], path: string): List[] {
  return lists.map((list) => {
    if (list.id !== id) return list;
    const added: Field[] = [];
    specs.forEach((s, i) => {
      const fieldPath = index(path, i);
      if (findField(list, s.name) || added.some((f) => f.name === s.name)) {
        throw invalid(at(fieldPath, 'name'), `${s.name} is already a field of ${id}`);
      }
      // Attributes and properties are stored as text; a list of strings has no text form there.
      if (s.type === 'string_list') {
        throw invalid(at(fieldPath, 'type'), 'string_list cannot be stored as a key');
      }
      added.push(field(s.name, s.label, s.type, { key: s.key ?? s.name }, s));
    });
    return { ...list, fields: [...list.fields, ...added] };
  });
}

type Settings = NonNullable<CatalogueFile['fieldSettings']>[number];

function applySettings(lists: List[], s: Settings, path: string): List[] {
  const list = findList({ lists }, s.list);
  if (!list) throw invalid(at(path, 'list'), `${s.list} is not a list`);
  if (!findField(list, s.field)) {
    throw invalid(at(path, 'field'), `${s.field} is not a field of ${s.list}`);
  }
  const fields = list.fields.map((f) =>
    f.name !== s.field
      ? f
      : {
          ...f,
          usableInRules: s.usableInRules ?? f.usableInRules,
          shownInTables: s.shownInTables ?? f.shownInTables,
          anonymized: s.anonymized ?? f.anonymized,
        },
  );
  return lists.map((l) => (l === list ? { ...list, fields } : l));
}
