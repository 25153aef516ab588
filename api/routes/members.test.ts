// Member tables and CSV exports against real ClickHouse and Redis, with membership computed by
// the real engine: columns, sort, paging, masking, errors with paths, and an export that holds
// the member list's rows, quoted, masked and neutralized.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertPlayers, type PlayerRow } from '../../engine/store/players.ts';
import { MASK } from '../members/columns.ts';
import { memberFixture, MEMBER_CATALOGUE, type MemberFixture } from '../members/test-support.ts';
import { playersList } from '../../engine/catalogue/lookup.ts';

const PLAYERS: PlayerRow[] = [
  {
    player_id: 'p01',
    version: 1,
    country: 'DE',
    vip_level: 3,
    email: 'one@x.io',
    phone: '+4912345',
    tags: ['vip', 'whale'],
    self_excluded: false,
    registered_at: Date.parse('2024-01-02T03:04:05Z'),
    birth_date: '1980-05-06',
    attributes: {
      nick: 'Ace',
      score: '2.5',
      balance: '-12.5',
      vip_flag: 'true',
      last_seen: '2026-01-01T10:00:00Z',
      badge: 'gold',
      note: 'secret',
    },
  },
  {
    player_id: 'p02',
    version: 1,
    country: 'a,b',
    vip_level: -5,
    self_excluded: true,
    attributes: { balance: '100', score: '-3' },
  },
  {
    player_id: 'p03',
    version: 1,
    country: 'say "hi"',
    vip_level: 0,
    attributes: { nick: '-minus', vip_flag: 'false' },
  },
  { player_id: 'p04', version: 1, country: 'line1\nline2\r\nline3' },
  {
    player_id: 'p05',
    version: 1,
    country: 'Zürich 日本 🎰',
    vip_level: 7,
    attributes: { nick: '=1+2' },
  },
  { player_id: 'p06', version: 1, country: '=HYPERLINK("http://x")', vip_level: 3 },
  { player_id: 'p07', version: 1, country: '+49', vip_level: 1, tags: ['=evil', 'ok'] },
  { player_id: 'p08', version: 1, country: '@at', vip_level: 1 },
  { player_id: 'p09', version: 1, country: '\tTab', vip_level: 2 },
  { player_id: 'p10', version: 1, country: '\rCR', vip_level: 2 },
  { player_id: '=p11', version: 1, vip_level: 3 },
  { player_id: 'p12', version: 1, country: '', vip_level: 3, email: 'x@y' },
  { player_id: 'p13', version: 1, country: "it's" },
];
const ALL = PLAYERS.map((p) => p.player_id);

const rule = (item: object) => ({ include: { all: [item] } });

let f: MemberFixture;
beforeAll(async () => {
  f = await memberFixture('members');
  await insertPlayers(f.api.db.store, PLAYERS);
  await f.segment('all', rule({ field: 'country', op: 'neq', value: 'none' }));
  await f.segment('vip', rule({ field: 'vip_level', op: 'gte', value: 3 }));
  await f.segment('empty', rule({ field: 'country', op: 'eq', value: 'nowhere' }));
  await f.segment('gone', rule({ field: 'vip_level', op: 'gte', value: 3 }));
  await f.engine.step();
  await f.repo.delete('gone', { createdBy: 'test' });
});
afterAll(() => f.close());

type Row = Record<string, unknown>;
interface MembersAnswer {
  count: number;
  seq: number;
  columns: string[];
  sort: string;
  members: Row[];
}

