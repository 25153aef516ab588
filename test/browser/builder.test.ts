// The rule builder in real Chromium against the real API, ClickHouse, Redis and engine: build a
// segment from a Players rule and an event rule, see the preview count equal the API's preview
// of the same rule, see an error next to the offending rule, Execute to list the players, Save,
// and find the new card with the count the engine computed. Then a rule with a nested OR group,
// a NOT and an event criterion (where), previewed like the API and saved; opened again for
// editing row by row, with who would enter and leave as the API counts them, saved as version 2;
// and a rule rows cannot show kept read-only and saved unchanged. New rows and criteria start
// incomplete, are left out of the preview and hold up Save; a count is marked out of date while
// the rule is incomplete or refused; measures read as words; no match says so.
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertEvents } from '../../engine/store/events.ts';
import { insertPlayers } from '../../engine/store/players.ts';
import { memberFixture, type MemberFixture } from '../../api/members/test-support.ts';
import { buildUi, openBrowser, type Browser } from './browser.ts';

let f: MemberFixture;
let browser: Browser;
let url: string;
let uiDir: string;

beforeAll(async () => {
  uiDir = await buildUi();
  f = await memberFixture('browser_builder', { uiDir });
  const now = Date.now();
  await insertPlayers(f.api.db.store, [
    { player_id: 'p1', version: 1, country: 'DE' },
    { player_id: 'p2', version: 1, country: 'AT' },
    { player_id: 'p3', version: 1, country: 'DE' },
    { player_id: 'p4', version: 1, country: 'FR' },
  ]);
  const deposit = (id: string, player: string) => ({
    ...{ event_id: id, player_id: player, type: 'deposit', amount: '10.00' },
    event_time: now - 3_600_000,
  });
  await insertEvents(f.api.db.store, [
    deposit('d1', 'p1'),
    deposit('d2', 'p2'),
    deposit('d3', 'p4'),
  ]);
  await f.api.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(f.api.app.server.address() as AddressInfo).port}`;
  browser = await openBrowser();
  const { page } = browser;
  await page.goto(url);
  await page.getByLabel('Access token').fill(f.api.tokens.editor);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Create Segment' }).waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await f?.close();
  fs.rmSync(uiDir, { recursive: true, force: true });
});

const rows = () => browser.page.getByTestId('rule-row');
const count = () => browser.page.getByTestId('preview-count').textContent();
const staleNote = () => browser.page.getByTestId('stale-note').textContent();
const stale = () => browser.page.getByTestId('preview').getAttribute('class');
const saveBlocked = () => browser.page.getByTestId('save-blocked').textContent();
const apiPreview = async (rule: unknown) =>
  (await f.api.as('editor').post('/v1/segments/preview', { rule, limit: 0 })).json().count;

const segmentId = async (name: string): Promise<string> =>
  (await f.api.as('editor').get(`/v1/segments?q=${name}`)).json().segments[0].id;

/** NOT country = `not` AND (country = DE OR a deposit of at least 5 in the last 7 days). */
const nestedRule = (not: string) => ({
  include: {
    all: [
      { not: { field: 'country', op: 'eq', value: not } },
      {
        any: [
          { field: 'country', op: 'eq', value: 'DE' },
          {
            list: 'deposits',
            where: [{ field: 'amount', op: 'gte', value: '5' }],
            window: { last: 7, unit: 'day' },
            measure: 'count',
            op: 'gte',
            value: 1,
          },
        ],
      },
    ],
  },
});

describe('rule builder (Chromium)', () => {
  it('previews a Players rule by itself, equal to the API', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Create Segment' }).click();
    await page.getByLabel('Name').fill('DACH depositors');
    const first = rows().nth(0);
    await expect.poll(() => first.getByLabel('Field').inputValue()).toBe('');
    expect(await first.getByTestId('incomplete').textContent()).toBe('Incomplete: choose a field');
    expect(await first.getByLabel('Operator').count()).toBe(0);
    expect(await count()).toBe('—');
    expect(await staleNote()).toBe('Complete a rule to see the count.');
    expect(await page.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    expect(await saveBlocked()).toContain('Include, rule 1 (choose a field)');
    await first.getByLabel('Field').selectOption('country');
    await first.getByLabel('Operator').selectOption('in');
    await first.getByLabel('Value', { exact: true }).fill('DE, AT');
    await first.getByLabel('Value', { exact: true }).press('Enter');
    const chips = first.getByRole('list', { name: 'Value: chosen values' }).getByRole('listitem');
    await expect.poll(() => chips.allTextContents()).toEqual(['DE✕', 'AT✕']);
    expect(await first.getByText('Values are matched exactly, including case.').count()).toBe(1);
    const rule = { include: { all: [{ field: 'country', op: 'in', value: ['DE', 'AT'] }] } };
    const expected = await apiPreview(rule);
    expect(expected).toBe(3);
    await expect.poll(count).toBe(String(expected));
    await expect.poll(() => page.getByTestId('stale-note').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Save' }).isDisabled()).toBe(false);
  });

  it('leaves a new row out of the preview, marked incomplete, and holds Save until it is done', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Add rule' }).first().click();
    const second = rows().nth(1);
    await expect
      .poll(() => second.getByTestId('incomplete').textContent())
      .toBe('Incomplete: choose a field');
    await expect.poll(staleNote).toBe('Leaves out 1 incomplete rule.');
    expect(await stale()).toContain('stale');
    expect(await saveBlocked()).toContain('Include, rule 2 (choose a field)');
    expect(await page.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    await page.waitForTimeout(600);
    expect(await count()).toBe('3');
    expect(await second.getByRole('alert').count()).toBe(0);
    await browser.screenshot('builder-incomplete');
    await second.getByLabel('List').selectOption('deposits');
    await expect
      .poll(() => second.getByTestId('incomplete').textContent())
      .toBe('Incomplete: enter a value');
    const measures = await second.getByLabel('Measure').locator('option').allTextContents();
    expect(measures.slice(0, 4)).toEqual([
      'number of events',
      'number of days with an event',
      'first time',
      'last time',
    ]);
    expect(measures).toContain('sum of Amount');
    expect(measures).toContain('distinct values of Payment method');
    expect(measures.filter((m) => /_|:/.test(m))).toEqual([]);
  });

  it('adds an event rule with AND and previews again', async () => {
    const second = rows().nth(1);
    await second.getByLabel('Operator').selectOption('gte');
    await second.getByLabel('Value').fill('1');
    const rule = {
      include: {
        all: [
          { field: 'country', op: 'in', value: ['DE', 'AT'] },
          {
            list: 'deposits',
            window: { last: 7, unit: 'day' },
            measure: 'count',
            op: 'gte',
            value: 1,
          },
        ],
      },
    };
    const expected = await apiPreview(rule);
    expect(expected).toBe(2);
    await expect.poll(count).toBe(String(expected));
    await expect.poll(() => browser.page.getByTestId('stale-note').count()).toBe(0);
  });

  it('shows an error next to the offending rule, without its path, and no count meanwhile', async () => {
    const { page } = browser;
    const second = rows().nth(1);
    await second.getByLabel('Value').fill('abc');
    await expect.poll(() => second.getByRole('alert').count()).toBe(1);
    expect(await second.getByRole('alert').textContent()).toBe(
      'The value does not fit the operator: must be a finite number',
    );
    await expect.poll(count).toBe('—');
    expect(await staleNote()).toBe('Fix the rule to see the count.');
    expect(await page.locator('aside .summary').count()).toBe(0);
    await second.getByLabel('Value').fill('1');
    await expect.poll(() => second.getByRole('alert').count()).toBe(0);
    await expect.poll(count).toBe('2');
    expect(await page.getByTestId('stale-note').count()).toBe(0);
  });

  it('lists the matching players on Execute', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Execute' }).click();
    const cells = page.getByRole('table', { name: 'Matching players' }).locator('td');
    await expect.poll(() => cells.allTextContents()).toEqual(['p1', 'p2']);
    await browser.screenshot('builder');
  });

  it('saves, and the new card shows the count the engine computed', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Save' }).click();
    const card = page.locator('article', { hasText: 'DACH depositors' });
    await card.waitFor();
    await f.engine.step();
    await expect.poll(() => card.getByTestId('count').textContent()).toBe('2');
  });

  it('builds a nested OR group with NOT and an event criterion, previewed like the API', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Create Segment' }).click();
    await page.getByLabel('Name').fill('Nested');
    const first = rows().nth(0);
    await first.getByLabel('NOT').check();
    await first.getByLabel('Field').selectOption('country');
    await first.getByLabel('Operator').selectOption('eq');
    await first.getByLabel('Value', { exact: true }).fill('FR');
    const include = page.getByRole('group', { name: 'Include', exact: true });
    await include.getByRole('button', { name: 'Add group' }).click();
    const nested = page.getByRole('group', { name: 'Group', exact: true });
    await nested.getByLabel('Group: join rules with').selectOption('any');
    const inner = nested.getByTestId('rule-row');
    await inner.nth(0).getByLabel('Field').selectOption('country');
    await inner.nth(0).getByLabel('Operator').selectOption('eq');
    await inner.nth(0).getByLabel('Value', { exact: true }).fill('DE');
    await nested.getByRole('button', { name: 'Add rule' }).click();
    const deposits = inner.nth(1);
    await deposits.getByLabel('List').selectOption('deposits');
    await deposits.getByLabel('Value').fill('1');
    await deposits.getByRole('button', { name: 'Add criterion' }).click();
    const criterion = deposits.getByTestId('criterion');
    await expect
      .poll(() => deposits.getByTestId('incomplete').textContent())
      .toBe('Incomplete: criterion: choose a field');
    expect(await criterion.getByLabel('Criterion field').inputValue()).toBe('');
    expect(await saveBlocked()).toContain('Include, group 1, rule 2 (criterion: choose a field)');
    await criterion.getByLabel('Criterion field').selectOption('amount');
    await criterion.getByLabel('Criterion operator').selectOption('gte');
    await criterion.getByLabel('Criterion value').fill('5');
    const expected = await apiPreview(nestedRule('FR'));
    expect(expected).toBe(3);
    await expect.poll(count).toBe(String(expected));
    await browser.screenshot('builder-nested');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('article', { hasText: 'Nested' }).waitFor();
  });

  it('edits the saved rule row by row, with who would enter and leave as the API says', async () => {
    const { page } = browser;
    const id = await segmentId('Nested');
    await f.engine.step();
    await page.getByLabel('Actions for Nested').click();
    await page
      .locator('article', { hasText: 'Nested' })
      .getByRole('link', { name: 'Edit' })
      .click();
    await expect.poll(() => rows().count()).toBe(3);
    const first = rows().nth(0);
    expect(await first.getByLabel('NOT').isChecked()).toBe(true);
    await expect.poll(() => first.getByLabel('Value', { exact: true }).inputValue()).toBe('FR');
    const nested = page.getByRole('group', { name: 'Group', exact: true });
    expect(await nested.getByLabel('Group: join rules with').inputValue()).toBe('any');
    expect(await nested.getByLabel('Criterion value').inputValue()).toMatch(/^5/);

    await first.getByLabel('Value', { exact: true }).fill('AT');
    const body = { rule: nestedRule('AT'), compare_to: id, limit: 0 };
    const api = (await f.api.as('editor').post('/v1/segments/preview', body)).json();
    expect([api.entering, api.leaving]).toEqual([
      { count: 1, player_ids: ['p4'] },
      { count: 1, player_ids: ['p2'] },
    ]);
    const text = (testId: string) => page.getByTestId(testId).textContent();
    await expect.poll(() => text('entering-count')).toBe(String(api.entering.count));
    await expect.poll(() => text('leaving-count')).toBe(String(api.leaving.count));
    await expect.poll(() => text('entering-ids')).toBe('p4');
    await expect.poll(() => text('leaving-ids')).toBe('p2');
    await expect.poll(count).toBe(String(api.count));
    await browser.screenshot('edit-diff');

    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('article', { hasText: 'Nested' }).waitFor();
    const saved = (await f.api.as('editor').get(`/v1/segments/${id}`)).json();
    expect(saved.version).toBe(2);
    expect(saved.rule.include.all[0]).toEqual({ not: { field: 'country', op: 'eq', value: 'AT' } });
  });

  it('keeps a rule rows cannot show read-only and saves it unchanged', async () => {
    const { page } = browser;
    const rule = {
      include: { all: [{ not: { not: { field: 'country', op: 'eq', value: 'DE' } } }] },
    };
    await f.segment('double-not', rule);
    await page.goto(`${url}/#/segments/double-not/edit`);
    await expect.poll(() => page.getByTestId('raw-rule').textContent()).toContain('"not"');
    expect(await rows().count()).toBe(0);
    await page.getByLabel('Description').fill('kept as saved');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('article', { hasText: 'double-not' }).waitFor();
    const saved = (await f.api.as('editor').get('/v1/segments/double-not')).json();
    expect([saved.version, saved.description, saved.rule]).toEqual([2, 'kept as saved', rule]);
  });

  it('edits a static segment without touching its uploaded members', async () => {
    const { page } = browser;
    const body = { name: 'Uploaded', static_members: ['p1', 'p3'] };
    const id = (await f.api.as('editor').post('/v1/segments', body)).json().id;
    await page.goto(`${url}/#/segments/${id}/edit`);
    await page.getByText('This is a static segment').waitFor();
    expect(await rows().count()).toBe(0);
    await page.getByLabel('Description').fill('the spring list');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('article', { hasText: 'Uploaded' }).waitFor();
    const saved = (await f.api.as('editor').get(`/v1/segments/${id}`)).json();
    expect([saved.kind, saved.version, saved.description]).toEqual([
      'static',
      2,
      'the spring list',
    ]);
    const members = await f.api.as('editor').get(`/v1/segments/${id}/static_members`);
    expect(members.body.trim().split(/\r?\n/)).toEqual(['player_id', 'p1', 'p3']);
  });

  it('asks before unsaved changes are left, by link or by the back button', async () => {
    const { page } = browser;
    const id = await segmentId('Nested');
    await page.goto(`${url}/#/`);
    await page.goto(`${url}/#/segments/${id}/edit`);
    await expect.poll(() => rows().count()).toBe(3);
    await page.getByLabel('Description').fill('not saved yet');
    const asked: string[] = [];
    const answer = (accept: boolean) =>
      page.once('dialog', (d) => (asked.push(d.message()), accept ? d.accept() : d.dismiss()));
    answer(false);
    await page.getByRole('link', { name: '← Segments' }).click();
    await expect.poll(() => asked.length).toBe(1);
    expect(await page.getByLabel('Description').inputValue()).toBe('not saved yet');
    answer(false);
    await page.goBack();
    await expect.poll(() => asked.length).toBe(2);
    expect(page.url()).toContain('/edit');
    expect(await page.getByLabel('Description').inputValue()).toBe('not saved yet');
    answer(true);
    await page.getByRole('link', { name: '← Segments' }).click();
    await page.getByRole('link', { name: 'Create Segment' }).waitFor();
    expect((await f.api.as('editor').get(`/v1/segments/${id}`)).json().description).toBe('');
  });

  it('says so when Execute finds no player', async () => {
    const { page } = browser;
    await page.goto(`${url}/#/`);
    await page.getByRole('link', { name: 'Create Segment' }).click();
    const first = rows().nth(0);
    await first.getByLabel('Field').selectOption('country');
    await first.getByLabel('Operator').selectOption('eq');
    await first.getByLabel('Value', { exact: true }).fill('de');
    await expect.poll(count).toBe('0');
    await page.getByRole('button', { name: 'Execute' }).click();
    await expect
      .poll(() => page.getByTestId('no-matches').textContent())
      .toBe('No players match this rule.');
    expect(await page.getByRole('table', { name: 'Matching players' }).count()).toBe(0);
  });

  it('logged no console errors but the refused preview', () => {
    const unexpected = browser.errors.filter((e) => !/status of 400/.test(e));
    expect(unexpected.join('\n')).toBe('');
  });
});
