import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isSegstreamError } from '../errors/errors.ts';
import { validateRule } from '../rules/validate.ts';
import { DEFAULT_CATALOGUE } from './default.ts';
import { loadCatalogue, mergeCatalogue } from './load.ts';
import { findField, findList } from './lookup.ts';

const FILE = {
  eventLists: [
    {
      id: 'cashback',
      label: 'Cashback',
      eventTypes: ['cashback', 'cashback_manual'],
      fields: [{ name: 'campaign', label: 'Campaign', type: 'string' }],
    },
  ],
  eventFields: {
    deposits: [{ name: 'bonus_code', label: 'Bonus code', type: 'string', key: 'bonusCode' }],
    cashback: [{ name: 'rate', label: 'Rate', type: 'number', shownInTables: false }],
  },
  playerAttributes: [
    { name: 'affiliate', label: 'Affiliate', type: 'string' },
    { name: 'ltv', label: 'Lifetime value', type: 'money', anonymized: true },
  ],
  fieldSettings: [
    { list: 'players', field: 'email', usableInRules: false },
    { list: 'deposits', field: 'event_id', usableInRules: true, shownInTables: false },
    { list: 'players', field: 'affiliate', anonymized: true },
  ],
};

describe('mergeCatalogue', () => {
  const merged = mergeCatalogue(DEFAULT_CATALOGUE, FILE);
  const list = (id: string) => findList(merged, id);
  const fieldOf = (id: string, name: string) => {
    const found = list(id);
    return found && findField(found, name);
  };

  it('adds event lists with the common event fields and their properties', () => {
    expect(list('cashback')).toMatchObject({
      kind: 'events',
      label: 'Cashback',
      eventTypes: ['cashback', 'cashback_manual'],
    });
    expect(list('cashback')?.fields.map((f) => f.name)).toEqual([
      'event_id',
      'event_time',
      'amount',
      'currency',
      'status',
      'quantity',
      'campaign',
      'rate',
    ]);
    expect(fieldOf('cashback', 'campaign')).toEqual({
      name: 'campaign',
      label: 'Campaign',
      type: 'string',
      source: { key: 'campaign' },
      usableInRules: true,
      shownInTables: true,
      anonymized: false,
    });
    expect(fieldOf('cashback', 'rate')?.shownInTables).toBe(false);
  });

  it('stores properties and attributes under their key', () => {
    expect(fieldOf('deposits', 'bonus_code')?.source).toEqual({ key: 'bonusCode' });
    expect(fieldOf('players', 'affiliate')?.source).toEqual({ key: 'affiliate' });
    expect(fieldOf('players', 'ltv')).toMatchObject({ type: 'money', anonymized: true });
  });

  it('switches settings of built-in and added fields', () => {
    expect(fieldOf('players', 'email')).toMatchObject({ usableInRules: false, anonymized: true });
    expect(fieldOf('deposits', 'event_id')).toMatchObject({
      usableInRules: true,
      shownInTables: false,
    });
    expect(fieldOf('players', 'affiliate')?.anonymized).toBe(true);
  });

  it('leaves the base catalogue unchanged', () => {
    expect(findList(DEFAULT_CATALOGUE, 'cashback')).toBeUndefined();
    const players = findList(DEFAULT_CATALOGUE, 'players');
    expect(players && findField(players, 'email')?.usableInRules).toBe(true);
  });

  it('makes the new lists and fields usable in rules', () => {
    const rule = {
      include: {
        all: [
          { list: 'cashback', measure: { sum: 'rate' }, op: 'gt', value: 1 },
          { field: 'affiliate', op: 'eq', value: 'partner-7' },
        ],
      },
    };
    expect(validateRule(rule, merged)).toEqual(rule);
  });

  const withFile = (extra: object) => ({ ...FILE, ...extra });
  it.each([
    ['not an object', [], ''],
    ['an unknown key', withFile({ lists: [] }), 'lists'],
    [
      'a list id in capitals',
      withFile({ eventLists: [{ ...FILE.eventLists[0], id: 'Cash' }] }),
      'eventLists[0].id',
    ],
    [
      'a list without event types',
      withFile({ eventLists: [{ ...FILE.eventLists[0], eventTypes: [] }] }),
      'eventLists[0].eventTypes',
    ],
    [
      'a repeated event type',
      withFile({ eventLists: [{ ...FILE.eventLists[0], eventTypes: ['a', 'a'] }] }),
      'eventLists[0].eventTypes',
    ],
    [
      'a built-in list id',
      withFile({ eventLists: [{ ...FILE.eventLists[0], id: 'deposits' }] }),
      'eventLists[0].id',
    ],
    [
      'the players id',
      withFile({ eventLists: [{ ...FILE.eventLists[0], id: 'players' }] }),
      'eventLists[0].id',
    ],
    [
      'a list given twice',
      withFile({ eventLists: [FILE.eventLists[0], FILE.eventLists[0]] }),
      'eventLists[1].id',
    ],
    [
      'an unknown field type',
      withFile({ playerAttributes: [{ name: 'x', label: 'X', type: 'text' }] }),
      'playerAttributes[0].type',
    ],
    [
      'a field without label',
      withFile({ playerAttributes: [{ name: 'x', type: 'string' }] }),
      'playerAttributes[0].label',
    ],
    [
      'a field name with a dash',
      withFile({ playerAttributes: [{ name: 'x-y', label: 'X', type: 'string' }] }),
      'playerAttributes[0].name',
    ],
    [
      'an attribute named like a column',
      withFile({ playerAttributes: [{ name: 'country', label: 'C', type: 'string' }] }),
      'playerAttributes[0].name',
    ],
    [
      'an attribute named like the computed age',
      withFile({ playerAttributes: [{ name: 'age', label: 'Age', type: 'number' }] }),
      'playerAttributes[0].name',
    ],
    [
      'an attribute given twice',
      withFile({ playerAttributes: [FILE.playerAttributes[0], FILE.playerAttributes[0]] }),
      'playerAttributes[1].name',
    ],
    [
      'a string list attribute',
      withFile({ playerAttributes: [{ name: 'x', label: 'X', type: 'string_list' }] }),
      'playerAttributes[0].type',
    ],
    [
      'a property named like a column',
      withFile({ eventFields: { deposits: [{ name: 'amount', label: 'A', type: 'money' }] } }),
      'eventFields.deposits[0].name',
    ],
    [
      'properties of an unknown list',
      withFile({ eventFields: { spins: [] } }),
      'eventFields.spins',
    ],
    [
      'properties of the Players list',
      withFile({ eventFields: { players: [] } }),
      'eventFields.players',
    ],
    [
      'a setting on an unknown list',
      withFile({ fieldSettings: [{ list: 'spins', field: 'x' }] }),
      'fieldSettings[0].list',
    ],
    [
      'a setting on an unknown field',
      withFile({ fieldSettings: [{ list: 'players', field: 'nickname' }] }),
      'fieldSettings[0].field',
    ],
    [
      'a setting that is not a boolean',
      withFile({ fieldSettings: [{ list: 'players', field: 'email', anonymized: 'yes' }] }),
      'fieldSettings[0].anonymized',
    ],
  ])('refuses %s with CATALOGUE_INVALID at the path', (_name, input, expected) => {
    try {
      mergeCatalogue(DEFAULT_CATALOGUE, input);
      expect.unreachable();
    } catch (err) {
      expect(isSegstreamError(err, 'CATALOGUE_INVALID')).toBe(true);
      expect((err as { details: { path: string } }).details.path).toBe(expected);
    }
  });
});

describe('loadCatalogue', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'segstream-catalogue-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it('is the built-in catalogue without a file', () => {
    expect(loadCatalogue()).toBe(DEFAULT_CATALOGUE);
  });

  it('merges the file', () => {
    const merged = loadCatalogue(write('ok.json', JSON.stringify(FILE)));
    expect(merged).toEqual(mergeCatalogue(DEFAULT_CATALOGUE, FILE));
  });

  it.each([
    ['a missing file', path.join(dir, 'missing.json'), ''],
    ['malformed JSON', write('bad.json', '{ "eventLists": ['), ''],
    [
      'an invalid file',
      write(
        'invalid.json',
        '{ "playerAttributes": [{ "name": 1, "label": "X", "type": "string" }] }',
      ),
      'playerAttributes[0].name',
    ],
  ])('refuses %s with CATALOGUE_INVALID naming the file', (_name, file, expected) => {
    try {
      loadCatalogue(file);
      expect.unreachable();
    } catch (err) {
      expect(isSegstreamError(err, 'CATALOGUE_INVALID')).toBe(true);
      expect((err as { details: object }).details).toMatchObject({ file, path: expected });
      expect((err as Error).message).toContain(file);
    }
  });
});