async function members(segment: string, query: Record<string, string | string[]> = {}) {
  const res = await f.api.as('editor').get(`/v1/segments/${segment}/members?${qs(query)}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<MembersAnswer>();
}

async function exported(segment: string, query: Record<string, string | string[]> = {}) {
  const res = await f.api.as('editor').get(`/v1/segments/${segment}/export.csv?${qs(query)}`);
  expect(res.statusCode, res.body).toBe(200);
  return res;
}

function qs(query: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) for (const x of [v].flat()) params.append(k, x);
  return params.toString();
}

const ids = (answer: MembersAnswer) => answer.members.map((m) => m.player_id);

describe('members: columns', () => {
  const SHOWN = playersList(MEMBER_CATALOGUE)
    .fields.filter((x) => x.shownInTables)
    .map((x) => x.name);

  it.each<[string, Record<string, string | string[]>, string[]]>([
    ['every shown field by default', {}, SHOWN],
    [
      'player_id first, then the named ones',
      { columns: 'country,vip_level' },
      ['country', 'vip_level'],
    ],
    [
      'repeated parameters, in order',
      { columns: ['vip_level', 'country'] },
      ['vip_level', 'country'],
    ],
    ['player_id named explicitly', { columns: 'country,player_id' }, ['country']],
    ['an empty list: player_id only', { columns: '' }, []],
    ['key fields', { columns: 'nickname,badges' }, ['nickname', 'badges']],
  ])('%s', async (_name, query, wanted) => {
    const answer = await members('all', query);
    const expected = wanted[0] === 'player_id' ? wanted : ['player_id', ...wanted];
    expect(answer.columns).toEqual(expected);
    expect(Object.keys(answer.members[0]!)).toEqual(expected);
  });

  it.each<[string, Record<string, string | string[]>, string, string]>([
    ['an unknown field', { columns: 'nope' }, 'query.columns[0]', 'nope'],
    ['the third name', { columns: 'country,vip_level,nope' }, 'query.columns[2]', 'nope'],
    [
      'across repeated parameters',
      { columns: ['country', 'x,vip_level'] },
      'query.columns[1]',
      'x',
    ],
    ['a field hidden from tables', { columns: 'country,note' }, 'query.columns[1]', 'note'],
    ['a table column that is no field', { columns: 'attr_keys' }, 'query.columns[0]', 'attr_keys'],
    ['an event list field', { columns: 'amount' }, 'query.columns[0]', 'amount'],
    ['a name given twice', { columns: 'country,country' }, 'query.columns[1]', 'country'],
    ['an empty name', { columns: 'country,,vip_level' }, 'query.columns[1]', ''],
  ])('refuses %s with its path', async (_name, query, path, field) => {
    for (const route of ['members', 'export.csv']) {
      const res = await f.api.as('editor').get(`/v1/segments/all/${route}?${qs(query)}`);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'MEMBER_COLUMN_INVALID', details: { path, field } });
    }
  });
});

describe('members: sort and paging', () => {
  const VIP_ASC = ['p02', 'p03', 'p07', 'p08', 'p09', 'p10', '=p11', 'p01', 'p06', 'p12', 'p05'];
  const VIP_DESC = ['p05', '=p11', 'p01', 'p06', 'p12', 'p09', 'p10', 'p07', 'p08', 'p03', 'p02'];
  const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
  const byCountry = [...PLAYERS]
    .sort((a, b) => {
      if (a.country == null || b.country == null) return a.country == null ? 1 : -1;
      return byBytes(a.country, b.country) || byBytes(a.player_id, b.player_id);
    })
    .map((p) => p.player_id);

  it.each<[string, string | undefined, string[]]>([
    ['player_id ascending by default', undefined, [...ALL].sort(byBytes)],
    ['player_id descending', 'player_id:desc', [...ALL].sort(byBytes).reverse()],
    ['a number, missing last, ties by player_id', 'vip_level', [...VIP_ASC, 'p04', 'p13']],
    ['asc spelled out', 'vip_level:asc', [...VIP_ASC, 'p04', 'p13']],
    ['descending, missing still last', 'vip_level:desc', [...VIP_DESC, 'p04', 'p13']],
    ['text in byte order', 'country', byCountry],
    [
      'a key field',
      'score:desc',
      ['p01', 'p02', ...[...ALL].filter((x) => !['p01', 'p02'].includes(x)).sort(byBytes)],
    ],
  ])('sorts by %s', async (_name, sort, expected) => {
    const answer = await members('all', sort === undefined ? {} : { sort, columns: 'country' });
    expect(ids(answer)).toEqual(expected);
  });

  it.each<[string, string, string | undefined]>([
    ['an unknown field', 'nope', undefined],
    ['an anonymized field', 'email', 'anonymized'],
    ['an anonymized computed field', 'age:desc', 'anonymized'],
    ['a field hidden from tables', 'note', undefined],
    ['a bad direction', 'vip_level:up', undefined],
    ['an extra part', 'vip_level:desc:x', undefined],
    ['an empty name', '', undefined],
  ])('refuses %s', async (_name, sort, reason) => {
    for (const route of ['members', 'export.csv']) {
      const res = await f.api.as('editor').get(`/v1/segments/all/${route}?${qs({ sort })}`);
      expect(res.statusCode).toBe(400);
      const details = reason ? { path: 'query.sort', reason } : { path: 'query.sort' };
      expect(res.json()).toMatchObject({ code: 'MEMBER_SORT_INVALID', details });
    }
  });

  it('pages through the same order without gaps or repeats', async () => {
    const whole = ids(await members('all', { sort: 'vip_level:desc', limit: '1000' }));
    const pages: unknown[] = [];
    for (let offset = 0; offset < 16; offset += 4) {
      const page = await members('all', {
        sort: 'vip_level:desc',
        limit: '4',
        offset: `${offset}`,
      });
      expect(page).toMatchObject({ count: 13, limit: 4, offset });
      pages.push(...ids(page));
    }
    expect(pages).toEqual(whole);
    expect(whole).toHaveLength(13);
  });

  it.each<[string, string]>([
    ['limit=0', 'querystring/limit'],
    ['limit=1001', 'querystring/limit'],
    ['limit=x', 'querystring/limit'],
    ['offset=-1', 'querystring/offset'],
    ['order=asc', 'querystring'],
  ])('refuses %s', async (query, path) => {
    const res = await f.api.as('editor').get(`/v1/segments/all/members?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { path } });
  });
});

