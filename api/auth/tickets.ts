// Short-lived single-use tickets: what a browser puts in a download link or a websocket URL
// instead of its bearer token, since neither can carry a header and URLs reach browser history
// and proxy logs. A ticket is random, lives in Redis for TICKET_TTL_MS, is bound to the
// principal that asked for it and to one purpose, and is consumed by its first use (GETDEL).
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { isRole } from './roles.ts';
import type { Principal } from './tokens.ts';

export const TICKET_PURPOSES = ['export', 'live'] as const;
export type TicketPurpose = (typeof TICKET_PURPOSES)[number];

export const TICKET_TTL_MS = 60_000;

export interface IssuedTicket {
  readonly ticket: string;
  readonly expiresInMs: number;
}

export interface TicketStore {
  issue(principal: Principal, purpose: TicketPurpose): Promise<IssuedTicket>;
  /**
   * The principal of a ticket, consuming it: undefined for an unknown, expired or used ticket,
   * or one issued for another purpose (consumed all the same, so that it is never tried twice).
   */
  redeem(ticket: string, purpose: TicketPurpose): Promise<Principal | undefined>;
}

interface Stored {
  readonly tokenId: string;
  readonly name: string;
  readonly role: string;
  readonly purpose: string;
}

/** What issue() makes: 32 random bytes in base64url. Anything else is refused unread. */
const TICKET_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function createTicketStore(
  redis: Redis,
  prefix: string,
  ttlMs = TICKET_TTL_MS,
): TicketStore {
  const key = (ticket: string) => `${prefix}ticket:${ticket}`;
  return {
    issue: async (principal, purpose) => {
      const ticket = randomBytes(32).toString('base64url');
      const stored: Stored = { ...pick(principal), purpose };
      await redis.set(key(ticket), JSON.stringify(stored), 'PX', ttlMs);
      return { ticket, expiresInMs: ttlMs };
    },
    redeem: async (ticket, purpose) => {
      if (!TICKET_SHAPE.test(ticket)) return undefined;
      const raw = await redis.getdel(key(ticket));
      if (raw === null) return undefined;
      const stored = JSON.parse(raw) as Stored;
      if (stored.purpose !== purpose || !isRole(stored.role)) return undefined;
      return { tokenId: stored.tokenId, name: stored.name, role: stored.role };
    },
  };
}

function pick(p: Principal): Omit<Stored, 'purpose'> {
  return { tokenId: p.tokenId, name: p.name, role: p.role };
}
