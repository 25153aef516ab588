// Helpers for rule validation: paths of offending parts, coded rule errors, and structural checks
// with TypeBox schemas compiled by ajv. Validation dispatches each part on its discriminating key
// before calling a checker, so every checker here validates a schema without object unions and
// the first ajv error names exactly the offending key.
import type { TSchema } from '@sinclair/typebox';
import { Ajv, type ErrorObject } from 'ajv';
import { ERRORS, SegstreamError, type ErrorCode } from '../errors/errors.ts';

/** `include` + `all` -> `include.all`; keys that are not identifiers are quoted. */
export function at(path: string, key: string): string {
  const part = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : JSON.stringify(key);
  if (part.startsWith('"')) return `${path}[${part}]`;
  return path === '' ? part : `${path}.${part}`;
}

export function index(path: string, i: number): string {
  return `${path}[${i}]`;
}

/** A coded error naming the path; the message reads "<catalogue message> at <path>: <reason>". */
export function ruleError(code: ErrorCode, path: string, reason: string): SegstreamError {
  const where = path === '' ? '' : ` at ${path}`;
  return new SegstreamError(code, { path, reason }, `${ERRORS[code].message}${where}: ${reason}`);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Which of `keys` the object has; used to pick the one schema branch an input means. */
export function presentKeys<K extends string>(value: Record<string, unknown>, keys: readonly K[]) {
  return keys.filter((k) => Object.hasOwn(value, k));
}

const ajv = new Ajv({ allErrors: false, verbose: true });

export type ShapeCheck = (value: unknown, path: string) => void;

/** Compiles a schema into a check that throws `code` with the path of the first problem. */
export function shapeCheck(schema: TSchema, code: ErrorCode = 'RULE_INVALID'): ShapeCheck {
  const validate = ajv.compile(schema);
  return (value, path) => {
    if (validate(value)) return;
    // Without allErrors ajv stops at the first failing keyword; only a union of literals
    // reports its branches before the anyOf error itself, which is the one to describe.
    const errors = validate.errors ?? [];
    const error = errors[errors.length - 1];
    if (!error) throw ruleError(code, path, 'has the wrong shape');
    throw ruleError(code, errorPath(path, error), reason(error));
  };
}

function errorPath(base: string, error: ErrorObject): string {
  let path = base;
  for (const raw of error.instancePath.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path = /^\d+$/.test(key) ? index(path, Number(key)) : at(path, key);
  }
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') {
    return at(path, String(params.additionalProperty));
  }
  if (error.keyword === 'required') return at(path, String(params.missingProperty));
  return path;
}

function reason(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return 'is not a known key here';
    case 'required':
      return 'is required';
    case 'anyOf':
      return oneOfReason(error.parentSchema);
    case 'minItems':
      return params.limit === 1 ? 'must not be empty' : `must have at least ${params.limit} items`;
    case 'minLength':
      return params.limit === 1 ? 'must not be empty' : (error.message ?? 'is too short');
    default:
      return error.message ?? 'has the wrong shape';
  }
}

function oneOfReason(schema: unknown): string {
  const branches = isRecord(schema) && Array.isArray(schema.anyOf) ? schema.anyOf : [];
  const values = branches.map((b: unknown) => (isRecord(b) ? b.const : undefined));
  if (values.length > 0 && values.every((v) => typeof v === 'string')) {
    return `must be one of ${values.join(', ')}`;
  }
  return 'has the wrong shape';
}
