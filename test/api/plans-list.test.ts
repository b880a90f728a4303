import { expect, it } from 'vitest';
import { useApp } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';

interface ListedPlan {
  fiscalYear: number;
  versions: { id: number; number: number; status: string }[];
}

describeEachDialect('plans: the version list by role', (t) => {
  const h = useApp(t);

  it('lists no draft to a rep, while planners, finance and viewers still see every version', async () => {
    // Given a plan whose version 1 is active and version 2 a draft, and a plan with only a draft
    const created = await h.call('admin', 'POST', '/api/plans', {
      fiscalYear: 2026,
      nameZh: '2026年计划',
      nameEn: 'Plan 2026',
    });
    expect(created.statusCode, created.body).toBe(201);
    const v1 = (created.json() as ListedPlan).versions[0]!.id;
    // (the workflow to active is tested in plans.test.ts; here only the status matters)
    await t.db
      .updateTable('plan_versions')
      .set({ status: 'active' })
      .where('id', '=', v1)
      .execute();
    const copy = await h.call('admin', 'POST', `/api/plan-versions/${v1}/copy`);
    expect(copy.statusCode, copy.body).toBe(201);
    const v2 = (copy.json() as { id: number }).id;
    const next = await h.call('admin', 'POST', '/api/plans', {
      fiscalYear: 2027,
      nameZh: '2027年计划',
      nameEn: 'Plan 2027',
    });
    expect(next.statusCode, next.body).toBe(201);
    const draft2027 = (next.json() as ListedPlan).versions[0]!.id;

    const listed = async (user: string) => {
      const res = await h.call(user, 'GET', '/api/plans');
      expect(res.statusCode, res.body).toBe(200);
      return Object.fromEntries(
        (res.json() as ListedPlan[]).map((p) => [p.fiscalYear, p.versions.map((v) => v.id)]),
      );
    };

    // When a rep lists the plans, then the active version is there and no draft is
    expect(await listed('rep1')).toEqual({ 2026: [v1], 2027: [] });
    // And the planners and the read-everything roles see the drafts as before
    for (const user of ['admin', 'mgrEast', 'finance', 'viewer'])
      expect(await listed(user)).toEqual({ 2026: [v1, v2], 2027: [draft2027] });
  });
});
