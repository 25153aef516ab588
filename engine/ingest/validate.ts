// Item-by-item validation of an ingest request: every item is checked on its own, so one bad
// item is rejected with its index, code and field path while its neighbours are still accepted.
// The validators are compiled once when the module loads; this runs for every ingested event.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { ERRORS, type ErrorCode } from '../errors/errors.ts';
import { illFormedPath } from '../input/well-formed.ts';
import type { EventRow } from '../store/events.ts';
import {
  Problem,
  toEventRow,
  toPlayerUpsert,
  type EventContext,
  type PlayerUpsert,
} from './convert.ts';
import { EventInput, FIELD_HINTS, PlayerUpsertInput } from './schema.ts';

/** One item of a request body: a parsed JSON value, or a line that was not JSON at all. */
export type RawItem =
  | { readonly index: number; readonly value: unknown }
  | { readonly index: number; readonly malformed: string };

export interface Rejection {
  readonly index: number;
  readonly code: ErrorCode;
  /** Path of the offending field, e.g. `props.bonus_code` or `tags[2]`; '' for the whole item. */
  readonly path: string;
  readonly message: string;
}

export interface Checked<T> {
  readonly accepted: T[];
  readonly rejected: Rejection[];
}

// allErrors stays off: the first problem of an item is enough, and stopping there is faster.
// The patterns need no Unicode mode, and plain regular expressions run about a quarter faster.
const ajv = new Ajv({ allErrors: false, strict: true, unicodeRegExp: false });
const validEvent = ajv.compile<EventInput>(EventInput);
const validPlayer = ajv.compile<PlayerUpsertInput>(PlayerUpsertInput);

export function checkEvents(items: readonly RawItem[], ctx: EventContext): Checked<EventRow> {
  return checkItems(items, validEvent, 'an event', (input) => toEventRow(input, ctx));
}

export function checkPlayers(
  items: readonly RawItem[],
  nextVersion: () => number,
): Checked<PlayerUpsert> {
  return checkItems(items, validPlayer, 'a player update', (input) =>
    toPlayerUpsert(input, nextVersion),
  );
}

function checkItems<I, T>(
  items: readonly RawItem[],
  validate: ValidateFunction<I>,
  what: string,
  convert: (input: I) => T | Problem,
): Checked<T> {
  const accepted: T[] = [];
  const rejected: Rejection[] = [];
  for (const item of items) {
    let outcome: T | Problem;
    const illFormed = 'malformed' in item ? undefined : illFormedPath(item.value);
    if ('malformed' in item) {
      outcome = new Problem('INGEST_ITEM_MALFORMED', '', item.malformed);
    } else if (illFormed !== undefined) {
      // Accepted, such an item could never be stored and would hold up the queue behind it.
      outcome = new Problem('INGEST_FIELD_INVALID', illFormed, 'text with a lone surrogate');
    } else if (validate(item.value)) {
      outcome = convert(item.value);
    } else {
      outcome = schemaProblem(validate.errors ?? [], item.value, what);
    }
    if (outcome instanceof Problem) rejected.push(rejection(item.index, outcome));
    else accepted.push(outcome);
  }
  return { accepted, rejected };
}

function rejection(index: number, problem: Problem): Rejection {
  const base = ERRORS[problem.code].message;
  const where = problem.path === '' ? '' : `: ${problem.path}`;
  return {
    index,
    code: problem.code,
    path: problem.path,
    message: `${base}${where} (${problem.detail})`,
  };
}

/**
 * The decisive schema error is the deepest one (`tags[1]` rather than `tags` when a nullable
 * list holds a number), and among equally deep ones the last: for a union such as
 * `event_time`, the union's own failure rather than one of its branches.
 */
function decisiveError(errors: readonly ErrorObject[]): ErrorObject | undefined {
  let chosen: ErrorObject | undefined;
  for (const err of errors) {
    if (chosen === undefined || err.instancePath.length >= chosen.instancePath.length) chosen = err;
  }
  return chosen;
}

function schemaProblem(errors: readonly ErrorObject[], value: unknown, what: string): Problem {
  const err = decisiveError(errors);
  if (err === undefined || (err.instancePath === '' && err.keyword === 'type')) {
    return new Problem('INGEST_ITEM_MALFORMED', '', `expected ${what} as a JSON object`);
  }
  const segments = pointerSegments(err.instancePath);
  const params = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'additionalProperties': {
      const path = fieldPath(value, [...segments, String(params.additionalProperty)]);
      return new Problem('INGEST_FIELD_UNKNOWN', path, `not a field of ${what}`);
    }
    case 'required': {
      const path = fieldPath(value, [...segments, String(params.missingProperty)]);
      return new Problem('INGEST_FIELD_MISSING', path, `required in ${what}`);
    }
    case 'propertyNames': {
      const path = fieldPath(value, [...segments, String(params.propertyName)]);
      const detail = 'keys are 1 to 100 characters without control characters';
      return new Problem('INGEST_FIELD_INVALID', path, detail);
    }
    default: {
      const path = fieldPath(value, segments);
      const hint = segments.length === 1 ? FIELD_HINTS[segments[0] ?? ''] : undefined;
      return new Problem('INGEST_FIELD_INVALID', path, hint ?? err.message ?? 'invalid');
    }
  }
}

/** Segments of a JSON pointer (`/props/a~1b` is props, a/b). */
function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `props.bonus_code`, `tags[2]`: array positions in brackets, object keys after dots. */
function fieldPath(root: unknown, segments: readonly string[]): string {
  let path = '';
  let node = root;
  for (const segment of segments) {
    if (Array.isArray(node)) path += `[${segment}]`;
    else path += path === '' ? segment : `.${segment}`;
    node = isRecord(node) ? node[segment] : undefined;
  }
  return path;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