describe('members: values and masking', () => {
  it('writes each type as JSON and masks anonymized fields, missing values included', async () => {
    const answer = await members('all', {
      columns: 'email,phone,birth_date,age,country,vip_level,tags,self_excluded,registered_at',
    });
    const one = answer.members.find((m) => m.player_id === 'p01');
    const two = answer.members.find((m) => m.player_id === 'p02');
    expect(one).toEqual({
      player_id: 'p01',
      email: MASK,
      phone: MASK,
      birth_date: MASK,
      age: MASK,
      country: 'DE',
      vip_level: 3,
      tags: ['vip', 'whale'],
      self_excluded: false,
      registered_at: '2024-01-02T03:04:05Z',
    });
    expect(two).toMatchObject({ email: MASK, phone: MASK, country: 'a,b', tags: [] });
    expect(two).toMatchObject({ self_excluded: true, registered_at: null });
    expect(answer.members.every((m) => m.email === MASK && m.age === MASK)).toBe(true);
  });

  it('reads key fields with their types', async () => {
    const answer = await members('all', {
      columns: 'nickname,score,balance,vip_flag,last_seen,badges',
    });
    const by = new Map(answer.members.map((m) => [m.player_id, m]));
    expect(by.get('p01')).toEqual({
      player_id: 'p01',
      nickname: 'Ace',
      score: 2.5,
      balance: '-12.5000',
      vip_flag: true,
      last_seen: '2026-01-01T10:00:00Z',
      badges: ['gold'],
    });
    expect(by.get('p03')).toMatchObject({ nickname: '-minus', vip_flag: false, balance: null });
    expect(by.get('p04')).toMatchObject({ nickname: null, score: null, badges: [] });
  });

  it('shows an empty segment as no rows', async () => {
    expect(await members('empty')).toMatchObject({ count: 0, members: [] });
  });
});

