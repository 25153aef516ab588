// The suppressed count beside each segment's count (GET /v1/segments and /v1/segments/:id): the
// members of the segment that match the global suppression group (self-excluded, closed or
// suspended accounts, cooling off now, no marketing consent on any channel), against real
// ClickHouse, Redis and the real engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlayerRow } from '../../engine/store/players.ts';
import { insertPlayers } from '../../engine/store/players.ts';
import { memberFixture, type MemberFixture } from '../members/test-support.ts';

const DAY = 86_400_000;
const consent = { marketing_email: true };

let f: MemberFixture;
beforeAll(async () => {
  f = await memberFixture('suppressed');
  const now = f.clock.now;
  const players: [string, Partial<PlayerRow>][] = [
    ['ok-email', consent],
    ['ok-sms', { marketing_sms: true }],
    ['self-excluded', { ...consent, self_excluded: true }],
    ['closed', { ...consent, account_status: 'closed' }],
    ['suspended', { ...consent, account_status: 'suspended' }],
    ['cooling-now', { ...consent, cooling_off_until: now + DAY }],
    ['cooled-off', { ...consent, cooling_off_until: now - DAY }],
    ['no-consent', { marketing_email: false, marketing_sms: false }],
    ['consent-unknown', {}],
  ];
  await insertPlayers(
    f.api.db.store,
    players.map(([id, profile]) => ({ player_id: id, version: 1, country: 'DE', ...profile })),
  );
  await f.segment('everyone', { include: { all: [{ field: 'country', op: 'eq', value: 'DE' }] } });
  await f.segment('consenting', {
    include: { all: [{ field: 'marketing_email', op: 'is_true' }] },
  });
  await f.segment('nobody', { include: { all: [{ field: 'country', op: 'eq', value: 'FR' }] } });
  await f.engine.step();
});
afterAll(() => f.close());

describe('suppressed counts', () => {
  // everyone: 9 members, suppressed: self-excluded, closed, suspended, cooling-now, no-consent,
  // consent-unknown. consenting: 6 members with marketing_email true, 4 of them suppressed.
  it.each([
    ['everyone', 9, 6],
    ['consenting', 6, 4],
    ['nobody', 0, 0],
  ])('%s: count %i, suppressed %i', async (id, count, suppressed) => {
    const one = await f.api.as('viewer').get(`/v1/segments/${id}`);
    expect(one.json().status).toMatchObject({ count, suppressed_count: suppressed });

    const list = await f.api.as('viewer').get('/v1/segments?limit=100');
    const listed = list.json().segments.find((s: { id: string }) => s.id === id);
    expect(listed.status).toMatchObject({ count, suppressed_count: suppressed });
  });

  it('is null while the segment has no count yet', async () => {
    await f.segment('fresh', { include: { all: [{ field: 'country', op: 'eq', value: 'DE' }] } });
    const res = await f.api.as('viewer').get('/v1/segments/fresh');
    expect(res.json().status).toMatchObject({ count: null, suppressed_count: null });
  });
});
