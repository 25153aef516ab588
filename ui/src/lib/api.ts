// The UI's only way to the server: the public HTTP API with the user's bearer token. Errors come
// back as the API's coded errors ({ code, message, details }) so screens can show them as such.

const TOKEN_KEY = 'segstream.token';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function savedToken(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

export function saveToken(token: string | null): void {
  if (token === null) localStorage.removeItem(TOKEN_KEY);
  else localStorage.setItem(TOKEN_KEY, token);
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  const token = savedToken();
  if (token) headers.set('authorization', `Bearer ${token}`);
  if (init.body !== undefined && !headers.has('content-type')) {
    headers.set('content-type', 'application/json');
  }
  const res = await fetch(path, { ...init, headers });
  if (res.status === 204) return undefined as T;
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) {
    const details = (body.details ?? {}) as Record<string, unknown>;
    const code = String(body.code ?? 'HTTP_ERROR');
    throw new ApiError(res.status, code, String(body.message ?? res.statusText), details);
  }
  return body as T;
}

export interface SegmentStatus {
  readonly state: string;
  readonly count: number | null;
  readonly suppressed_count: number | null;
  readonly error: { code: string; message: string } | null;
  readonly last_computed_at: string | null;
}

export interface Segment {
  readonly id: string;
  readonly version: number;
  readonly name: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly active: boolean;
  readonly kind: 'rule' | 'static';
  readonly summary: string;
  readonly status: SegmentStatus;
  readonly timezone?: string;
  readonly retention_lists?: readonly string[];
  /** Absent for static segments. */
  readonly rule?: unknown;
}

/** Segments, maybe only those with a tag or bound to a retention list (the API filters). */
export const listSegments = (filter: { tag?: string; retention_list?: string } = {}) => {
  const query = new URLSearchParams({ limit: '500' });
  for (const [key, value] of Object.entries(filter)) if (value) query.set(key, value);
  return api<{ segments: Segment[] }>(`/v1/segments?${query}`).then((r) => r.segments);
};

/** Changes only what PATCH takes: active, name, description, tags, retention_lists. */
export const patchSegment = (id: string, fields: Record<string, unknown>) =>
  api<Segment>(`/v1/segments/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    body: JSON.stringify(fields),
  });

export const setActive = (id: string, active: boolean) =>
  api<Segment>(`/v1/segments/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    body: JSON.stringify({ active }),
  });

export interface Field {
  readonly name: string;
  readonly label: string;
  readonly type: string;
  readonly shown_in_tables: boolean;
  readonly anonymized: boolean;
  readonly usable_in_rules: boolean;
  readonly operators: readonly string[];
}

export interface List {
  readonly id: string;
  readonly kind: 'players' | 'events';
  readonly label: string;
  readonly fields: readonly Field[];
}

export const listLists = () => api<{ lists: List[] }>('/v1/lists').then((r) => r.lists);

export interface MemberPage {
  readonly count: number;
  readonly columns: readonly string[];
  readonly sort: string;
  readonly members: readonly Record<string, unknown>[];
}

/** The query of a members page and of its CSV export: the same rows in the same order. */
export function memberQuery(columns: readonly string[], sort: string): URLSearchParams {
  return new URLSearchParams({ columns: columns.join(','), sort });
}

export const memberPage = (id: string, query: URLSearchParams, limit: number, offset: number) =>
  api<MemberPage>(
    `/v1/segments/${encodeURIComponent(id)}/members?${query}&limit=${limit}&offset=${offset}`,
  );

/**
 * A single-use ticket for a download link or the live socket: neither can send a header, and the
 * bearer token must never be in a URL (browser history, proxy logs). Fetched right before use.
 */
export const newTicket = (purpose: 'export' | 'live') =>
  api<{ ticket: string }>('/v1/tickets', {
    method: 'POST',
    body: JSON.stringify({ purpose }),
  }).then((r) => r.ticket);

/** The export's address without credentials: what a Download CSV link shows. */
export function exportUrl(id: string, query: URLSearchParams): string {
  return `/v1/segments/${encodeURIComponent(id)}/export.csv?${query}`;
}

export const getSegment = (id: string) => api<Segment>(`/v1/segments/${encodeURIComponent(id)}`);

export const cloneSegment = (id: string) =>
  api<Segment>(`/v1/segments/${encodeURIComponent(id)}/clone`, { method: 'POST', body: '{}' });

export const deleteSegment = (id: string) =>
  api<void>(`/v1/segments/${encodeURIComponent(id)}`, { method: 'DELETE' });

export interface Preview {
  readonly count: number;
  readonly summary: string;
  readonly columns: readonly string[];
  readonly members: readonly Record<string, unknown>[];
  readonly took_ms: number;
}

export interface Side {
  readonly count: number;
  readonly player_ids: readonly string[];
}

/** With `compare_to`, who would enter and who would leave compared with that saved segment. */
export interface Comparison {
  readonly entering?: Side;
  readonly leaving?: Side;
}

export const previewRule = (
  rule: unknown,
  limit: number,
  signal: AbortSignal,
  options: { timezone?: string; compare_to?: string } = {},
) =>
  api<Preview & Comparison>('/v1/segments/preview', {
    method: 'POST',
    body: JSON.stringify({ rule, limit, client: 'builder', ...options }),
    signal,
  });

export const saveSegment = (id: string | undefined, definition: unknown) =>
  id === undefined
    ? api<Segment>('/v1/segments', { method: 'POST', body: JSON.stringify(definition) })
    : api<Segment>(`/v1/segments/${encodeURIComponent(id)}`, {
        method: 'PUT',
        body: JSON.stringify(definition),
      });

export interface RetentionList {
  readonly id: string;
  readonly name: string;
  readonly description: string;
}

export const listRetentionLists = () =>
  api<{ lists: RetentionList[] }>('/v1/retention-lists').then((r) => r.lists);

export interface Action {
  readonly id: string;
  readonly segment_id: string;
  readonly name: string;
  readonly type: string;
  readonly channel: string;
  readonly member_count: number;
  readonly suppressed_count: number;
}

export const createAction = (segmentId: string, action: Record<string, unknown>) =>
  api<Action>(`/v1/segments/${encodeURIComponent(segmentId)}/actions`, {
    method: 'POST',
    body: JSON.stringify(action),
  });
