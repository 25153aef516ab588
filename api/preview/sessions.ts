// One running preview per client: a marketer typing in the rule builder sends a preview on every
// pause, and only the newest answer matters. Starting a preview aborts the one before it from the
// same client (same token and client id), which kills its ClickHouse queries.

export class PreviewSessions {
  private readonly running = new Map<string, AbortController>();

  /** A signal for a new preview of `client`; the previous one of that client is aborted. */
  start(client: string): AbortController {
    this.running.get(client)?.abort(new Error('superseded'));
    const controller = new AbortController();
    this.running.set(client, controller);
    return controller;
  }

  finish(client: string, controller: AbortController): void {
    if (this.running.get(client) === controller) this.running.delete(client);
  }

  get size(): number {
    return this.running.size;
  }
}
