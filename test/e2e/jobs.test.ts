import { join } from 'node:path';
import { expect, it } from 'vitest';
import { login, screenshotDir, useDemoBrowser } from './support/server.ts';

const e2e = useDemoBrowser();

it('an admin follows background imports on the jobs page: the refused one names its rows, the done one its counts, in both languages and on a phone', async () => {
  // Given two large files queued as background imports: one names a member who does not exist
  const rep = await e2e.server.conn.db
    .selectFrom('members')
    .select('code')
    .orderBy('code')
    .executeTakeFirstOrThrow();
  const csv = (prefix: string, member: string) =>
    [
      '订单行号,下单日期,销售工号,金额',
      ...Array.from({ length: 2500 }, (_, i) => `${prefix}-${i},2026-01-05,${member},${i + 1}`),
    ].join('\n');
  const context = await e2e.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await login(page, e2e.server.url, 'admin');
  const queue = async (name: string, body: string) => {
    const res = await page.request.post(`${e2e.server.url}/api/facts/orders/import?async=true`, {
      multipart: { file: { name, mimeType: 'text/csv', buffer: Buffer.from(body) } },
    });
    expect(res.status()).toBe(202);
    return Number(((await res.json()) as { jobId: string }).jobId);
  };
  const bad = await queue('bad.csv', csv('E2E-BAD', 'NO-SUCH-REP'));
  const good = await queue('good.csv', csv('E2E-OK', rep.code));

  // When the admin opens 后台任务 from the menu
  await page.getByTestId('menu-jobs').click();
  await page.getByTestId('jobs-table').waitFor();

  // Then both jobs end, and each says what happened, with the refused rows named
  await expect
    .poll(() => page.getByTestId(`job-state-${good}`).innerText(), { timeout: 120_000 })
    .toBe('已完成');
  await expect.poll(() => page.getByTestId(`job-state-${bad}`).innerText()).toBe('失败');
  expect(await page.getByTestId(`job-error-${bad}`).textContent()).toMatch(
    /文件有 2500 处错误，未做任何更改.*第 2 行 销售工号：找不到销售人员“NO-SUCH-REP”/,
  );
  await expect.poll(() => page.getByText('新增 2,500 · 更新 0 · 未变 0 · 拒绝 0').count()).toBe(1);
  await page.screenshot({ path: join(screenshotDir, 'jobs-zh.png'), fullPage: true });

  // And in English
  await page.request.put(`${e2e.server.url}/api/auth/me/preferences`, { data: { locale: 'en' } });
  await page.reload();
  await expect.poll(() => page.getByTestId(`job-state-${good}`).innerText()).toBe('Done');
  expect(await page.getByTestId(`job-error-${bad}`).textContent()).toMatch(
    /row 2 销售工号：Member "NO-SUCH-REP" not found/,
  );
  await page.request.put(`${e2e.server.url}/api/auth/me/preferences`, {
    data: { locale: 'zh-CN' },
  });

  // And on a phone the table scrolls sideways instead of squeezing its columns
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect.poll(() => page.getByTestId(`job-state-${good}`).innerText()).toBe('已完成');
  await page.screenshot({ path: join(screenshotDir, 'jobs-phone.png'), fullPage: true });
  await context.close();
});

it('a region manager exports the customers list in the background and downloads it from the jobs page', async () => {
  const context = await e2e.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await login(page, e2e.server.url, 'east.mgr');
  await page.goto(`${e2e.server.url}/customers`);
  // When he picks 后台导出 from the export menu
  await page.getByTestId('export-button-customers').hover();
  await page.getByTestId('export-background-customers').click();
  // Then he is told where the file will be, and the jobs page offers it when done
  await page.getByTestId('export-job-started').waitFor();
  await page.getByTestId('export-job-started').getByRole('link').click();
  await page.getByTestId('jobs-table').waitFor();
  const link = page.locator('[data-testid^=job-file-]').first();
  await expect.poll(() => link.count(), { timeout: 120_000 }).toBe(1);
  expect(await link.innerText()).toMatch(/^下载 customers-\d{4}-\d{2}-\d{2}\.xlsx（[\d,]+ 行）$/);
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toMatch(/^customers-.*\.xlsx$/);
  await page.screenshot({ path: join(screenshotDir, 'jobs-export.png'), fullPage: true });
  await context.close();
});
