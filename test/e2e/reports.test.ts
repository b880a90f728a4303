import { join } from 'node:path';
import { expect, it } from 'vitest';
import { login, screenshotDir, useDemoBrowser } from './support/server.ts';

const e2e = useDemoBrowser();

it('the director reads the daily report of the company, copies it as the group receives it, then the weekly sheet; in English and on a phone too', async () => {
  const context = await e2e.newContext({
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = await context.newPage();
  await login(page, e2e.server.url, 'director');

  // Given the report the API gives for the director's own unit (the company), yesterday
  const api = await page.request.get(`${e2e.server.url}/api/reports/battle`, {
    headers: { 'x-locale': 'zh-CN' },
  });
  expect(api.status()).toBe(200);
  const { report, text } = await api.json();

  // When the director opens 每日战报 from the menu
  await page.getByTestId('menu-battleReport').click();
  await page.getByTestId('battle-report-page').waitFor();
  await page.getByTestId('message-preview').waitFor();

  // Then the page shows the same figures and ranking as the message
  await expect.poll(() => page.getByTestId('report-heading').innerText()).toContain(report.date);
  expect(await page.getByTestId('leader-row').count()).toBe(report.leaders.top.length);
  if (report.leaders.behind) await page.getByTestId('behind-row').waitFor();
  const preview = await page.getByTestId('message-preview').innerText();
  for (const line of text['zh-CN'].lines as string[])
    expect(preview).toContain(line.replace(/\*\*/g, '').replace(/^- /, ''));
  await page.screenshot({ path: join(screenshotDir, 'reports-battle-zh.png'), fullPage: true });

  // And "copy as text" puts the Chinese message on the clipboard
  await page.getByTestId('copy-text').locator('button').first().click();
  await expect
    .poll(() => page.evaluate(() => navigator.clipboard.readText()))
    .toBe([`**${text['zh-CN'].title}**`, ...text['zh-CN'].lines].join('\n'));

  // The weekly sheet of the week holding yesterday
  await page.getByTestId('menu-weeklySheet').click();
  await page.getByTestId('weekly-sheet-page').waitFor();
  await page.getByTestId('message-preview').waitFor();
  await page.screenshot({ path: join(screenshotDir, 'reports-weekly-zh.png'), fullPage: true });

  // In English
  const en = await e2e.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en' });
  const enPage = await en.newPage();
  await login(enPage, e2e.server.url, 'east.mgr');
  // The language is the user's saved choice (the header's switch saves it).
  await enPage.request.put(`${e2e.server.url}/api/auth/me/preferences`, {
    data: { locale: 'en' },
  });
  await enPage.goto(`${e2e.server.url}/reports/battle`);
  await enPage.getByTestId('message-preview').waitFor();
  await expect
    .poll(() => enPage.getByTestId('message-preview').innerText())
    .toContain('Month to date');
  await enPage.screenshot({ path: join(screenshotDir, 'reports-battle-en.png'), fullPage: true });
  await enPage.goto(`${e2e.server.url}/reports/weekly`);
  await enPage.getByTestId('message-preview').waitFor();
  await enPage.screenshot({ path: join(screenshotDir, 'reports-weekly-en.png'), fullPage: true });

  // On a phone
  const phone = await e2e.newContext({
    viewport: { width: 390, height: 844 },
    locale: 'zh-CN',
    isMobile: true,
    hasTouch: true,
  });
  const phonePage = await phone.newPage();
  await login(phonePage, e2e.server.url, 'south.mgr');
  await phonePage.goto(`${e2e.server.url}/reports/battle`);
  await phonePage.getByTestId('message-preview').waitFor();
  const overflow = await phonePage.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  await phonePage.screenshot({
    path: join(screenshotDir, 'reports-battle-phone.png'),
    fullPage: true,
  });

  // A rep has no unit report: the menu does not offer it
  const rep = await e2e.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  const repPage = await rep.newPage();
  await login(repPage, e2e.server.url, 'rep.zhang');
  expect(await repPage.getByTestId('menu-battleReport').count()).toBe(0);
});

it('an admin changes when the daily report goes out', async () => {
  const context = await e2e.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await login(page, e2e.server.url, 'admin');
  await page.goto(`${e2e.server.url}/reports/battle`);
  await page.getByTestId('schedule-open').click();
  const form = page.getByTestId('schedule-form');
  await form.waitFor();
  // the battle report's time: 08:30 → 09:00
  await form.locator('.ant-select').first().click();
  await page
    .locator('.ant-select-item-option')
    .filter({ hasText: /^09:00$/ })
    .click();
  await page.screenshot({ path: join(screenshotDir, 'reports-schedule-zh.png') });
  await page.locator('.ant-modal-footer .ant-btn-primary').click();
  await expect
    .poll(async () => {
      const res = await page.request.get(`${e2e.server.url}/api/reports/schedule`);
      return (await res.json()).battle.atMinute;
    })
    .toBe(540);
});
