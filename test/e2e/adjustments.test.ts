import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { chinaToday } from '../../src/app/clock.ts';
import { login, screenshotDir, useDemoBrowser } from './support/server.ts';

const e2e = useDemoBrowser();

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(screenshotDir, `adjustments-${name}.png`), fullPage: true });

/** An antd InputNumber's <input>, wherever the test id lands (wrapper or the input itself). */
const numberInput = (page: Page, testId: string) =>
  page.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first();

it('a region manager asks for a lower team target from an alert, the director approves, the dashboard and the why panel follow', async () => {
  const db = e2e.server.conn.db;
  const month = chinaToday(new Date()).slice(0, 7);
  const regionMgr = await db
    .selectFrom('users')
    .select('member_id')
    .where('username', '=', 'west.mgr')
    .executeTakeFirstOrThrow();
  const region = await db
    .selectFrom('org_units')
    .select(['id'])
    .where('manager_member_id', '=', regionMgr.member_id)
    .executeTakeFirstOrThrow();
  // The demo opens with the West region under 70% two months running: its review alert.
  const alert = await db
    .selectFrom('alerts')
    .select(['id', 'period'])
    .where('subject_type', '=', 'unit')
    .where('subject_id', '=', region.id)
    .where('state', '=', 'open')
    .executeTakeFirstOrThrow();
  const team = await db
    .selectFrom('org_units')
    .select(['id'])
    .where('parent_id', '=', region.id)
    .orderBy('sort_order')
    .executeTakeFirstOrThrow();
  const active = await db
    .selectFrom('plan_versions as v')
    .innerJoin('plans as p', 'p.id', 'v.plan_id')
    .select(['v.id'])
    .where('v.status', '=', 'active')
    .orderBy('p.fiscal_year', 'desc')
    .executeTakeFirstOrThrow();
  const revenue = await db
    .selectFrom('metrics')
    .select('id')
    .where('code', '=', 'revenue')
    .executeTakeFirstOrThrow();
  const teamCell = () =>
    db
      .selectFrom('target_cells')
      .select(['id', 'value'])
      .where('version_id', '=', active.id)
      .where('metric_id', '=', revenue.id)
      .where('owner_type', '=', 'unit')
      .where('owner_id', '=', team.id)
      .where('period', '=', month)
      .where('product_line_id', '=', 0)
      .where('region_id', '=', 0)
      .where('segment_id', '=', 0)
      .where('channel_id', '=', 0)
      .where('lifecycle', '=', '')
      .executeTakeFirstOrThrow();
  const before = await teamCell();
  // About 8% lower, in whole 万元 (1万元 = 1,000,000 fen).
  const newWan = Math.floor((before.value * 0.92) / 1_000_000);
  expect(newWan).toBeGreaterThan(0);

  // Given the region manager, opening a target review from an alert.
  const mgrContext = await e2e.newContext({
    viewport: { width: 1500, height: 1000 },
    locale: 'zh-CN',
  });
  const mgr = await mgrContext.newPage();
  await login(mgr, e2e.server.url, 'west.mgr');
  await mgr.goto(`${e2e.server.url}/adjustments/new?alert=${alert.id}`);
  await mgr.getByTestId('adjust-cells').waitFor();
  await expect.poll(() => mgr.getByTestId('adjust-alert').innerText()).toContain(`${alert.id}`);
  await expect
    .poll(() => mgr.getByTestId('adjust-alert-title').innerText())
    .toContain(alert.period);
  // When he types the team's new target for the open month, Then the preview shows the diff.
  const input = numberInput(mgr, `adjust-input-unit:${team.id}-${month}`);
  await input.fill(String(newWan));
  await input.blur();
  const diff = mgr.getByTestId('adjustment-diff');
  await diff.waitFor();
  await expect.poll(() => diff.locator('tbody tr').count()).toBeGreaterThan(1);
  await expect.poll(() => mgr.getByTestId('adjustment-chain').innerText()).toContain('销售总监');
  await mgr.getByTestId('adjust-reason').fill('竞品降价，客户预算下调');
  await shot(mgr, '1-preview');
  await mgr.getByTestId('adjust-send').click();
  await mgr.waitForURL(/\/adjustments\/\d+$/);
  const requestId = Number(/adjustments\/(\d+)/.exec(mgr.url())?.[1]);
  await expect.poll(() => mgr.getByTestId('adjustment-state').innerText()).toBe('审批中');
  expect((await teamCell()).value).toBe(before.value);

  // When the director opens the request awaiting him and approves it.
  const dirContext = await e2e.newContext({
    viewport: { width: 1500, height: 1000 },
    locale: 'zh-CN',
  });
  const dir = await dirContext.newPage();
  await login(dir, e2e.server.url, 'director');
  // The request waits in his inbox (工作台) and in the adjustments list.
  await dir.goto(`${e2e.server.url}/adjustments`);
  await dir.getByTestId('adjustments-list').getByText(`#${requestId}`).waitFor();
  await dir.goto(`${e2e.server.url}/`);
  await dir.getByTestId(`awaiting-${requestId}`).click();
  await dir.waitForURL(new RegExp(`/adjustments/${requestId}$`));
  await dir.getByTestId('adjustment-comment').fill('同意');
  await dir.getByTestId('adjustment-approve').click();
  await expect.poll(() => dir.getByTestId('adjustment-state').innerText()).toBe('已生效');
  await shot(dir, '2-applied');
  expect((await teamCell()).value).toBe(newWan * 1_000_000);

  // Then the dashboard shows the team's new target for the month.
  await dir.goto(`${e2e.server.url}/tracking?unit=${team.id}`);
  const target = dir.getByTestId('kpi-target');
  await target.waitFor();
  const expected = new Intl.NumberFormat('en-US').format(newWan);
  await expect.poll(() => target.innerText(), { timeout: 60_000 }).toContain(expected);
  await shot(dir, '3-dashboard');

  // And the why panel of the team's cell names the request.
  await dir.goto(`${e2e.server.url}/plans/versions/${active.id}?tab=grid`);
  await dir.getByTestId(`cell-unit:${team.id}-${month}`).click();
  const why = dir.getByTestId('why-panel');
  await why.waitFor();
  await expect
    .poll(() => why.getByTestId('why-adjustment').first().innerText())
    .toContain(`#${requestId}`);
  await shot(dir, '4-why');
});