describe('export.csv', () => {
  const COLUMNS = 'email,country,vip_level,tags,self_excluded,registered_at,nickname,score,balance';

  it('holds the member list: the same rows in the same order, as text', async () => {
    for (const sort of ['player_id', 'vip_level:desc', 'country', 'balance']) {
      const list = await members('all', { columns: COLUMNS, sort, limit: '1000' });
      const res = await exported('all', { columns: COLUMNS, sort });
      const [header, ...rows] = parse(res.body, { bom: true, relax_quotes: false }) as string[][];
      expect(header).toEqual(list.columns);
      expect(rows).toEqual(list.members.map((m) => list.columns.map((c) => cellText(c, m[c]))));
      expect(rows).toHaveLength(list.count);
    }
  });

  it('answers as a CSV download', async () => {
    const res = await exported('all', { columns: 'country' });
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="segment-all.csv"');
    const summary = decodeURIComponent(String(res.headers['segstream-rule-summary']));
    expect(summary).toBe('Country is not none');
  });

  it.each<[string, string, string]>([
    ['a comma', 'p02', '"a,b"'],
    ['quotes, doubled', 'p03', '"say ""hi"""'],
    ['line breaks inside the quotes', 'p04', '"line1\nline2\r\nline3"'],
    ['unicode as UTF-8', 'p05', '"Zürich 日本 🎰"'],
    ['= neutralized', 'p06', `"'=HYPERLINK(""http://x"")"`],
    ['+ neutralized', 'p07', `"'+49"`],
    ['@ neutralized', 'p08', `"'@at"`],
    ['a leading tab neutralized', 'p09', `"'\tTab"`],
    ['a leading CR neutralized', 'p10', `"'\rCR"`],
    ['a missing value as an empty cell', '=p11', '""'],
    ['an empty value as an empty cell', 'p12', '""'],
    ['an apostrophe inside kept', 'p13', `"it's"`],
  ])('writes %s', async (_name, player, cell) => {
    const res = await exported('all', { columns: 'country', sort: 'player_id' });
    const id = player.startsWith('=') ? `'${player}` : player;
    expect(res.body).toContain(`\n"${id}",${cell}\n`);
  });

  it.each<[string, string, string, string]>([
    ['a negative number', 'p02', 'vip_level', '"-5"'],
    ['a negative key number', 'p02', 'score', '"-3"'],
    ['a negative money amount', 'p01', 'balance', '"-12.5000"'],
    ['a formula-looking key string', 'p05', 'nickname', `"'=1+2"`],
    ['a key string starting with -', 'p03', 'nickname', `"'-minus"`],
    ['a formula-looking list element first', 'p07', 'tags', `"'=evil, ok"`],
    ['a masked cell', 'p02', 'email', `"${MASK}"`],
    ['a boolean', 'p02', 'self_excluded', '"true"'],
  ])('writes %s', async (_name, player, column, cell) => {
    const res = await exported('all', { columns: column });
    expect(res.body).toContain(`\n"${player}",${cell}\n`);
  });

  it.each<[string, boolean]>([
    ['bom=1', true],
    ['bom=true', true],
    ['bom=0', false],
    ['bom=false', false],
    ['', false],
  ])('%s: byte order mark %s', async (query, bom) => {
    const res = await f.api
      .as('editor')
      .get(`/v1/segments/all/export.csv?columns=country&${query}`);
    const bytes = res.rawPayload;
    expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(bom);
    expect(bytes.subarray(bom ? 3 : 0).toString('utf8')).toMatch(/^"player_id","country"\n"/);
  });

  it('refuses bom=yes', async () => {
    const res = await f.api.as('editor').get('/v1/segments/all/export.csv?bom=yes');
    expect(res.statusCode).toBe(400);
  });

  it('writes only the header for an empty segment', async () => {
    const res = await exported('empty', { columns: 'country', bom: '1' });
    expect(res.body).toBe('\uFEFF"player_id","country"\n');
  });
});

describe('members: access and unknown segments', () => {
  it.each(['members', 'export.csv'])('%s: 404 for an unknown or deleted segment', async (route) => {
    for (const id of ['nope', 'gone']) {
      const res = await f.api.as('editor').get(`/v1/segments/${id}/${route}`);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'NOT_FOUND', details: { path: 'id' } });
    }
  });

  it.each<[string, 'viewer' | 'ingest' | 'none', number]>([
    ['members', 'viewer', 403],
    ['members', 'ingest', 403],
    ['members', 'none', 401],
    ['export.csv', 'viewer', 403],
    ['export.csv', 'none', 401],
  ])('%s as %s: %i', async (route, role, status) => {
    const res = await f.api.as(role).get(`/v1/segments/all/${route}`);
    expect(res.statusCode).toBe(status);
  });

  it('takes the token from ?access_token= on the export only', async () => {
    const token = f.api.tokens.editor;
    const link = await f.api.as('none').get(`/v1/segments/all/export.csv?access_token=${token}`);
    expect(link.statusCode).toBe(200);
    const page = await f.api.as('none').get(`/v1/segments/all/members?access_token=${token}`);
    expect(page.statusCode).toBe(401);
    const viewer = f.api.tokens.viewer;
    const refused = await f.api
      .as('none')
      .get(`/v1/segments/all/export.csv?access_token=${viewer}`);
    expect(refused.statusCode).toBe(403);
  });
});

/** A JSON member value as the export writes it. */
function cellText(column: string, value: unknown): string {
  const text =
    value === null
      ? ''
      : Array.isArray(value)
        ? value.join(', ')
        : typeof value === 'boolean'
          ? String(value)
          : String(value);
  const field = playersList(MEMBER_CATALOGUE).fields.find((x) => x.name === column)!;
  const isText = ['string', 'string_list'].includes(field.type) && value !== MASK;
  return isText && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
