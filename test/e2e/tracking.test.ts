import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { chinaToday } from '../../src/app/clock.ts';
import { chartsFinished, login, screenshotDir, useDemoBrowser } from './support/server.ts';

const e2e = useDemoBrowser();

/** '1,234,567.89元' → 123456789 fen. The test reads money in 元 so no digit is rounded away. */
function fenOf(text: string): number {
  const m = /(-?[\d,]+)\.(\d{2})元/.exec(text);
  if (!m) throw new Error(`no amount in 元 in "${text}"`);
  const yuan = Number((m[1] ?? '').replace(/,/g, ''));
  return yuan * 100 + Math.sign(yuan || 1) * Number(m[2]);
}

async function actualOnDashboard(page: Page): Promise<number> {
  const kpi = page.getByTestId('kpi-actual');
  await kpi.waitFor();
  return fenOf(await kpi.innerText());
}

it('an admin imports an orders file for a rep, the unit dashboard grows by exactly that amount and shrinks back when the import is deleted; the rep reads it on a phone', async () => {
  // Given rep.zhang's member record and the unit he belongs to today
  const db = e2e.server.conn.db;
  const today = chinaToday(new Date());
  const rep = await db
    .selectFrom('users as u')
    .innerJoin('members as m', 'm.id', 'u.member_id')
    .innerJoin('member_units as mu', 'mu.member_id', 'm.id')
    .select(['m.id as memberId', 'm.code', 'mu.org_unit_id as unitId'])
    .where('u.username', '=', 'rep.zhang')
    .where('mu.start_date', '<=', today)
    .where((eb) => eb.or([eb('mu.end_date', 'is', null), eb('mu.end_date', '>=', today)]))
    .executeTakeFirstOrThrow();

  const context = await e2e.newContext({
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
  });
  const page = await context.newPage();
  await login(page, e2e.server.url, 'admin');

  // Money in 元, so the dashboard shows every fen.
  await page.getByTestId('amount-unit-switch').click();
  await page.locator('.ant-select-item-option').filter({ hasText: /^元$/ }).click();
  await expect.poll(() => page.getByTestId('amount-unit-switch').innerText()).toMatch(/^元$/);

  // When the admin opens the dashboard of that unit for the current month
  await page.goto(`${e2e.server.url}/tracking?unit=${rep.unitId}`);
  await expect
    .poll(() => page.getByTestId('tracking-dashboard').getAttribute('data-node'))
    .toBe(`unit-${rep.unitId}`);
  const before = await actualOnDashboard(page);
  await page.getByTestId('cumulative-chart').waitFor();
  await page.screenshot({ path: join(screenshotDir, 'tracking-unit-before.png'), fullPage: true });

  // And imports one order line for the rep, dated today, through the actuals page
  await page.getByTestId('menu-actuals').click();
  await page.getByTestId('actuals-import').waitFor();
  const amountFen = 1_234_567; // 12,345.67元
  const csv = `订单行号,订单号,下单日期,销售工号,金额\nE2E-${Date.now()}-1,E2E-SO-1,${today},${rep.code},12345.67\n`;
  await page
    .getByTestId('actuals-import')
    .locator('input[type=file]')
    .setInputFiles({
      name: 'orders-e2e.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv, 'utf8'),
    });
  await page.getByTestId('actuals-submit').click();
  const result = page.getByTestId('actuals-result');
  await result.waitFor();
  expect(await page.getByTestId('actuals-summary').innerText()).toMatch(/新增\s*1/);
  await expect
    .poll(() => page.getByTestId('actuals-history').innerText())
    .toContain('orders-e2e.csv');
  await page.screenshot({ path: join(screenshotDir, 'actuals-imported.png'), fullPage: true });

  // Then the unit's actual for the month grew by exactly the imported amount
  await page.getByTestId('menu-tracking').click();
  await page.goto(`${e2e.server.url}/tracking?unit=${rep.unitId}`);
  await expect.poll(() => actualOnDashboard(page)).toBe(before + amountFen);

  // And the rep is in the ranking; a click drills down to him (no request fails on the way),
  // the breadcrumb leads back up
  const failed: string[] = [];
  page.on('response', (r) => {
    if (r.url().includes('/api/') && r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  });
  await page.getByTestId(`ranking-row-${rep.memberId}`).click();
  await expect
    .poll(() => page.getByTestId('tracking-dashboard').getAttribute('data-node'))
    .toBe(`member-${rep.memberId}`);
  await page.getByTestId('cumulative-chart').waitFor();
  expect(failed).toEqual([]);
  expect(await actualOnDashboard(page)).toBeGreaterThanOrEqual(amountFen);
  await page.screenshot({ path: join(screenshotDir, 'tracking-member.png'), fullPage: true });
  await page.getByTestId(`crumb-${rep.unitId}`).click();
  await expect
    .poll(() => page.getByTestId('tracking-dashboard').getAttribute('data-node'))
    .toBe(`unit-${rep.unitId}`);
  await chartsFinished(page);
  await page.screenshot({ path: join(screenshotDir, 'tracking-unit-after.png'), fullPage: true });

  // When the admin deletes that import, confirming first, the unit's actual is back where it started
  await page.getByTestId('menu-actuals').click();
  const batch = page.getByTestId('actuals-history').locator('tr', { hasText: 'orders-e2e.csv' });
  await batch.locator('button[data-testid^=delete-batch-]').click();
  await page.locator('.ant-popconfirm .ant-btn-primary').click();
  await expect.poll(() => batch.innerText()).toContain('已删除');
  await page.goto(`${e2e.server.url}/tracking?unit=${rep.unitId}`);
  await expect.poll(() => actualOnDashboard(page)).toBe(before);
  await context.close();

  // When rep.zhang signs in on a phone (he lands on his inbox) and opens his targets
  const phone = await e2e.newContext({
    viewport: { width: 390, height: 844 },
    locale: 'zh-CN',
    isMobile: true,
    hasTouch: true,
  });
  const mobile = await phone.newPage();
  await login(mobile, e2e.server.url, 'rep.zhang');
  await mobile.getByTestId('inbox').waitFor();
  await mobile.goto(`${e2e.server.url}/me`);
  const month = mobile.getByTestId('my-month');
  await month.waitFor();
  await mobile.getByTestId('cumulative-chart').waitFor();
  expect(await mobile.getByTestId('my-month-actual').innerText()).toMatch(/\d/);
  // Nothing wider than the phone: the page does not scroll sideways.
  expect(await mobile.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
    390,
  );
  await mobile.screenshot({ path: join(screenshotDir, 'my-targets-phone.png'), fullPage: true });
  await phone.close();
});

it('a director tracks collections, then filters the dashboard to one product line and back', async () => {
  const context = await e2e.newContext({
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
  });
  const page = await context.newPage();
  await login(page, e2e.server.url, 'director');
  // The dashboard keeps the previous numbers on screen while the next ones load: wait for the
  // overview answer of each metric before reading the figures.
  const overviewOf = (metric: string | null) =>
    page.waitForResponse(
      (r) =>
        r.url().includes('/api/tracking/overview') &&
        (metric === null
          ? !r.url().includes('metric=') || r.url().includes('metric=revenue')
          : r.url().includes(`metric=${metric}`)),
    );
  const firstOverview = overviewOf(null);
  await page.goto(`${e2e.server.url}/tracking`);
  await page.getByTestId('tracking-dashboard').waitFor();
  await firstOverview;
  await expect.poll(() => page.getByTestId('kpi-actual').innerText()).toMatch(/\d/);
  const revenueActual = await page.getByTestId('kpi-actual').innerText();

  // When the director picks the collections metric (listed with its unit)
  const collections = overviewOf('collections');
  await page.getByTestId('metric-select').click();
  await page.getByTestId('metric-option-collections').click();
  await page.waitForURL(/metric=collections/);
  await collections;
  await expect.poll(() => page.getByTestId('kpi-actual').innerText()).not.toBe(revenueActual);
  // Then collections have no product line: that tab is disabled and says why
  await expect
    .poll(() => page.getByTestId('structure-unavailable').innerText())
    .toContain('回款额');
  expect(await page.getByTestId('structure-tab-product_line').getAttribute('data-disabled')).toBe(
    'true',
  );
  await chartsFinished(page);
  await page.screenshot({ path: join(screenshotDir, 'tracking-collections.png'), fullPage: true });

  // When they go back to revenue and click a product line in the structure card
  await page.getByTestId('metric-select').click();
  await page.getByTestId('metric-option-revenue').click();
  await page.waitForURL((u) => !u.search.includes('metric='));
  await expect.poll(() => page.getByTestId('kpi-actual').innerText()).toBe(revenueActual);
  const row = page.locator('[data-testid^="structure-row-product_line-"]').first();
  await row.waitFor();
  const lineName = await row.innerText();
  await row.click();

  // Then the whole dashboard is filtered to it, shown as a tag beside the breadcrumbs
  await page.waitForURL(/dim=product_line&key=\d+/);
  const tag = page.getByTestId('filter-tag');
  await expect.poll(() => tag.innerText()).toContain(lineName);
  await expect.poll(() => page.getByTestId('kpi-actual').innerText()).not.toBe(revenueActual);
  // The demo plan splits the company's target by product line: a target for the slice
  expect(await page.getByTestId('kpi-target').innerText()).toMatch(/\d/);
  await expect.poll(() => page.getByTestId('funnel-card').innerText()).toContain('不显示');
  await chartsFinished(page);
  await page.screenshot({ path: join(screenshotDir, 'tracking-product-line.png'), fullPage: true });

  // And the ranking shows each row's tier
  await page.getByTestId('ranking-table').waitFor();
  expect(await page.locator('[data-testid^="ranking-tier-"]').count()).toBeGreaterThan(0);

  // When the tag is closed the dashboard is unfiltered again
  await tag.locator('.ant-tag-close-icon').click();
  await page.waitForURL((u) => !u.search.includes('dim='));
  await expect.poll(() => page.getByTestId('kpi-actual').innerText()).toBe(revenueActual);
  await context.close();
});

it('a region manager opens "my targets" on the region they answer for and switches to their own', async () => {
  const context = await e2e.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await login(page, e2e.server.url, 'east.mgr');
  await page.goto(`${e2e.server.url}/me`);
  const choice = page.getByTestId('my-node');
  await choice.waitFor();
  // The header names the position, not the permission role
  await expect.poll(() => page.getByTestId('user-position').innerText()).toBe('大区经理');
  // The region is selected, and its month has a target
  expect(await choice.locator('.ant-segmented-item-selected').innerText()).toBe('华东大区');
  expect(await page.getByTestId('my-month-target').innerText()).not.toMatch(/^0\.00/);
  const regionTarget = await page.getByTestId('my-month-target').innerText();
  // One click: their own targets (a region manager without a personal quota has none)
  await choice.getByText('个人').click();
  await page.waitForURL(/node=me/);
  await expect.poll(() => page.getByTestId('my-month-target').innerText()).not.toBe(regionTarget);
  expect(await choice.locator('.ant-segmented-item-selected').innerText()).toBe('个人');
  await context.close();
});
