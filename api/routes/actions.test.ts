// Actions and retention lists against real ClickHouse, Redis and the real engine: an action keeps
// the member and suppressed counts of its creation, is refused for a deactivated or not yet
// computed segment and for settings of another type, and keeps its segment from being deleted.
// Retention lists: admin CRUD, segments bound to several, unknown ids refused, no delete in use.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertPlayers } from '../../engine/store/players.ts';
import { memberFixture, type MemberFixture } from '../members/test-support.ts';

const de = { include: { all: [{ field: 'country', op: 'eq', value: 'DE' }] } };
const email = { type: 'single', channel: 'email' };

let f: MemberFixture;
beforeAll(async () => {
  f = await memberFixture('actions');
  await insertPlayers(f.api.db.store, [
    { player_id: 'p1', version: 1, country: 'DE', marketing_email: true },
    { player_id: 'p2', version: 1, country: 'DE', marketing_email: true, self_excluded: true },
    { player_id: 'p3', version: 1, country: 'DE', marketing_email: true },
    { player_id: 'p4', version: 1, country: 'AT', marketing_email: true },
  ]);
  await f.segment('de', de);
  await f.engine.step();
});
afterAll(() => f.close());

const editor = () => f.api.as('editor');

describe('actions', () => {
  it('records the member and suppressed counts at creation', async () => {
    const res = await editor().post('/v1/segments/de/actions', {
      ...{ type: 'scheduled', channel: 'sms' },
      schedule: { every: 'week', at: '09:30' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      segment_id: 'de',
      segment_version: 1,
      type: 'scheduled',
      channel: 'sms',
      schedule: { every: 'week', at: '09:30' },
      member_count: 3,
      suppressed_count: 1,
      created_by: 'test editor',
    });
    const listed = await f.api.as('viewer').get('/v1/segments/de/actions');
    expect(listed.json().actions.map((a: { id: string }) => a.id)).toEqual([res.json().id]);
    const all = await f.api.as('viewer').get('/v1/actions?segment=de');
    expect(all.json().actions).toHaveLength(1);
  });

  it.each<[string, object, string]>([
    ['a scheduled action without a schedule', { type: 'scheduled', channel: 'email' }, 'schedule'],
    [
      'a schedule on a single send',
      { ...email, schedule: { every: 'day', at: '10:00' } },
      'schedule',
    ],
    ['a trigger on a single send', { ...email, trigger: 'entered' }, 'trigger'],
    [
      'send_at on a triggered action',
      { type: 'triggered', channel: 'push', send_at: '2027-01-01T00:00:00Z' },
      'send_at',
    ],
    ['web_api without a url', { type: 'triggered', channel: 'web_api' }, 'url'],
    ['a url on email', { ...email, url: 'https://crm.example/hook' }, 'url'],
    [
      'a url that is not http',
      { type: 'single', channel: 'web_api', url: 'ftp://x.example/a' },
      'url',
    ],
    ['a url without a host', { type: 'single', channel: 'web_api', url: 'http://' }, 'url'],
    [
      'a url with a port out of range',
      { type: 'single', channel: 'web_api', url: 'https://x.example:99999/' },
      'url',
    ],
    ['a leap second', { ...email, send_at: '2026-12-04T23:59:60Z' }, 'send_at'],
    ['a send time before 1970', { ...email, send_at: '1969-01-01T00:00:00Z' }, 'send_at'],
    ['the year 0', { ...email, send_at: '0000-01-01T00:00:00Z' }, 'send_at'],
    ['a send time after 2106', { ...email, send_at: '9999-12-31T23:59:59Z' }, 'send_at'],
  ])('refuses %s with ACTION_INVALID at its field', async (_name, body, path) => {
    const res = await editor().post('/v1/segments/de/actions', body);
    expect([res.statusCode, res.json().code, res.json().details.path]).toEqual([
      400,
      'ACTION_INVALID',
      path,
    ]);
  });

  it.each<[string, object, string]>([
    ['an unknown type', { type: 'sometimes', channel: 'email' }, 'body/type'],
    ['an unknown channel', { type: 'single', channel: 'pigeon' }, 'body/channel'],
    [
      'a bad time of day',
      { type: 'scheduled', channel: 'email', schedule: { every: 'day', at: '25:00' } },
      'body/schedule/at',
    ],
    ['an unknown field', { ...email, colour: 'red' }, 'body'],
  ])('refuses %s with VALIDATION_FAILED', async (_name, body, path) => {
    const res = await editor().post('/v1/segments/de/actions', body);
    expect([res.statusCode, res.json().code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(res.json().details.path).toContain(path);
  });

  it("lists a segment's actions only for a segment that exists", async () => {
    const res = await f.api
      .as('viewer')
      .get(`/v1/segments/${encodeURIComponent("x'; --")}/actions`);
    expect([res.statusCode, res.json().code, res.json().details.path]).toEqual([
      404,
      'NOT_FOUND',
      'id',
    ]);
  });

  it('refuses a deactivated segment, and one not computed yet', async () => {
    await f.segment('fresh', de);
    const fresh = await editor().post('/v1/segments/fresh/actions', email);
    expect([fresh.statusCode, fresh.json().code]).toEqual([409, 'SEGMENT_NOT_COMPUTED']);

    await editor().patch('/v1/segments/fresh', { active: false });
    await f.engine.step();
    const off = await editor().post('/v1/segments/fresh/actions', email);
    expect([off.statusCode, off.json().code]).toEqual([409, 'SEGMENT_INACTIVE']);
    const none = await editor().post('/v1/segments/nope/actions', email);
    expect([none.statusCode, none.json().code]).toEqual([404, 'NOT_FOUND']);
  });

  it('keeps the segment from being deleted until the action is deleted', async () => {
    await f.segment('bound', de);
    await f.engine.step();
    const action = (await editor().post('/v1/segments/bound/actions', email)).json();
    const refused = await editor().delete('/v1/segments/bound');
    expect([refused.statusCode, refused.json().details.actions]).toEqual([409, [action.id]]);

    expect((await editor().delete(`/v1/actions/${action.id}`)).statusCode).toBe(204);
    expect((await editor().delete(`/v1/actions/${action.id}`)).statusCode).toBe(404);
    expect((await editor().delete('/v1/segments/bound')).statusCode).toBe(204);
  });
});

describe('retention lists', () => {
  it('are created, renamed, bound to segments and refused for deletion while bound', async () => {
    const admin = f.api.as('admin');
    const vip = (await admin.post('/v1/retention-lists', { name: 'VIP' })).json();
    const back = (await admin.post('/v1/retention-lists', { name: 'Win-back' })).json();
    const renamed = await admin.put(`/v1/retention-lists/${vip.id}`, {
      name: 'VIP care',
      description: 'Top 1 %',
    });
    expect(renamed.json()).toMatchObject({ id: vip.id, name: 'VIP care', description: 'Top 1 %' });

    const saved = await editor().post('/v1/segments', {
      ...{ name: 'bound to two', rule: de },
      retention_lists: [vip.id, back.id],
    });
    expect(saved.statusCode, saved.body).toBe(201);
    const listed = await f.api.as('viewer').get(`/v1/segments?retention_list=${back.id}`);
    expect(listed.json().segments.map((s: { id: string }) => s.id)).toEqual([saved.json().id]);

    const refused = await admin.delete(`/v1/retention-lists/${vip.id}`);
    expect([refused.statusCode, refused.json().code, refused.json().details.segments]).toEqual([
      409,
      'RETENTION_LIST_IN_USE',
      [saved.json().id],
    ]);
    await editor().patch(`/v1/segments/${saved.json().id}`, { retention_lists: [back.id] });
    expect((await admin.delete(`/v1/retention-lists/${vip.id}`)).statusCode).toBe(204);
    const names = (await f.api.as('viewer').get('/v1/retention-lists')).json().lists;
    expect(names.map((l: { name: string }) => l.name)).toContain('Win-back');
    expect(names.map((l: { name: string }) => l.name)).not.toContain('VIP care');
  });

  it('refuses binding a segment to a list that does not exist, saving nothing', async () => {
    const res = await editor().post('/v1/segments', {
      ...{ name: 'bad binding', rule: de },
      retention_lists: ['nope'],
    });
    expect([res.statusCode, res.json().code, res.json().details.path]).toEqual([
      400,
      'RETENTION_LIST_UNKNOWN',
      'retention_lists[0]',
    ]);
    const all = (await f.api.as('viewer').get('/v1/segments?q=bad%20binding')).json();
    expect(all.total).toBe(0);
  });

  it('are changed by admins only', async () => {
    const res = await editor().post('/v1/retention-lists', { name: 'x' });
    expect([res.statusCode, res.json().code]).toEqual([403, 'AUTH_FORBIDDEN']);
  });
});
