import { describe, expect, it } from 'vitest';
import { PreviewSessions } from './sessions.ts';

describe('PreviewSessions', () => {
  it('aborts the older preview of the same client only', () => {
    const sessions = new PreviewSessions();
    const first = sessions.start('token-a\u0000builder-1');
    const other = sessions.start('token-a\u0000builder-2');
    const second = sessions.start('token-a\u0000builder-1');
    expect([first.signal.aborted, other.signal.aborted, second.signal.aborted]).toEqual([
      true,
      false,
      false,
    ]);
  });

  it('forgets a finished preview, but not a newer one of the same client', () => {
    const sessions = new PreviewSessions();
    const first = sessions.start('c');
    const second = sessions.start('c');
    sessions.finish('c', first);
    expect(sessions.size).toBe(1);
    sessions.finish('c', second);
    expect(sessions.size).toBe(0);
  });
});
