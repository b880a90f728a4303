import { join } from 'node:path';
import { expect, it } from 'vitest';
import { systemActor } from '../../src/app/actor.ts';
import { snapshotForecasts } from '../../src/app/tracking/snapshot-forecasts.ts';
import { login, screenshotDir, useDemoBrowser } from './support/server.ts';

const e2e = useDemoBrowser();

it('the forecast card shows how accurate each method has been, in Chinese, in English and on a phone', async () => {
  // Given the forecasts of 2025-09-30 kept (a backfill: FY2025 has closed since)
  const db = e2e.server.conn.db;
  const r = await snapshotForecasts(db, systemActor(), { asOf: '2025-09-30' }, new Date());
  expect(r.written).toBeGreaterThan(0);
  const root = await db
    .selectFrom('org_units')
    .select('id')
    .where('parent_id', 'is', null)
    .executeTakeFirstOrThrow();

  for (const [locale, viewport, label, name] of [
    ['zh-CN', { width: 1440, height: 900 }, '线性（按当前日均）', 'zh'],
    ['en', { width: 1440, height: 900 }, 'Linear (current daily rate)', 'en'],
    ['zh-CN', { width: 390, height: 844 }, '线性（按当前日均）', 'phone'],
  ] as const) {
    const context = await e2e.newContext({ viewport, locale });
    const page = await context.newPage();
    await login(page, e2e.server.url, 'director');
    if (name === 'en') {
      // The language is the user's setting (saved to the profile), not the browser's.
      await page.getByTestId('language-switch').click();
      await page.getByText('English', { exact: true }).click();
      await expect.poll(() => page.getByTestId('main-menu').innerText()).toMatch(/[a-z]{4}/);
    }
    // When the director opens the company's tracking page
    await page.goto(`${e2e.server.url}/tracking?unit=${root.id}`);
    const card = page.getByTestId('forecast-accuracy');
    // Then the linear method's accuracy over the closed year is listed with a percentage
    await expect.poll(() => card.innerText()).toContain(label);
    expect(await card.innerText()).toMatch(/\d+\.\d%/);
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshotDir, `forecast-accuracy-${name}.png`) });
    if (name === 'en') {
      await page.getByTestId('language-switch').click();
      await page.getByText('简体中文', { exact: true }).click();
    }
    await context.close();
  }
});
