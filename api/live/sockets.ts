// The websocket layer of an API process and the live sessions open on it.
//
// It is registered on the root app before the auth hook, and the order matters: the layer marks
// upgrade requests in its own onRequest hook and closes the socket of a marked request whose
// upgrade was refused (401, 403, 426). Registered after the auth hook, a refused request is never
// marked, its socket stays open for good (a leaked descriptor per refused client) and holds up
// the process's shutdown.
import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { LiveConfig } from '../../engine/config/config.ts';
import { SegstreamError } from '../../engine/errors/errors.ts';
import type { LiveSession } from './session.ts';

/**
 * Messages larger than LIVE_MESSAGE_MAX_BYTES are refused with a coded close reason; the
 * websocket layer itself cuts off only messages this many times larger, while they arrive.
 */
const HARD_PAYLOAD_FACTOR = 4;

/** How long a shutting-down API process waits for its sockets to finish the close handshake. */
const SHUTDOWN_GRACE_MS = 1_000;

export class LiveSockets {
  readonly sessions = new Set<LiveSession>();

  /** Closes every session with LIVE_SERVER_CLOSING, then cuts off those that do not answer. */
  async closeAll(): Promise<void> {
    const open = [...this.sessions];
    for (const session of open) session.closeWith(new SegstreamError('LIVE_SERVER_CLOSING'));
    // A client that does not answer the close (stuck, gone) must not hold the shutdown up.
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise((resolve) => (timer = setTimeout(resolve, SHUTDOWN_GRACE_MS)));
    await Promise.race([Promise.all(open.map((s) => s.socketClosed)), grace]);
    clearTimeout(timer);
    for (const session of open) session.terminate();
  }
}

/** Registers the websocket layer; call it before installAuth (see the note at the top). */
export async function installWebsocket(
  app: FastifyInstance,
  settings: LiveConfig,
): Promise<LiveSockets> {
  const sockets = new LiveSockets();
  const maxPayload = settings.messageMaxBytes * HARD_PAYLOAD_FACTOR;
  await app.register(websocket, { options: { maxPayload }, preClose: () => sockets.closeAll() });
  return sockets;
}
