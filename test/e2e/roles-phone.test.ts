import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { login, screenshotDir, useDemoBrowser } from './support/server.ts';

const e2e = useDemoBrowser();
const PHONE = {
  viewport: { width: 390, height: 844 },
  locale: 'zh-CN',
  isMobile: true,
  hasTouch: true,
};

const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

/** The demo's active plan version and a new draft the admin copies from it (through the API). */
async function draftFromActive(): Promise<{ active: number; draft: number }> {
  const active = await e2e.server.conn.db
    .selectFrom('plan_versions')
    .select('id')
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  const admin = await e2e.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  const adminPage = await admin.newPage();
  await login(adminPage, e2e.server.url, 'admin');
  const copy = await adminPage.request.post(
    `${e2e.server.url}/api/plan-versions/${active.id}/copy`,
    { headers: { origin: e2e.server.url } },
  );
  expect(copy.status(), await copy.text()).toBe(201);
  const draft = ((await copy.json()) as { id: number }).id;
  await admin.close();
  return { active: active.id, draft };
}

it('a rep on a 390 px phone: the plans list fits without sideways scroll, lists no draft, and the menu has only what a rep can use', async () => {
  // Given the demo's active plan version and a draft copied from it by the admin
  const { active, draft } = await draftFromActive();

  // When rep.zhang, signed out, opens the plans on a phone: he is asked to sign in, then lands there
  const phone = await e2e.newContext(PHONE);
  const page = await phone.newPage();
  await page.goto(`${e2e.server.url}/plans`);
  await page.waitForURL(/\/login$/);
  await page.getByTestId('login-username').fill('rep.zhang');
  await page.getByTestId('login-password').fill('demo1234');
  await page.getByTestId('login-submit').click();
  await page.waitForURL(/\/plans$/);
  // And opens the menu
  await page.getByTestId('phone-menu').click();
  const menu = page.getByTestId('main-menu');
  await menu.getByTestId('menu-plans').waitFor();
  // Then it offers his inbox, the plans, his targets and tracking: no master data, imports, jobs
  // or admin
  const entries = await menu
    .locator('[data-testid^="menu-"]')
    .evaluateAll((els) => els.map((el) => el.getAttribute('data-testid')));
  expect(entries).toEqual([
    'menu-dashboard',
    'menu-plans',
    'menu-myTargets',
    'menu-adjustments',
    'menu-tracking',
  ]);
  await page.screenshot({ path: join(screenshotDir, 'rep-phone-menu.png') });

  // When he picks the plans from it
  await menu.getByTestId('menu-plans').click();
  await page.getByTestId(`version-link-${active}`).waitFor();
  // Then the active version is listed, the draft is not, and nothing is wider than the phone
  expect(await page.getByTestId(`version-link-${draft}`).count()).toBe(0);
  expect(await page.getByTestId('status-draft').count()).toBe(0);
  expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: join(screenshotDir, 'rep-phone-plans.png'), fullPage: true });

  // And the other pages he reaches fit the phone too: the active version and his tracking
  await page.getByTestId(`version-link-${active}`).click();
  await expect.poll(() => page.getByTestId('header-committed').innerText()).toMatch(/\d/);
  expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
  // It opens on his targets, without the planner's tabs he cannot use
  await page.getByTestId('tab-grid').waitFor();
  expect(await page.getByTestId('tab-set').count()).toBe(0);
  expect(await page.getByTestId('tab-decompose').count()).toBe(0);
  expect(await page.getByTestId('plan-version-page').innerText()).not.toContain('复制为新草稿');
  await page.screenshot({ path: join(screenshotDir, 'rep-phone-version.png'), fullPage: true });
  await page.getByTestId('phone-menu').click();
  await menu.getByTestId('menu-tracking').click();
  await expect.poll(() => page.getByTestId('kpi-actual').innerText()).toMatch(/\d/);
  expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
  await phone.close();
});

it('the director on a phone: the plans list with a draft fits 390 px and 版本对比 stays on one line', async () => {
  // Given a draft beside the active version
  await draftFromActive();
  const phone = await e2e.newContext(PHONE);
  const page = await phone.newPage();
  await login(page, e2e.server.url, 'director');
  await page.goto(`${e2e.server.url}/plans`);
  const picker = page.locator('[data-testid^="plan-compare-picker-"]').first();
  await picker.waitFor();
  // The draft is listed for the director, with the workflow buttons he can use
  expect(await page.getByTestId('status-draft').count()).toBeGreaterThan(0);
  expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
  // '版本对比' is one line of text, not one character per line
  const label = picker.getByText('版本对比', { exact: true });
  const box = (await label.boundingBox())!;
  expect(box.width).toBeGreaterThan(box.height * 2);
  await page.screenshot({ path: join(screenshotDir, 'director-phone-plans.png'), fullPage: true });

  // And the comparison it opens fits the phone too (its table scrolls inside the card)
  await picker.getByRole('button').click();
  await page.getByTestId('plan-compare-page').waitFor();
  await page.locator('.ant-table').first().waitFor();
  expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
  await page.screenshot({
    path: join(screenshotDir, 'director-phone-compare.png'),
    fullPage: true,
  });
  await phone.close();
});
