import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { login, screenshotDir, useDemoBrowser } from './support/server.ts';

const e2e = useDemoBrowser();

/** An antd InputNumber's <input>, wherever the test id lands (wrapper or the input itself). */
const numberInput = (page: Page, testId: string) =>
  page.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first();

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(screenshotDir, `planning-${name}.png`), fullPage: true });

/** Σ of the root's month cells and its year cell, straight from the database. */
async function rootCells(versionId: number, rootId: number) {
  const rows = await e2e.server.conn.db
    .selectFrom('target_cells')
    .select(['period', 'value', 'locked'])
    .where('version_id', '=', versionId)
    .where('owner_type', '=', 'unit')
    .where('owner_id', '=', rootId)
    .where('product_line_id', '=', 0)
    .where('region_id', '=', 0)
    .where('segment_id', '=', 0)
    .where('channel_id', '=', 0)
    .where('lifecycle', '=', '')
    .execute();
  const months = rows.filter((r) => /^\d{4}-\d{2}$/.test(r.period));
  return {
    year: rows.find((r) => r.period.startsWith('FY'))?.value,
    months: months.length,
    sum: months.reduce((a, r) => a + r.value, 0),
  };
}

it('the director builds a plan for a new fiscal year end to end: lenses, commit, cascade, grid edits, why, submit', async () => {
  const db = e2e.server.conn.db;
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
  const [east, south] = regions;
  expect(east && south).toBeTruthy();

  const context = await e2e.newContext({
    viewport: { width: 1600, height: 1000 },
    locale: 'zh-CN',
  });
  const page = await context.newPage();
  await login(page, e2e.server.url, 'director');

  // Given the plans page, When the director creates a plan for the first fiscal year without one.
  await page.getByTestId('menu-plans').click();
  await page.getByTestId('plans-page').waitFor();
  // The demo's plan is listed (the dialog proposes the first year without one).
  await page.locator('[data-testid^="plan-FY"]').first().waitFor();
  await page.getByTestId('plan-create').click();
  const year = Number(await numberInput(page, 'plan-year').inputValue());
  expect(
    await db.selectFrom('plans').select('id').where('fiscal_year', '=', year).execute(),
  ).toEqual([]);
  await page.getByTestId('plan-create-ok').click();
  await page.getByTestId('lenses-tab').waitFor();
  const versionId = Number(/versions\/(\d+)/.exec(page.url())?.[1]);
  expect(versionId).toBeGreaterThan(0);

  // Then last year's actual is pre-filled from the rollups (a non-zero number, still editable).
  await page.getByTestId('lens-last-year-note').waitFor();
  expect(await page.getByTestId('lens-last-year').inputValue()).toMatch(/[1-9]/);
  await shot(page, '0-prefilled');

  // Then the three lenses compute side by side with their gaps and a verdict.
  await page.getByTestId('lens-last-year').fill('1000万');
  await numberInput(page, 'lens-growth').fill('30');
  await page.getByTestId('lenses-compute').click();
  await page.getByTestId('lenses-verdict').waitFor();
  await expect
    .poll(() => page.getByTestId('lens-topdown-value').innerText())
    .toContain('1,300.00万');
  expect(await page.getByTestId('lens-bottomup-value').innerText()).toMatch(/\d/);
  expect(await page.getByTestId('lens-funnel-value').innerText()).toMatch(/\d/);
  await page.getByTestId('capacity-chart').locator('canvas').first().waitFor();
  await page.getByTestId('funnel-channels').waitFor();
  await shot(page, '1-lenses');

  // When the top-down number is adopted and committed, Then the tiers show (sprint = +buffer).
  await page.getByTestId('lens-topdown-value-adopt').click();
  await expect.poll(() => page.getByTestId('commit-target').inputValue()).toContain('1,300');
  await page.getByTestId('commit-submit').click();
  await expect.poll(() => page.getByTestId('header-committed').innerText()).toContain('1,300.00万');
  await page.getByTestId('tier-sprint').waitFor();
  expect(await page.getByTestId('tier-base').innerText()).toContain('1,040.00万');
  await shot(page, '2-committed');

  // When the whole plan is built with quarter weights 40/25/30/5 and an equal split per head.
  await page.getByTestId('tab-decompose').click();
  await page.getByTestId('decompose-tab').waitFor();
  // (The history option pre-fills past years' actuals and shows each month's share.)
  await page.getByTestId('time-history').click();
  await page.getByTestId('history-prefilled').waitFor();
  await expect.poll(() => page.getByTestId('history-share-0').innerText()).toMatch(/^\d+\.\d%$/);
  await page.getByTestId('season-chart').locator('canvas').first().waitFor();
  await shot(page, '3-history');
  await page.getByTestId('time-quarter').click();
  for (const [q, pct] of [
    [1, '40'],
    [2, '25'],
    [3, '30'],
    [4, '5'],
  ] as const) {
    const input = numberInput(page, `quarter-${q}`);
    await input.fill(pct);
  }
  await page.getByTestId('season-chart').locator('canvas').first().waitFor();
  await shot(page, '3-decompose');
  await page.getByTestId('build-plan').click();
  await page.getByTestId('build-ok').click();

  // Then the grid shows the committed total, and the months add up to it exactly.
  const grid = page.getByTestId('target-grid');
  await grid.waitFor();
  const rootRef = `unit:${root.id}`;
  await expect.poll(() => page.getByTestId(`total-${rootRef}`).innerText()).toBe('1,300.00');
  const cells = await rootCells(versionId, root.id);
  expect(cells).toEqual({ year: 1_300_000_000, months: 12, sum: 1_300_000_000 });
  expect(await page.getByTestId(`check-${rootRef}`).count()).toBe(0);
  await shot(page, '4-grid');
  const href = await page.getByTestId('grid-export').getAttribute('href');
  const xlsx = await page.request.get(`${e2e.server.url}${href}`);
  expect(xlsx.status()).toBe(200);
  expect(xlsx.headers()['content-type']).toContain('spreadsheetml');

  // When a cell is locked and another edited (batch save with the version).
  const eastCell = grid.locator(`[data-testid^="cell-unit:${east!.id}-"]`).first();
  const lockSouth = grid.locator(`[data-testid^="lock-unit:${south!.id}-"]`).first();
  const southBefore = await grid
    .locator(`[data-testid^="cell-unit:${south!.id}-"]`)
    .first()
    .innerText();
  await lockSouth.click();
  await eastCell.dblclick();
  const input = page.getByTestId('grid-cell-input');
  await input.fill('60万');
  await input.press('Enter');
  await expect.poll(() => eastCell.innerText()).toBe('60.00');
  await shot(page, '5-pending');
  await page.getByTestId('grid-save').click();

  // Then the edit stands, the locked sibling kept its number, and the root still adds up.
  await expect.poll(() => page.getByTestId('grid-save').isDisabled()).toBe(true);
  await expect.poll(() => eastCell.innerText()).toBe('60.00');
  expect(await grid.locator(`[data-testid^="cell-unit:${south!.id}-"]`).first().innerText()).toBe(
    southBefore,
  );
  expect(await page.getByTestId(`total-${rootRef}`).innerText()).toBe('1,300.00');
  const locked = await db
    .selectFrom('target_cells')
    .select(['owner_id', 'value'])
    .where('version_id', '=', versionId)
    .where('owner_type', '=', 'unit')
    .where('locked', '=', 1)
    .execute();
  expect(locked.map((l) => l.owner_id).sort()).toEqual([east!.id, south!.id].sort());
  expect(locked.find((l) => l.owner_id === east!.id)?.value).toBe(60_000_000);
  await shot(page, '6-saved');

  // When a cell is clicked, Then the why panel explains the chain up to the committed target.
  await eastCell.click();
  const why = page.getByTestId('why-panel');
  await why.waitFor();
  await expect.poll(() => why.innerText()).toContain('组织');
  const whyText = await why.innerText();
  expect(whyText).toContain('季度占比');
  expect(whyText).toContain('承诺目标');
  await shot(page, '7-why');
  await page.keyboard.press('Escape');

  // When the draft is submitted, Then it is read-only and marked submitted.
  await page.getByTestId(`workflow-submit-${versionId}`).click();
  await page.getByTestId('workflow-ok-submit').click();
  await page.getByTestId('status-submitted').first().waitFor();
  const v = await db
    .selectFrom('plan_versions')
    .select(['status', 'committed_target'])
    .where('id', '=', versionId)
    .executeTakeFirstOrThrow();
  expect(v).toEqual({ status: 'submitted', committed_target: 1_300_000_000 });
  await shot(page, '8-submitted');

  // And the monthly target table lists the month's targets.
  await page.getByTestId('tab-monthly').click();
  await page.getByTestId('monthly-table').locator('tbody tr').nth(2).waitFor();
  await shot(page, '9-monthly');
  await context.close();
}, 180_000);

