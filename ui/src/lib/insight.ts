// The read routes behind the live ops and segment detail screens: size history, transitions,
// versions, explain and ingest stats (docs/api.md), typed as the API answers them.
import { api } from './api.ts';

export type Step = 'minute' | 'hour';

export interface HistoryPoint {
  readonly at: string;
  readonly count: number;
  readonly entered: number;
  readonly exited: number;
}

export interface Transition {
  readonly at: string;
  readonly player_id: string;
  readonly kind: 'entered' | 'exited';
  readonly segment_version: number;
  readonly seq: number;
  readonly cause: string;
}

export interface Version {
  readonly version: number;
  readonly created_at: string;
  readonly created_by: string;
  readonly deleted: boolean;
  readonly definition: {
    readonly name?: string;
    readonly active?: boolean;
    readonly rule?: unknown;
  };
}

/** One node of an explanation: a group (all, any, not) or a condition with its value. */
export interface Explained {
  readonly kind: 'all' | 'any' | 'not' | 'attribute' | 'event' | 'segment';
  readonly matched: boolean;
  readonly items?: readonly Explained[];
  readonly item?: Explained;
  readonly condition?: Record<string, unknown>;
  readonly value?: string | boolean | readonly string[] | null;
  readonly masked?: boolean;
  readonly events?: number;
  readonly segment?: string;
  readonly member?: boolean;
}

export interface Explanation {
  readonly segment_id: string;
  readonly version: number;
  readonly as_of: string;
  readonly engine_member: boolean;
  readonly player_id: string;
  readonly has_profile: boolean;
  readonly matched: boolean;
  readonly include: Explained;
  readonly exclude: Explained | null;
}

export interface Stats {
  readonly at: string;
  readonly ingest: {
    readonly last_minute: { readonly events: number; readonly players: number };
    readonly per_second: number;
    readonly minutes: readonly { at: string; events: number; players: number }[];
    readonly queued_entries: number;
    readonly queue_oldest_seconds: number;
  };
  readonly engine: {
    readonly watermark: string | null;
    readonly latest_ingestion: string | null;
    readonly behind_seconds: number | null;
    readonly watermark_lag_seconds: number | null;
  };
}

const segmentPath = (id: string) => `/v1/segments/${encodeURIComponent(id)}`;

/** `fromMs`: the series' start, epoch milliseconds. */
export const sizeHistory = (id: string, step: Step, fromMs: number) =>
  api<{ points: HistoryPoint[] }>(
    `${segmentPath(id)}/history?step=${step}&from=${encodeURIComponent(new Date(fromMs).toISOString())}`,
  ).then((r) => r.points);

/** Newest first; `sinceMs` (epoch milliseconds) keeps those at or after it. */
export const recentTransitions = (id: string, limit: number, sinceMs?: number) => {
  const since =
    sinceMs === undefined ? '' : `&since=${encodeURIComponent(new Date(sinceMs).toISOString())}`;
  return api<{ transitions: Transition[] }>(
    `${segmentPath(id)}/transitions?limit=${limit}${since}`,
  ).then((r) => r.transitions);
};

export const segmentVersions = (id: string) =>
  api<{ versions: Version[] }>(`${segmentPath(id)}/versions`).then((r) => r.versions);

export const explainPlayer = (id: string, playerId: string) =>
  api<Explanation>(`${segmentPath(id)}/explain/${encodeURIComponent(playerId)}`);

export const ingestStats = () => api<Stats>('/v1/stats');
