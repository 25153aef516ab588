// Who may do what. A route names the access it needs; a token carries one role. Roles are not a
// strict ladder: an ingest token (given to event pipelines) may only send events and profiles,
// and reads nothing back.

export const ROLES = ['viewer', 'editor', 'admin', 'ingest'] as const;
export type Role = (typeof ROLES)[number];

/**
 * read: segments, counts, live updates, history. edit: change segments and actions, preview,
 * members, export. admin: retention lists, tokens. ingest: POST /v1/events and /v1/players.
 * any: every role (asking for a ticket; using it needs the access of the route it is used on).
 */
export type Access = 'read' | 'edit' | 'admin' | 'ingest' | 'any';

const GRANTS: Readonly<Record<Role, readonly Access[]>> = {
  viewer: ['read'],
  editor: ['read', 'edit'],
  admin: ['read', 'edit', 'admin', 'ingest'],
  ingest: ['ingest'],
};

export function allows(role: Role, access: Access): boolean {
  return access === 'any' || GRANTS[role].includes(access);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
