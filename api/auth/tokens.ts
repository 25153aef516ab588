// Bearer tokens: issued once in plain text, stored as a SHA-256 hash in ClickHouse (api_tokens).
// The first admin token comes from SEGSTREAM_ADMIN_TOKEN and is never stored. Lookups are cached
// for TOKEN_CACHE_MS so a busy API does not ask ClickHouse on every request; a revoked token
// therefore stops working within that time on every API process.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { SegstreamError } from '../../engine/errors/errors.ts';
import { sqlString } from '../../engine/sql/literal.ts';
import type { Store } from '../../engine/store/clickhouse.ts';
import { isRole, type Role } from './roles.ts';

export interface Principal {
  /** `env-admin` for SEGSTREAM_ADMIN_TOKEN, else the token's id. */
  readonly tokenId: string;
  readonly name: string;
  readonly role: Role;
}

export interface TokenInfo extends Principal {
  readonly createdAt: number;
  readonly createdBy: string;
}

export interface IssuedToken extends TokenInfo {
  /** The bearer token itself: shown once, never stored. */
  readonly token: string;
}

export interface TokenStore {
  /** The principal of a bearer token, or undefined for an unknown or revoked one. */
  authenticate(token: string): Promise<Principal | undefined>;
  /** The principal of a token by its id (undefined once revoked); cached like authenticate. */
  principalOf(tokenId: string): Promise<Principal | undefined>;
  issue(name: string, role: Role, createdBy: string): Promise<IssuedToken>;
  list(): Promise<TokenInfo[]>;
  /** Returns false when no such (unrevoked) token exists. */
  revoke(tokenId: string, revokedBy: string): Promise<boolean>;
}

export const TOKEN_CACHE_MS = 5_000;
const ENV_ADMIN: Principal = { tokenId: 'env-admin', name: 'SEGSTREAM_ADMIN_TOKEN', role: 'admin' };
const PREFIX = 'sgs_';

interface TokenRow {
  token_id: string;
  version: number;
  name: string;
  role: string;
  token_hash: string;
  created_s: number;
  created_by: string;
  revoked: number;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** What issue() makes: the prefix and 32 random bytes in base64url. */
const ISSUED_SHAPE = /^sgs_[A-Za-z0-9_-]{43}$/;

/**
 * Token checks remembered at most: unknown tokens are remembered too (so a flood of them costs
 * one lookup each), and without a bound such a flood would grow the cache for good.
 */
const CACHE_MAX = 10_000;

function remember<V extends { until: number }>(
  cache: Map<string, V>,
  key: string,
  value: V,
  now: number,
): void {
  if (cache.size >= CACHE_MAX) {
    for (const [k, v] of cache) if (v.until <= now) cache.delete(k);
    // Still full: drop the oldest entries (a Map iterates in insertion order).
    for (const k of cache.keys()) {
      if (cache.size < CACHE_MAX) break;
      cache.delete(k);
    }
  }
  cache.set(key, value);
}

export function createTokenStore(
  store: Store,
  adminToken: string | undefined,
  now: () => number = Date.now,
): TokenStore {
  const adminHash = adminToken ? Buffer.from(hashToken(adminToken), 'hex') : undefined;
  const cache = new Map<string, { principal: Principal | undefined; until: number }>();

  const latest = async (where: string): Promise<TokenRow[]> =>
    store.rows<TokenRow>(
      `SELECT token_id, version, name, role, token_hash, toUnixTimestamp(created_at) AS created_s,
        created_by, revoked
      FROM api_tokens WHERE ${where}
      ORDER BY token_id, version DESC LIMIT 1 BY token_id`,
    );

  const lookup = async (where: string): Promise<Principal | undefined> => {
    const [row] = await latest(where);
    if (!row || Number(row.revoked) === 1 || !isRole(row.role)) return undefined;
    return { tokenId: row.token_id, name: row.name, role: row.role };
  };

  /** A lookup remembered under `key` for TOKEN_CACHE_MS. */
  const cached = async (key: string, where: string): Promise<Principal | undefined> => {
    const hit = cache.get(key);
    if (hit && hit.until > now()) return hit.principal;
    const principal = await lookup(where);
    remember(cache, key, { principal, until: now() + TOKEN_CACHE_MS }, now());
    return principal;
  };

  return {
    authenticate: async (token) => {
      const hash = hashToken(token);
      if (adminHash && timingSafeEqual(Buffer.from(hash, 'hex'), adminHash)) {
        return ENV_ADMIN;
      }
      // Only the shape issue() makes can be ours: anything else is refused without a lookup.
      if (!ISSUED_SHAPE.test(token)) return undefined;
      const byHash = `token_id IN (SELECT token_id FROM api_tokens WHERE token_hash = ${sqlString(hash)})`;
      return cached(hash, byHash);
    },
    principalOf: async (tokenId) => {
      if (tokenId === ENV_ADMIN.tokenId) return adminHash ? ENV_ADMIN : undefined;
      return cached(`id:${tokenId}`, `token_id = ${sqlString(tokenId)}`);
    },
    issue: async (name, role, createdBy) => {
      const tokenId = randomBytes(9).toString('base64url');
      const token = `${PREFIX}${randomBytes(32).toString('base64url')}`;
      const createdAt = Math.floor(now() / 1000) * 1000;
      await store.insert(
        'api_tokens',
        [
          'token_id',
          'version',
          'name',
          'role',
          'token_hash',
          'created_at',
          'created_by',
          'revoked',
        ],
        [[tokenId, 1, name, role, hashToken(token), createdAt / 1000, createdBy, 0]],
      );
      return { tokenId, name, role, createdAt, createdBy, token };
    },
    list: async () => {
      const rows = await latest('1');
      return rows
        .filter((r) => Number(r.revoked) === 0 && isRole(r.role))
        .map((r) => ({
          tokenId: r.token_id,
          name: r.name,
          role: r.role as Role,
          createdAt: Number(r.created_s) * 1000,
          createdBy: r.created_by,
        }));
    },
    revoke: async (tokenId, revokedBy) => {
      const [row] = await latest(`token_id = ${sqlString(tokenId)}`);
      if (!row || Number(row.revoked) === 1) return false;
      await store.insert(
        'api_tokens',
        ['token_id', 'version', 'name', 'role', 'token_hash', 'created_by', 'revoked'],
        [[tokenId, Number(row.version) + 1, row.name, row.role, row.token_hash, revokedBy, 1]],
      );
      cache.delete(row.token_hash);
      cache.delete(`id:${tokenId}`);
      return true;
    },
  };
}

/** The token of an `Authorization: Bearer …` header, or undefined when there is none. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  if (!match) {
    const reason = 'expected "Authorization: Bearer <token>"';
    throw new SegstreamError('AUTH_INVALID', { field: 'authorization', reason });
  }
  return match[1];
}
