// Segment references across saved segments: resolving a rule's references transitively (refusing
// unknown segments and cycles), resolvers for the compiler, and the segments that depend on one.
import type { ResolvedSegment } from '../compiler/index.ts';
import { ERRORS, SegstreamError, type ErrorCode } from '../errors/errors.ts';
import type { Rule } from '../rules/schema.ts';
import { segmentReferences } from '../rules/walk.ts';
import type { SegmentRepository, SegmentVersion } from './repository.ts';

export type SegmentSource = Pick<SegmentRepository, 'get'>;

export interface ResolveOptions {
  /** The id of the segment being saved: a reference back to it is a cycle. */
  readonly selfId?: string;
  /** Prefix of the reference paths in errors, e.g. `rule`. */
  readonly path?: string;
}

/**
 * Every segment the rule references, directly or through other segments, by id. Throws
 * RULE_SEGMENT_UNKNOWN for a reference to a missing or deleted segment and RULE_SEGMENT_CYCLE
 * for references that lead back to a segment on the way (details.cycle lists it), both with the
 * path of the rule's own reference that leads there.
 */
export async function resolveReferences(
  source: SegmentSource,
  rule: Rule,
  opts: ResolveOptions = {},
): Promise<Map<string, ResolvedSegment>> {
  const resolved = new Map<string, ResolvedSegment>();
  const done = new Set<string>();

  const visit = async (id: string, chain: readonly string[], path: string): Promise<void> => {
    if (chain.includes(id)) {
      const cycle = [...chain.slice(chain.indexOf(id)), id];
      throw referenceError('RULE_SEGMENT_CYCLE', path, cycle.join(' -> '), { cycle });
    }
    if (done.has(id)) return;
    const segment = await source.get(id);
    if (!segment) {
      const via = chain.at(-1);
      const reason =
        via === undefined ? `${id} does not exist` : `${id} (used by ${via}) does not exist`;
      throw referenceError('RULE_SEGMENT_UNKNOWN', path, reason, { segment: id });
    }
    const entry = toResolved(segment);
    resolved.set(id, entry);
    if (entry.kind === 'rule') {
      for (const ref of segmentReferences(entry.rule))
        await visit(ref.segment, [...chain, id], path);
    }
    done.add(id);
  };

  const root = opts.selfId === undefined ? [] : [opts.selfId];
  for (const ref of segmentReferences(rule)) {
    await visit(ref.segment, root, opts.path ? `${opts.path}.${ref.path}` : ref.path);
  }
  return resolved;
}

function referenceError(
  code: ErrorCode,
  path: string,
  reason: string,
  extra: Record<string, unknown>,
): SegstreamError {
  const message = `${ERRORS[code].message} at ${path}: ${reason}`;
  return new SegstreamError(code, { path, reason, ...extra }, message);
}

export function toResolved(segment: SegmentVersion): ResolvedSegment {
  const { rule, timezone } = segment.definition;
  return rule
    ? { kind: 'rule', id: segment.id, rule, timezone }
    : { kind: 'static', id: segment.id, version: segment.version };
}

/** Looks segments up one by one in the repository (current versions). */
export function segmentResolver(
  source: SegmentSource,
): (id: string) => Promise<ResolvedSegment | undefined> {
  return async (id) => {
    const segment = await source.get(id);
    return segment && toResolved(segment);
  };
}

/**
 * Loads every segment `rule` needs first and answers from memory: the compiler's
 * resolveSegment is synchronous. Throws like resolveReferences.
 */
export async function loadResolver(
  source: SegmentSource,
  rule: Rule,
  opts: ResolveOptions = {},
): Promise<(id: string) => ResolvedSegment | undefined> {
  const resolved = await resolveReferences(source, rule, opts);
  return (id) => resolved.get(id);
}

/** Ids of current segments that reference `id`, directly or through others, sorted. */
export async function dependents(
  source: Pick<SegmentRepository, 'listCurrent'>,
  id: string,
): Promise<string[]> {
  const usedBy = new Map<string, string[]>();
  for (const segment of await source.listCurrent()) {
    const { rule } = segment.definition;
    if (!rule) continue;
    for (const ref of new Set(segmentReferences(rule).map((r) => r.segment))) {
      usedBy.set(ref, [...(usedBy.get(ref) ?? []), segment.id]);
    }
  }
  const found = new Set<string>();
  const queue = [id];
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    for (const user of usedBy.get(next) ?? []) {
      if (user === id || found.has(user)) continue;
      found.add(user);
      queue.push(user);
    }
  }
  return [...found].sort();
}
