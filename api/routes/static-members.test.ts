// Static segments from an uploaded CSV of player ids (PUT /v1/segments/:id/static_members),
// against real ClickHouse, Redis and the real engine: the upload becomes the next version, the
// engine's members are the uploaded ids that have a profile, the segment works in include and
// exclude of rule segments, and a bad file saves nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertPlayers } from '../../engine/store/players.ts';
import { memberFixture, type MemberFixture } from '../members/test-support.ts';

const csv = { 'content-type': 'text/csv' };

let f: MemberFixture;
beforeAll(async () => {
  f = await memberFixture('static_members');
  await insertPlayers(
    f.api.db.store,
    ['p1', 'p2', 'p3', 'p4'].map((id) => ({ player_id: id, version: 1, country: 'DE' })),
  );
  await f.repo.create({ name: 'vip list', static_members: [] }, { createdBy: 't', id: 'vips' });
  await f.segment('de_vips', {
    include: {
      all: [
        { field: 'country', op: 'eq', value: 'DE' },
        { segment: 'vips', op: 'in' },
      ],
    },
  });
  await f.segment('de_others', {
    include: { all: [{ field: 'country', op: 'eq', value: 'DE' }] },
    exclude: { any: [{ segment: 'vips', op: 'in' }] },
  });
});
afterAll(() => f.close());

const upload = (body: string, role: 'editor' | 'viewer' = 'editor', id = 'vips') =>
  f.api.as(role).put(`/v1/segments/${id}/static_members`, body, csv);

const members = async (id: string) => {
  await f.engine.step();
  const res = await f.api.as('editor').get(`/v1/segments/${id}/members?limit=100`);
  expect(res.statusCode, res.body).toBe(200);
  return res
    .json()
    .members.map((m: { player_id: string }) => m.player_id)
    .sort();
};

describe('uploading a static segment', () => {
  it('saves the ids as the next version, and the engine follows', async () => {
    const res = await upload('player_id\np1\np3\nghost\np1\n');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ id: 'vips', version: 2, members: 3 });
    // ghost has no profile: not a member (docs/rules.md, the universe of players).
    expect(await members('vips')).toEqual(['p1', 'p3']);
    expect(await members('de_vips')).toEqual(['p1', 'p3']);
    expect(await members('de_others')).toEqual(['p2', 'p4']);

    const listed = await f.api.as('editor').get('/v1/segments/vips/static_members');
    expect(listed.headers['content-type']).toContain('text/csv');
    expect(listed.body).toBe('player_id\r\nghost\r\np1\r\np3\r\n');
  });

  it('replaces the list with a new upload', async () => {
    expect((await upload('p2\n')).json()).toMatchObject({ version: 3, members: 1 });
    expect(await members('vips')).toEqual(['p2']);
    expect(await members('de_others')).toEqual(['p1', 'p3', 'p4']);
  });

  it.each<
    [string, () => Promise<{ statusCode: number; json(): { code: string } }>, number, string]
  >([
    ['a bad line', () => upload('p1\n\n"unclosed\n'), 400, 'STATIC_MEMBERS_INVALID'],
    ['two columns, no header', () => upload('p1,p2\n'), 400, 'STATIC_MEMBERS_INVALID'],
    ['a rule segment', () => upload('p1\n', 'editor', 'de_vips'), 409, 'SEGMENT_NOT_STATIC'],
    ['an unknown segment', () => upload('p1\n', 'editor', 'nope'), 404, 'NOT_FOUND'],
    ['a viewer token', () => upload('p1\n', 'viewer'), 403, 'AUTH_FORBIDDEN'],
    [
      'JSON instead of CSV',
      () =>
        f.api.as('editor').put('/v1/segments/vips/static_members', '["p1"]', {
          'content-type': 'application/json',
        }),
      400,
      'STATIC_MEMBERS_INVALID',
    ],
  ])('refuses %s and saves nothing', async (_name, send, status, code) => {
    const before = (await f.repo.get('vips'))?.version;
    const res = await send();
    expect([res.statusCode, res.json().code]).toEqual([status, code]);
    expect((await f.repo.get('vips'))?.version).toBe(before);
    expect(await members('vips')).toEqual(['p2']);
  });
});
