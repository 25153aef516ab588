// When an action sends, as the detail's Actions panel says it (ui/src/lib/action-text.ts): the
// trigger of a triggered action, the schedule of a recurring one, the time of a single send.
import { describe, expect, it } from 'vitest';
import { whenText, type ActionTiming } from '../../ui/src/lib/action-text.ts';
import { dateTime } from '../../ui/src/lib/format.ts';

const action = (fields: Partial<ActionTiming>): ActionTiming => ({ type: 'single', ...fields });
const sendAt = '2026-12-24T18:00:00.000Z';

describe('whenText', () => {
  it.each<[string, Partial<ActionTiming>, string]>([
    ['entering', { type: 'triggered', trigger: 'entered' }, 'on entering'],
    ['leaving', { type: 'triggered', trigger: 'exited' }, 'on leaving'],
    ['a trigger left to its default', { type: 'triggered' }, 'on entering'],
    [
      'a schedule',
      { type: 'scheduled', schedule: { every: 'month', at: '07:05' } },
      "every month at 07:05 (segment's timezone)",
    ],
    ['a send time', { type: 'single', send_at: sendAt }, `once, ${dateTime(Date.parse(sendAt))}`],
    ['no send time', { type: 'single' }, 'once, as soon as possible'],
  ])('%s', (_name, fields, text) => {
    expect(whenText(action(fields))).toBe(text);
  });

  it.each<[string, Partial<ActionTiming>, string]>([
    ['a leaving trigger is not entering', { type: 'triggered', trigger: 'exited' }, 'on entering'],
    ['a single send has no schedule', { type: 'single', send_at: sendAt }, 'every'],
  ])('not confused: %s', (_name, fields, wrong) => {
    expect(whenText(action(fields))).not.toContain(wrong);
  });
});
