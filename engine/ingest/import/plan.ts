// Turns a mapping (or none) into a plan: for each target field, the column or default value that
// feeds it and its date format; for the attributes/props bag, which columns fill which keys.
// Mistakes in the mapping, and columns a CSV header lacks, stop the import before any row is
// read: they would reject every row.
import { importError } from './problem.ts';
import type { Mapping } from './mapping.ts';
import { isDateKind, type TargetField, type TargetTable } from './targets.ts';
import type { DateFormat } from './values.ts';

export interface PlannedField {
  readonly target: TargetField;
  readonly column?: string;
  readonly fallback?: string;
  readonly format: DateFormat;
}

export interface Plan {
  readonly target: TargetTable;
  readonly fields: readonly PlannedField[];
  /** Bag key -> source column. */
  readonly bagColumns: ReadonlyMap<string, string>;
  /** A column holding a whole JSON object of bag entries (NDJSON), if any. */
  readonly bagObject?: string;
  /** Unmapped columns go to the bag under their own name. */
  readonly extraToBag: boolean;
  readonly usedColumns: ReadonlySet<string>;
  readonly missing: ReadonlySet<string>;
  readonly listSeparator: string;
}

export interface PlanInput {
  readonly target: TargetTable;
  readonly mapping?: Mapping;
  /** CSV header; undefined for NDJSON, whose keys are only known row by row. */
  readonly columns?: readonly string[];
  readonly extraToBag?: boolean;
}

export function planImport(input: PlanInput): Plan {
  const { target, mapping, columns } = input;
  const given = mapping?.columns ?? defaultColumns(target, columns);
  checkTargets(target, mapping);
  const bagColumns = new Map<string, string>();
  for (const [name, column] of Object.entries(given)) {
    if (name.startsWith(`${target.bag}.`))
      bagColumns.set(name.slice(target.bag.length + 1), column);
  }
  const fields = target.fields.map((field) => planField(field, mapping, given));
  const plan: Plan = {
    target,
    fields,
    bagColumns,
    bagObject: given[target.bag],
    extraToBag: input.extraToBag ?? false,
    usedColumns: new Set(Object.values(given)),
    missing: new Set(mapping?.missing ?? ['']),
    listSeparator: mapping?.listSeparator ?? '|',
  };
  if (columns !== undefined) checkColumns(plan, columns);
  else checkFed(plan);
  return plan;
}

/** Without a mapping, columns named like a target (or "props.x" / "attributes.x") feed it. */
function defaultColumns(target: TargetTable, columns?: readonly string[]): Record<string, string> {
  const names = target.fields.map((f) => f.name).concat(target.bag);
  const result: Record<string, string> = {};
  for (const name of names) {
    if (columns === undefined || columns.includes(name)) result[name] = name;
  }
  for (const column of columns ?? []) {
    if (column.startsWith(`${target.bag}.`)) result[column] = column;
  }
  return result;
}

function planField(
  target: TargetField,
  mapping: Mapping | undefined,
  given: Record<string, string>,
): PlannedField {
  const dates = mapping?.dates;
  const format = (typeof dates === 'string' ? dates : dates?.[target.name]) ?? 'iso';
  return {
    target,
    format,
    column: given[target.name],
    fallback: mapping?.defaults?.[target.name],
  };
}

function checkTargets(target: TargetTable, mapping: Mapping | undefined): void {
  const known = new Map(target.fields.map((f) => [f.name, f]));
  const isBag = (name: string) =>
    name === target.bag ||
    (name.startsWith(`${target.bag}.`) && name.length > target.bag.length + 1);
  for (const name of Object.keys(mapping?.columns ?? {})) {
    if (!known.has(name) && !isBag(name)) mappingError(`/columns/${name}`, unknownTarget(target));
  }
  for (const name of Object.keys(mapping?.defaults ?? {})) {
    if (!known.has(name)) mappingError(`/defaults/${name}`, unknownTarget(target));
  }
  const dates = mapping?.dates;
  for (const name of typeof dates === 'object' ? Object.keys(dates) : []) {
    const field = known.get(name);
    if (!field || !isDateKind(field.kind)) mappingError(`/dates/${name}`, 'not a date field');
  }
}

function unknownTarget(target: TargetTable): string {
  return `not a field of ${target.table} (nor ${target.bag}.<key>)`;
}

function mappingError(path: string, reason: string): never {
  throw importError('IMPORT_MAPPING_INVALID', { path, reason });
}

function checkColumns(plan: Plan, columns: readonly string[]): void {
  const present = new Set(columns);
  for (const field of plan.fields) {
    if (field.column !== undefined && !present.has(field.column)) {
      fileError(field.target.name, `the header has no column ${field.column}`);
    }
    if (field.target.required && field.column === undefined && field.fallback === undefined) {
      fileError(field.target.name, 'no column feeds this required field');
    }
  }
  for (const [key, column] of plan.bagColumns) {
    if (!present.has(column)) {
      fileError(`${plan.target.bag}.${key}`, `the header has no column ${column}`);
    }
  }
}

/** NDJSON: a required field that neither a key nor a default feeds would reject every row. */
function checkFed(plan: Plan): void {
  for (const field of plan.fields) {
    if (field.target.required && field.column === undefined && field.fallback === undefined) {
      mappingError(`/columns/${field.target.name}`, 'no column feeds this required field');
    }
  }
}

function fileError(field: string, reason: string): never {
  throw importError('IMPORT_FILE_INVALID', { field, line: 1, reason });
}
