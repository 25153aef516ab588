// The actions of a segment as the API lists them (docs/api.md "Actions"), their deletion, and
// the one setting each shows: the trigger, the schedule, the send time or the address.
import { api, type Action } from './api.ts';
import { dateTime } from './format.ts';

export interface ActionRecord extends Action {
  readonly segment_version: number;
  readonly trigger?: 'entered' | 'exited';
  readonly schedule?: { readonly every: string; readonly at: string };
  readonly send_at?: string;
  readonly url?: string;
  readonly created_at: string;
  readonly created_by: string;
}

export const segmentActions = (segmentId: string) =>
  api<{ actions: ActionRecord[] }>(`/v1/segments/${encodeURIComponent(segmentId)}/actions`).then(
    (r) => r.actions,
  );

export const deleteAction = (id: string) =>
  api<void>(`/v1/actions/${encodeURIComponent(id)}`, { method: 'DELETE' });

/** When or how the action sends: "on entering", "every week at 09:30 (segment's time)"... */
export function whenText(action: ActionRecord): string {
  if (action.type === 'triggered')
    return action.trigger === 'exited' ? 'on leaving' : 'on entering';
  if (action.type === 'scheduled' && action.schedule) {
    return `every ${action.schedule.every} at ${action.schedule.at} (segment's timezone)`;
  }
  return action.send_at
    ? `once, ${dateTime(Date.parse(action.send_at))}`
    : 'once, as soon as possible';
}
