// When an action sends, in words for the Actions panel: the trigger, the schedule or the send
// time. Apart from the API calls so that it reads without a browser (test/ui/actions.test.ts).
import { dateTime } from './format.ts';

/** The settings of an action that say when it sends (docs/api.md "Actions"). */
export interface ActionTiming {
  readonly type: string;
  readonly trigger?: 'entered' | 'exited';
  readonly schedule?: { readonly every: string; readonly at: string };
  readonly send_at?: string;
}

/** "on entering", "every week at 09:30 (segment's timezone)", "once, 2026-12-24 19:00:00"... */
export function whenText(action: ActionTiming): string {
  if (action.type === 'triggered')
    return action.trigger === 'exited' ? 'on leaving' : 'on entering';
  if (action.type === 'scheduled' && action.schedule) {
    return `every ${action.schedule.every} at ${action.schedule.at} (segment's timezone)`;
  }
  return action.send_at
    ? `once, ${dateTime(Date.parse(action.send_at))}`
    : 'once, as soon as possible';
}
