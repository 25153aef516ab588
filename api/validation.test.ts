// JSON bodies keep their types: a value of the wrong type is refused with its path, not
// converted (a string for a number, a boolean or null for a number, a number for text, a bare
// value for a list); query strings, which are text on the wire, still read "5" as 5.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApi, type TestApi } from './test-support.ts';

const de = { include: { all: [{ field: 'country', op: 'eq', value: 'DE' }] } };

let api: TestApi;
beforeAll(async () => {
  api = await testApi('validation');
  expect((await api.as('editor').post('/v1/segments', { name: 'DE', rule: de })).statusCode).toBe(
    201,
  );
});
afterAll(() => api.close());

describe('a JSON body with a value of the wrong type', () => {
  it.each<[string, object, string]>([
    ['limit as text', { rule: de, limit: '5' }, 'body/limit'],
    ['limit as a boolean', { rule: de, limit: true }, 'body/limit'],
    ['limit as null', { rule: de, limit: null }, 'body/limit'],
    ['compare_to as a number', { rule: de, compare_to: 5 }, 'body/compare_to'],
    ['compare_to as a boolean', { rule: de, compare_to: true }, 'body/compare_to'],
    ['compare_to as a list', { rule: de, compare_to: ['x'] }, 'body/compare_to'],
    ['columns as a bare string', { rule: de, columns: 'country' }, 'body/columns'],
  ])('preview refuses %s', async (_, body, path) => {
    const res = await api.as('editor').post('/v1/segments/preview', body);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { path } });
  });

  it.each<[string, object, string]>([
    ['name as a number', { name: 5 }, 'body/name'],
    ['name as a list', { name: ['a'] }, 'body/name'],
    ['active as text', { active: 'false' }, 'body/active'],
  ])('a segment patch refuses %s', async (_, body, path) => {
    const segments = (await api.as('viewer').get('/v1/segments')).json().segments;
    const res = await api.as('editor').patch(`/v1/segments/${segments[0].id}`, body);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { path } });
  });
});

describe('a query string', () => {
  it('still reads numbers and booleans written as text', async () => {
    const res = await api.as('viewer').get('/v1/segments?active=true&limit=5');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ limit: 5, total: 1 });
  });
});
