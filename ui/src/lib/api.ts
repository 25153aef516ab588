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
}

export const listSegments = () =>
  api<{ segments: Segment[] }>('/v1/segments?limit=500').then((r) => r.segments);

export const setActive = (id: string, active: boolean) =>
  api<Segment>(`/v1/segments/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    body: JSON.stringify({ active }),
  });
