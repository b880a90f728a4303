import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { chartsFinished, login, screenshotDir, useDemoBrowser } from './support/server.ts';

const e2e = useDemoBrowser();

interface Listed {
  id: number;
  ruleKind: string;
  state: string;
  subject: { nameZh: string };
}

async function teamAlerts(page: Page, query: string): Promise<Listed[]> {
  const res = await page.request.get(`${e2e.server.url}/api/alerts?view=team&limit=200&${query}`);
  expect(res.status()).toBe(200);
  return ((await res.json()) as { items: Listed[] }).items;
}

it('a manager opens the inbox, acknowledges an alert from his team and starts a target review from it', async () => {
  const context = await e2e.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await login(page, e2e.server.url, 'west.mgr');

  // Given an open attainment alert in the region he manages (the demo's West slumps)
  const open = await teamAlerts(page, 'state=open&ruleKind=attainment_review');
  expect(open.length).toBeGreaterThan(0);
  const alert = open[0]!;

  // When he lands on the inbox, the header counts his own active alerts and the team tab lists it
  await page.goto(`${e2e.server.url}/`);
  await page.getByTestId('inbox').waitFor();
  await expect
    .poll(() => page.getByTestId('alert-badge').getAttribute('data-count'))
    .toMatch(/^\d+$/);
  await page.getByTestId('inbox-tab-team').click();
  const row = page.getByTestId(`alert-row-${alert.id}`);
  await row.waitFor();
  expect(await row.innerText()).toContain(alert.subject.nameZh);
  await page.screenshot({ path: join(screenshotDir, 'inbox-manager-zh.png'), fullPage: true });

  // And opens it: the evidence (figures, the periods' chart, the history) and the actions
  await row.click();
  await expect.poll(() => page.url()).toContain(`?alert=${alert.id}`);
  const detail = page.getByTestId('alert-detail');
  await detail.getByTestId('alert-figures').waitFor();
  expect(await detail.getByTestId('alert-figure-attainment').innerText()).toMatch(/^\d+(\.\d)?%$/);
  expect(await detail.getByTestId('alert-figure-target').innerText()).toMatch(/万$/);
  await chartsFinished(page);
  expect(await detail.getByTestId('alert-history').innerText()).toContain('触发');
  await page.screenshot({ path: join(screenshotDir, 'inbox-alert-zh.png') });

  // When he acknowledges it with a note
  await detail.getByTestId('alert-acknowledge').click();
  await page.getByTestId('alert-form-acknowledge').locator('textarea').fill('本周约谈');
  await page.getByTestId('alert-action-ok').click();

  // Then it is acknowledged, in the history under his name, and on the server
  await expect.poll(() => detail.getByTestId('alert-state').innerText()).toBe('已确认');
  await expect.poll(() => detail.getByTestId('alert-history').innerText()).toContain('本周约谈');
  expect(await detail.getByTestId('alert-history').innerText()).toMatch(/确认收到 · \S+/);
  const stored = await page.request.get(`${e2e.server.url}/api/alerts/${alert.id}`);
  expect(((await stored.json()) as Listed).state).toBe('acknowledged');
  await expect(detail.getByTestId('alert-acknowledge').count()).resolves.toBe(0);

  // When he starts a target review from it, he is taken to the adjustment request for this alert
  await detail.getByTestId('alert-open-review').click();
  await page.waitForURL(
    (url) =>
      url.pathname === '/adjustments/new' && url.searchParams.get('alert') === String(alert.id),
  );

  // And the link a message carries ('/?alert=<id>') opens the same alert, in English too
  await page.request.put(`${e2e.server.url}/api/auth/me/preferences`, { data: { locale: 'en' } });
  try {
    await page.goto(`${e2e.server.url}/?alert=${alert.id}`);
    await expect.poll(() => detail.getByTestId('alert-state').innerText()).toBe('Acknowledged');
    await chartsFinished(page);
    await page.screenshot({ path: join(screenshotDir, 'inbox-alert-en.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.url()).not.toContain('alert=');
    await page.screenshot({ path: join(screenshotDir, 'inbox-manager-en.png'), fullPage: true });
  } finally {
    await page.request.put(`${e2e.server.url}/api/auth/me/preferences`, {
      data: { locale: 'zh-CN' },
    });
  }
  await context.close();
});

it('a rep reads his own alerts on a phone: the alert takes the whole screen, nothing scrolls sideways', async () => {
  const context = await e2e.newContext({
    viewport: { width: 390, height: 844 },
    locale: 'zh-CN',
    isMobile: true,
    hasTouch: true,
  });
  const page = await context.newPage();
  await login(page, e2e.server.url, 'rep.zhang');
  // He lands on the inbox, with his month's numbers below it
  await page.getByTestId('inbox').waitFor();
  await page.getByTestId('dashboard-month-actual').waitFor();
  expect(await page.getByTestId('inbox-tab-team').count()).toBe(0);
  const mine = await page.request.get(`${e2e.server.url}/api/alerts?view=mine&state=active`);
  const items = ((await mine.json()) as { items: Listed[] }).items;
  expect(await page.getByTestId('inbox').locator('[data-testid^=alert-row-]').count()).toBe(
    items.length,
  );
  const width = () => page.evaluate(() => document.documentElement.scrollWidth);
  expect(await width()).toBeLessThanOrEqual(390);
  await page.screenshot({ path: join(screenshotDir, 'inbox-phone.png'), fullPage: true });
  if (items.length > 0) {
    await page.getByTestId(`alert-row-${items[0]!.id}`).click();
    await page.getByTestId('alert-history').waitFor();
    // The drawer is the whole screen: its content spans the width less its padding
    const box = await page.getByTestId('alert-detail').boundingBox();
    expect(box!.width).toBeGreaterThanOrEqual(390 - 2 * 12);
    expect(await width()).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(screenshotDir, 'inbox-alert-phone.png') });
  }
  await context.close();
});

it('an admin tightens a rule and switches one off; the versions say what changed; a manager has no rules page', async () => {
  const context = await e2e.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await login(page, e2e.server.url, 'admin');
  await page.getByTestId('menu-alertRules').click();
  await page.getByTestId('alert-rules-table').waitFor();
  const rules = (await (await page.request.get(`${e2e.server.url}/api/alert-rules`)).json()) as {
    id: number;
    kind: string;
    threshold: number;
    enabled: boolean;
  }[];
  const review = rules.find((r) => r.kind === 'attainment_review')!;
  const before = review.threshold / 100;

  // When the admin lowers the review threshold by 5 points
  await page.getByTestId(`alert-rule-edit-${review.id}`).click();
  const threshold = page.getByTestId('alert-rule-form').locator('input#threshold');
  await threshold.fill('');
  await threshold.fill(String(before - 5));
  await page.getByTestId('alert-rule-save').click();

  // Then the list shows it and the versions name the change
  await expect
    .poll(() => page.getByTestId(`alert-rule-threshold-${review.id}`).innerText())
    .toBe(`${before - 5}%`);
  await page.getByTestId(`alert-rule-history-${review.id}`).click();
  await expect
    .poll(() => page.getByTestId('alert-rule-versions').innerText())
    .toContain(`阈值：${before}% → ${before - 5}%`);
  await page.screenshot({ path: join(screenshotDir, 'alert-rules-versions-zh.png') });
  await page.keyboard.press('Escape');

  // And a bad threshold is refused in the form, naming the field
  await page.getByTestId(`alert-rule-edit-${review.id}`).click();
  await threshold.fill('');
  await threshold.fill('150');
  await page.getByTestId('alert-rule-save').click();
  await expect.poll(() => page.getByTestId('alert-rule-form').innerText()).toContain('0 – 100');
  await page.keyboard.press('Escape');

  // When he switches the rule off, the server has it off
  await page.getByTestId(`alert-rule-enabled-${review.id}`).click();
  await expect
    .poll(async () => {
      const all = (await (await page.request.get(`${e2e.server.url}/api/alert-rules`)).json()) as {
        id: number;
        enabled: boolean;
      }[];
      return all.find((r) => r.id === review.id)?.enabled;
    })
    .toBe(false);
  await page.screenshot({ path: join(screenshotDir, 'alert-rules-zh.png'), fullPage: true });

  // And in English, every kind and setting is named in English
  await page.request.put(`${e2e.server.url}/api/auth/me/preferences`, { data: { locale: 'en' } });
  try {
    await page.reload();
    const table = page.getByTestId('alert-rules-table');
    await expect.poll(() => table.innerText()).toContain('Attainment review');
    expect(await table.innerText()).not.toMatch(/[\u4e00-\u9fff]/);
    await page.screenshot({ path: join(screenshotDir, 'alert-rules-en.png'), fullPage: true });
  } finally {
    await page.request.put(`${e2e.server.url}/api/auth/me/preferences`, {
      data: { locale: 'zh-CN' },
    });
  }
  await context.close();

  // A manager has neither the menu entry nor the page
  const other = await e2e.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  const manager = await other.newPage();
  await login(manager, e2e.server.url, 'east.mgr');
  await manager.getByTestId('menu-tracking').waitFor();
  expect(await manager.getByTestId('menu-alertRules').count()).toBe(0);
  await manager.goto(`${e2e.server.url}/alert-rules`);
  await expect.poll(() => manager.getByText('您没有访问此页面的权限').count()).toBe(1);
  await other.close();
});
