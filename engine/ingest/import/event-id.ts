// Event ids for files that carry none. The id is a hash of the event's normalized fields plus
// its occurrence number among identical events in the file, so:
// - loading the same file again (or the same data as CSV instead of NDJSON) gives the same ids,
//   and insertEvents skips them: re-imports never double events;
// - two genuinely identical events in one file (the same deposit twice on one second) stay two.
// The counter keeps one entry per distinct event (about 80 bytes each); a file of tens of
// millions of events should map an id column instead.
import { createHash } from 'node:crypto';
import type { EventRow } from '../../store/events.ts';
import type { EventDraft } from './rows.ts';

export class EventIdDeriver {
  private readonly seen = new Map<string, number>();

  /** The draft with its id: the mapped one, or a derived `h:<hash>:<n>`. */
  withId(draft: EventDraft): EventRow {
    if (draft.event_id !== undefined) return draft as EventRow;
    const hash = contentHash(draft);
    const n = (this.seen.get(hash) ?? 0) + 1;
    this.seen.set(hash, n);
    return { ...draft, event_id: `h:${hash}:${n}` };
  }
}

/** 96 bits of SHA-1 over the fields in a fixed order; amounts compared by value. */
export function contentHash(draft: EventDraft): string {
  const props = Object.entries(draft.props ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const canonical = JSON.stringify([
    draft.player_id,
    draft.type,
    Math.floor(draft.event_time / 1000),
    draft.amount == null ? null : canonicalDecimal(draft.amount),
    draft.currency ?? null,
    draft.game_category ?? null,
    draft.product ?? null,
    draft.payment_method ?? null,
    draft.status ?? null,
    draft.quantity ?? null,
    props,
  ]);
  return createHash('sha1').update(canonical).digest('base64url').slice(0, 16);
}

/** "010.50" and "10.5" are the same amount. */
export function canonicalDecimal(text: string): string {
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = text.replace(/^-/, '').split('.');
  const digits = whole.replace(/^0+(?=\d)/, '');
  const places = fraction.replace(/0+$/, '');
  const value = places === '' ? digits : `${digits}.${places}`;
  return negative && value !== '0' ? `-${value}` : value;
}
