import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { login, screenshotDir, useDemoBrowser } from './support/server.ts';

const e2e = useDemoBrowser();

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(screenshotDir, `planner-trust-${name}.png`), fullPage: true });

/** '1,234.56' (万, as the grid prints it) → a number. */
const amount = (text: string) => Number(text.replace(/,/g, ''));

it('the planner shows what will happen and what happened: names, a rebalance before saving, hand edits in the why panel, the compare tree', async () => {
  const db = e2e.server.conn.db;
  const context = await e2e.newContext({
    viewport: { width: 1600, height: 1000 },
    locale: 'zh-CN',
  });
  const page = await context.newPage();
  await login(page, e2e.server.url, 'director');

  // Given a draft copy of the demo's active plan (elapsed months frozen)
  const active = await db
    .selectFrom('plan_versions')
    .select(['id'])
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  const copy = await page.request.post(`${e2e.server.url}/api/plan-versions/${active.id}/copy`);
  expect(copy.status()).toBe(201);
  const draft = (await copy.json()) as { id: number; frozenBefore: string | null };
  const root = await db
    .selectFrom('org_units')
    .select(['id'])
    .where('parent_id', 'is', null)
    .executeTakeFirstOrThrow();
  const regions = await db
    .selectFrom('org_units')
    .select(['id'])
    .where('parent_id', '=', root.id)
    .orderBy('sort_order')
    .execute();

  // When the director opens it
  await page.goto(`${e2e.server.url}/plans/versions/${draft.id}`);
  await page.getByTestId('tab-set').waitFor();
  // Then the optimistic-lock number is not shown as a second "version"
  await page.getByTestId('header-committed').waitFor();
  expect(await page.locator('.ant-descriptions-item-label', { hasText: /^版本$/ }).count()).toBe(0);
  // And the funnel's stages and channels read as names, not codes
  await page.getByTestId('tab-set').click();
  await page.getByTestId('lens-stage-leads').waitFor();
  expect(await page.getByTestId('lens-stage-leads').inputValue()).toBe('线索');
  const channelNames = (
    await db
      .selectFrom('dimension_members')
      .select(['name_zh'])
      .where('dimension', '=', 'channel')
      .execute()
  ).map((c) => c.name_zh);
  // (the names arrive with the channel catalogue)
  await expect
    .poll(async () =>
      channelNames.includes((await page.getByTestId('lens-channel-0').innerText()).trim()),
    )
    .toBe(true);
  await shot(page, '1-lenses');

  // When the grid opens, Then it is scrolled to the first editable month
  await page.getByTestId('tab-grid').click();
  const grid = page.getByTestId('target-grid');
  await grid.waitFor();
  const months = await db
    .selectFrom('target_cells')
    .select('period')
    .distinct()
    .where('version_id', '=', draft.id)
    .where('period', 'not like', 'FY%')
    .orderBy('period')
    .execute();
  const open = months
    .map((m) => m.period)
    .find((p) => !draft.frozenBefore || p >= draft.frozenBefore)!;
  const body = page.getByTestId('grid-table').locator('.ant-table-body');
  if (open !== months[0]!.period)
    await expect.poll(() => body.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);

  // When the first region's open month is typed 10万 higher (not saved yet)
  const [first, ...others] = regions;
  const cell = (id: number) => page.getByTestId(`cell-unit:${id}-${open}`);
  const before = amount(await cell(first!.id).innerText());
  const othersBefore = await Promise.all(
    others.map(async (r) => amount(await cell(r.id).innerText())),
  );
  await cell(first!.id).dblclick();
  const input = page.getByTestId('grid-cell-input');
  await input.fill(`${before + 10}万`);
  await input.press('Enter');
  await expect
    .poll(async () => amount(await cell(first!.id).innerText()))
    .toBeCloseTo(before + 10, 2);
  // Then the siblings show, before saving, what they will absorb: 10万 in all (to the 0.01万
  // each printed cell is rounded to)
  await expect
    .poll(async () => {
      const now = await Promise.all(others.map(async (r) => amount(await cell(r.id).innerText())));
      const moved = othersBefore.reduce((a, x) => a + x, 0) - now.reduce((a, x) => a + x, 0);
      return Math.abs(Math.round(moved * 100) - 1000) <= others.length;
    })
    .toBe(true);
  expect(await grid.locator('[data-absorbed="true"]').count()).toBeGreaterThan(0);
  const previewed = await Promise.all(others.map((r) => cell(r.id).innerText()));
  await shot(page, '2-preview');

  // When saved, Then the saved numbers are the previewed ones
  await page.getByTestId('grid-save').click();
  await expect.poll(() => page.getByTestId('grid-save').isDisabled()).toBe(true);
  await expect.poll(() => grid.locator('[data-absorbed="true"]').count()).toBe(0);
  expect(await Promise.all(others.map((r) => cell(r.id).innerText()))).toEqual(previewed);

  // And the why panel names the hand edit: who typed what, and when
  await cell(first!.id).click();
  const edits = page.getByTestId('why-edits');
  await edits.waitFor();
  const whyText = await edits.innerText();
  expect(whyText).toContain('手工输入');
  const director = await db
    .selectFrom('users')
    .select('display_name')
    .where('username', '=', 'director')
    .executeTakeFirstOrThrow();
  expect(whyText).toContain(director.display_name);
  await shot(page, '3-why');
  await page.keyboard.press('Escape');

  // When the two versions are compared, Then the org tree shows with the company on top
  await page.goto(`${e2e.server.url}/plans/compare?a=${active.id}&b=${draft.id}`);
  await page.getByTestId(`compare-unit:${root.id}`).waitFor();
  await page.getByTestId(`compare-unit:${first!.id}`).waitFor();
  expect(await page.locator('tr.ant-table-row-level-0').count()).toBe(1);
  await shot(page, '4-compare');
  await context.close();
}, 240_000);