it('a planner fits a month’s teams × product lines to both margins, and a transfer decides the remaining target', async () => {
  const db = e2e.server.conn.db;
  const context = await e2e.newContext({
    viewport: { width: 1600, height: 1000 },
    locale: 'zh-CN',
  });
  const page = await context.newPage();
  await login(page, e2e.server.url, 'director');

  // Given a draft copy of the demo's active plan (elapsed months frozen)
  const activeVersion = await db
    .selectFrom('plan_versions')
    .select(['id'])
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  const copy = await page.request.post(
    `${e2e.server.url}/api/plan-versions/${activeVersion.id}/copy`,
  );
  expect(copy.status()).toBe(201);
  const draft = (await copy.json()) as { id: number; frozenBefore: string | null };

  // When the director opens the matrix on the decompose tab (the company, the first open month,
  // regions × product lines, seeded with last year's actuals), previews and applies it
  await page.goto(`${e2e.server.url}/plans/versions/${draft.id}`);
  await page.getByTestId('tab-decompose').click();
  const panel = page.getByTestId('matrix-panel');
  await panel.waitFor();
  await page.getByTestId('matrix-table').locator('tbody tr').nth(1).waitFor();
  expect(await page.getByTestId('matrix-problem').count()).toBe(0);
  await page.getByTestId('matrix-preview').click();
  await page.getByTestId('matrix-fitted').waitFor();
  await shot(page, '10-matrix-preview');
  await page.getByTestId('matrix-apply').click();
  await expect
    .poll(async () =>
      db
        .selectFrom('target_splits')
        .select('id')
        .where('version_id', '=', draft.id)
        .where('method', '=', 'matrix_fit')
        .execute()
        .then((r) => r.length),
    )
    .toBeGreaterThan(2);

  // Then every row and column of the stored matrix adds up exactly to its margin cell
  const splits = await db
    .selectFrom('target_splits')
    .select(['id', 'parent_key', 'inputs'])
    .where('version_id', '=', draft.id)
    .where('method', '=', 'matrix_fit')
    .execute();
  for (const s of splits) {
    const kids = await db
      .selectFrom('target_cells')
      .select('value')
      .where('split_id', '=', s.id)
      .execute();
    const k = JSON.parse(s.parent_key) as Record<string, string | number>;
    const parent = await db
      .selectFrom('target_cells')
      .select('value')
      .where('version_id', '=', draft.id)
      .where('owner_type', '=', k.ownerType as 'unit')
      .where('owner_id', '=', Number(k.ownerId))
      .where('period', '=', String(k.period))
      .where('product_line_id', '=', Number(k.productLineId))
      .where('region_id', '=', Number(k.regionId))
      .where('segment_id', '=', 0)
      .where('channel_id', '=', 0)
      .where('lifecycle', '=', '')
      .executeTakeFirstOrThrow();
    expect(kids.reduce((a, c) => a + c.value, 0)).toBe(parent.value);
  }
  await shot(page, '11-matrix-applied');

  // When a rep moves to a sibling team from the 1st of next month, through the members page
  const rep = await db
    .selectFrom('users as us')
    .innerJoin('members as m', 'm.id', 'us.member_id')
    .innerJoin('member_units as mu', 'mu.member_id', 'm.id')
    .innerJoin('org_units as u', 'u.id', 'mu.org_unit_id')
    .select(['m.id', 'm.code', 'm.name_zh', 'u.id as unit_id', 'u.parent_id'])
    .where('us.username', '=', 'rep.zhang')
    .where('mu.end_date', 'is', null)
    .executeTakeFirstOrThrow();
  const sibling = await db
    .selectFrom('org_units')
    .select(['id', 'name_zh'])
    .where('parent_id', '=', rep.parent_id)
    .where('id', '!=', rep.unit_id)
    .orderBy('sort_order')
    .executeTakeFirstOrThrow();
  const now = new Date(Date.now() + 8 * 3600_000); // China time
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  const date = next.toISOString().slice(0, 10);
  const preview = await page.request.get(
    `${e2e.server.url}/api/members/${rep.id}/transfer-targets?unitId=${sibling.id}&date=${date}`,
  );
  const remaining = (await preview.json()) as { needsDecision: boolean };

  await page.getByTestId('menu-members').click();
  await page.getByTestId('members-table').waitFor();
  await page.getByTestId('member-search').locator('input').fill(rep.code);
  await page.getByTestId('member-search').locator('input').press('Enter');
  await page.getByTestId(`member-transfer-${rep.code}`).click();
  const dialog = page.getByTestId('transfer-form');
  await dialog.waitFor();
  await dialog.locator('.ant-select').first().click();
  await page.keyboard.type(sibling.name_zh);
  await page
    .locator('.ant-select-tree-node-content-wrapper', { hasText: sibling.name_zh })
    .first()
    .click();
  const dateInput = dialog.locator('.ant-picker input');
  await dateInput.click();
  await dateInput.fill(date);
  await dateInput.press('Enter');
  if (remaining.needsDecision) {
    // Then the dialog shows what the member still carries and asks what happens to it
    await page.getByTestId('transfer-targets').waitFor();
    // The date picker's popup fades out after Enter: wait until it is gone before the picture.
    await page.locator('.ant-picker-dropdown').waitFor({ state: 'hidden' });
    await shot(page, '12-transfer-decision');
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('请选择如何处理剩余目标').waitFor();
    await page.getByTestId('transfer-decision-move').click();
  } else {
    await page.getByTestId('transfer-no-targets').waitFor();
  }
  await page.getByRole('button', { name: /保\s*存/ }).click();
  await expect
    .poll(() =>
      db
        .selectFrom('member_units')
        .select('org_unit_id')
        .where('member_id', '=', rep.id)
        .where('end_date', 'is', null)
        .executeTakeFirst()
        .then((r) => r?.org_unit_id),
    )
    .toBe(sibling.id);
  if (remaining.needsDecision) {
    // And the member's remaining months now sit under the new team, in the active plan and the draft
    const moved = await db
      .selectFrom('target_cells as c')
      .innerJoin('target_splits as s', 's.id', 'c.split_id')
      .select(['s.parent_key'])
      .where('c.owner_type', '=', 'member')
      .where('c.owner_id', '=', rep.id)
      .where('c.period', '=', date.slice(0, 7))
      .where('c.version_id', 'in', [activeVersion.id, draft.id])
      .where('s.axis', '=', 'org')
      .execute();
    expect(moved.length).toBeGreaterThanOrEqual(2);
    for (const m of moved) expect(JSON.parse(m.parent_key).ownerId).toBe(sibling.id);
    const log = await db
      .selectFrom('audit_log')
      .select(['after'])
      .where('action', '=', 'transfer_targets')
      .execute();
    expect(log.length).toBeGreaterThanOrEqual(2);
    for (const l of log) expect(JSON.parse(l.after ?? '{}').decision).toBe('move');
  }
  await context.close();
}, 180_000);
