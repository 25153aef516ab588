// Shared helpers of the validation tests: build rules around one item and capture the coded error.
import { DEFAULT_CATALOGUE } from '../catalogue/default.ts';
import type { Catalogue } from '../catalogue/types.ts';
import { isSegstreamError } from '../errors/errors.ts';
import { validateRule } from './validate.ts';

export const C = DEFAULT_CATALOGUE;

/** A rule whose include group is `all` of the given items. */
export const rule = (...items: unknown[]) => ({ include: { all: items } });

/** A deposits event condition with sensible defaults; `extra` overrides keys. */
export const deposits = (extra: Record<string, unknown> = {}) => ({
  list: 'deposits',
  measure: 'count',
  op: 'gte',
  value: 1,
  ...extra,
});

export interface Failure {
  readonly code: string;
  readonly path: unknown;
}

/** The code and path of the error validating throws, or 'valid' when it accepts the input. */
export function failure(run: () => unknown): Failure | 'valid' {
  try {
    run();
  } catch (err) {
    if (isSegstreamError(err)) return { code: err.code, path: err.details.path };
    throw err;
  }
  return 'valid';
}

export function ruleFailure(input: unknown, catalogue: Catalogue = C): Failure | 'valid' {
  return failure(() => validateRule(input, catalogue));
}
