// The JSON shape of a segment in API answers: its saved definition, a one-line summary of its
// rule, and what the engine says about it (state, live count, last computation).
import type { Catalogue } from '../../engine/catalogue/types.ts';
import { ERRORS } from '../../engine/errors/errors.ts';
import type { SegmentStatus } from '../../engine/membership/status.ts';
import { summarizeRule } from '../../engine/rules/summary.ts';
import type { SegmentVersion } from '../../engine/segments/repository.ts';

export interface SegmentView {
  readonly id: string;
  readonly version: number;
  readonly name: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly timezone: string;
  readonly active: boolean;
  readonly retention_lists: readonly string[];
  readonly kind: 'rule' | 'static';
  readonly rule: unknown;
  readonly summary: string;
  readonly created_at: string;
  readonly created_by: string;
  readonly status: StatusView;
}

export interface StatusView {
  /** pending: saved, not yet picked up by the engine. */
  readonly state: string;
  /** Members now; null until the first evaluation finished. */
  readonly count: number | null;
  /** Members matching the global suppression group, whom no action reaches; null with count. */
  readonly suppressed_count: number | null;
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly last_computed_at: string | null;
  readonly duration_ms: number | null;
}

export function segmentView(
  segment: SegmentVersion,
  status: SegmentStatus | undefined,
  catalogue: Catalogue,
  suppressed = 0,
): SegmentView {
  const d = segment.definition;
  return {
    id: segment.id,
    version: segment.version,
    name: d.name,
    description: d.description ?? '',
    tags: d.tags ?? [],
    timezone: d.timezone,
    active: d.active !== false,
    retention_lists: d.retention_lists ?? [],
    kind: d.rule ? 'rule' : 'static',
    rule: d.rule ?? null,
    summary: d.rule ? summarizeRule(d.rule, catalogue) : 'Uploaded list of players',
    created_at: new Date(segment.createdAt).toISOString(),
    created_by: segment.createdBy,
    status: statusView(segment, status, suppressed),
  };
}

function statusView(
  segment: SegmentVersion,
  status: SegmentStatus | undefined,
  suppressed: number,
): StatusView {
  const computed = status?.lastComputedAt;
  // A status of an older version is about to be replaced: say so rather than show stale counts
  // as if they were the edited rule's.
  const current = status?.version === segment.version;
  const state = status?.state === undefined ? 'pending' : current ? status.state : 'computing';
  const count = status?.state === undefined || status.state === 'inactive' ? null : status.count;
  return {
    state,
    count,
    suppressed_count: count === null ? null : suppressed,
    error: current && status?.error ? publicError(status.error) : null,
    last_computed_at: computed === undefined ? null : new Date(computed).toISOString(),
    duration_ms: status?.durationMs ?? null,
  };
}

/** Whether a segment passes the list filters of GET /v1/segments. */
export interface SegmentFilter {
  readonly active?: boolean;
  readonly tag?: string;
  readonly retention_list?: string;
  /** Case-insensitive text in the name, description or tags. */
  readonly q?: string;
}

export function matchesFilter(segment: SegmentVersion, filter: SegmentFilter): boolean {
  const d = segment.definition;
  if (filter.active !== undefined && (d.active !== false) !== filter.active) return false;
  if (filter.tag !== undefined && !(d.tags ?? []).includes(filter.tag)) return false;
  if (filter.retention_list !== undefined) {
    if (!(d.retention_lists ?? []).includes(filter.retention_list)) return false;
  }
  if (filter.q !== undefined && filter.q !== '') {
    const text = [d.name, d.description ?? '', ...(d.tags ?? [])].join('\n').toLowerCase();
    if (!text.includes(filter.q.toLowerCase())) return false;
  }
  return true;
}

/**
 * A failed evaluation's error as API users see it. Our coded errors keep their message; a
 * failure that is not ours (SEGMENT_EVALUATION_FAILED) carries ClickHouse's own text, which the
 * engine logs for the operators, so users get the catalogue's message instead.
 */
function publicError(error: { code: string; message: string }) {
  if (error.code !== 'SEGMENT_EVALUATION_FAILED') return { ...error };
  return { code: error.code, message: ERRORS.SEGMENT_EVALUATION_FAILED.message };
}
