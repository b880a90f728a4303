import { describe, expect, it } from 'vitest';
import { useApp } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';
import { multipartFile } from '../support/multipart.ts';

/**
 * Who may change what (issue 11): saved column mappings belong to whoever saved them; appointing
 * a unit's manager widens that member's scope, so it is restricted and audited; and requests
 * that were once accepted silently — an impossible transfer date, a unit code beside an owner
 * that names no unit or another unit — are clear errors in both languages.
 */
describeEachDialect('scope rules', (t) => {
  const h = useApp(t);

  describe('saved column mappings', () => {
    let id = 0;
    const mapping = { 单号: 'extId', 日期: 'date', 销售: 'ownerCode', 金额: 'amount' };

    it('Given a mapping saved by mgrEast, When mgrWest changes or deletes it, Then it is refused', async () => {
      const created = await h.call('mgrEast', 'POST', '/api/facts/mappings', {
        kind: 'orders',
        name: 'East CRM',
        mapping,
      });
      expect(created.statusCode, created.body).toBe(200);
      id = created.json().id;
      const version = created.json().version as number;
      const edit = await h.call(
        'mgrWest',
        'PUT',
        `/api/facts/mappings/${id}`,
        { version, name: 'Taken' },
        'zh-CN',
      );
      expect(edit.statusCode).toBe(403);
      expect(edit.json()).toMatchObject({
        code: 'COLUMN_MAPPING_NOT_OWNER',
        message: '只有保存该列映射的用户或管理员可以修改或删除它',
      });
      const del = await h.call('mgrWest', 'DELETE', `/api/facts/mappings/${id}`);
      expect(del.statusCode).toBe(403);
      expect(del.json().message).toBe(
        'Only the user who saved this column mapping, or an admin, may change or delete it',
      );
      // Shared for use: mgrWest still sees it, unchanged.
      const list = (await h.call('mgrWest', 'GET', '/api/facts/mappings')).json();
      expect(list).toEqual([expect.objectContaining({ id, name: 'East CRM', version })]);
    });

    it('When its owner or an admin changes it, Then it is accepted', async () => {
      const [m] = (await h.call('mgrEast', 'GET', '/api/facts/mappings')).json();
      const own = await h.call('mgrEast', 'PUT', `/api/facts/mappings/${id}`, {
        version: m.version,
        name: 'East CRM v2',
      });
      expect(own.statusCode, own.body).toBe(200);
      const admin = await h.call('admin', 'DELETE', `/api/facts/mappings/${id}`);
      expect(admin.statusCode, admin.body).toBe(200);
      expect((await h.call('admin', 'GET', '/api/facts/mappings')).json()).toEqual([]);
    });

    it('Given a mapping saved from the command line, When a manager changes it, Then it is refused', async () => {
      const { id: cli } = await t.db
        .insertInto('column_mappings')
        .values({
          kind: 'orders',
          name: 'CLI',
          mapping: JSON.stringify(mapping),
          created_by: null,
          updated_at: new Date().toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const [m] = (await h.call('mgrEast', 'GET', '/api/facts/mappings')).json();
      expect(m).toMatchObject({ id: cli, createdBy: null });
      const edit = await h.call('mgrEast', 'PUT', `/api/facts/mappings/${cli}`, {
        version: m.version,
        name: 'Mine now',
      });
      expect(edit.statusCode).toBe(403);
      expect((await h.call('admin', 'DELETE', `/api/facts/mappings/${cli}`)).statusCode).toBe(200);
    });
  });

  describe('appointing a unit manager', () => {
    const unit = async (id: number) =>
      (await h.call('admin', 'GET', `/api/org-units/${id}`)).json();
    const put = async (user: string, id: number, managerMemberId: number | null) => {
      const u = await unit(id);
      return h.call(user, 'PUT', `/api/org-units/${id}`, {
        parentId: u.parentId,
        code: u.code,
        nameZh: u.nameZh,
        nameEn: u.nameEn,
        kind: u.kind,
        managerMemberId,
        version: u.version,
      });
    };
    const appointments = async (unitId: number) =>
      t.db
        .selectFrom('audit_log')
        .select(['action', 'before', 'after'])
        .where('action', '=', 'appoint_manager')
        .where('entity_id', '=', String(unitId))
        .orderBy('id')
        .execute();

    it('When a region manager appoints a member of another region, Then it is refused and nothing changes', async () => {
      const res = await put('mgrEast', h.fx.units.t1, h.fx.members.rep4);
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('MANAGER_APPOINTMENT_FORBIDDEN');
      expect((await unit(h.fx.units.t1)).managerMemberId).toBeNull();
      // Nor the manager of another region, on a new unit.
      const created = await h.call('mgrEast', 'POST', '/api/org-units', {
        parentId: h.fx.units.east,
        code: 'T9',
        nameZh: '九组',
        nameEn: 'Team 9',
        kind: 'team',
        managerMemberId: h.fx.members.mgrWest,
      });
      expect(created.statusCode).toBe(403);
      expect(created.json().code).toBe('MANAGER_APPOINTMENT_FORBIDDEN');
      expect(await appointments(h.fx.units.t1)).toEqual([]);
    });

    it('When a region manager appoints a member of his own region below him, Then it is done and audited', async () => {
      const res = await put('mgrEast', h.fx.units.t1, h.fx.members.rep1);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().managerMemberId).toBe(h.fx.members.rep1);
      const rows = await appointments(h.fx.units.t1);
      expect(rows).toHaveLength(1);
      expect(JSON.parse(rows[0]!.before!)).toEqual({ managerMemberId: null });
      expect(JSON.parse(rows[0]!.after!)).toEqual({ managerMemberId: h.fx.members.rep1 });
      // His own unit stays out of reach (strictly below only).
      expect((await put('mgrEast', h.fx.units.east, h.fx.members.rep1)).statusCode).toBe(403);
      // Clearing narrows scope: allowed, and audited too.
      expect((await put('mgrEast', h.fx.units.t1, null)).statusCode).toBe(200);
      expect(await appointments(h.fx.units.t1)).toHaveLength(2);
    });

    it('When an admin appoints anyone, Then it is done and audited', async () => {
      const res = await put('admin', h.fx.units.t2, h.fx.members.rep4);
      expect(res.statusCode, res.body).toBe(200);
      expect(await appointments(h.fx.units.t2)).toHaveLength(1);
      expect((await put('admin', h.fx.units.t2, null)).statusCode).toBe(200);
    });

    it('When a region manager imports units naming a manager from elsewhere, Then that row is refused', async () => {
      const { payload, headers } = multipartFile(
        'org.csv',
        Buffer.from(
          '组织编码,组织名称,类型,上级组织编码,负责人工号\nT1,组织T1,团队,EAST,R4\n',
          'utf8',
        ),
      );
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/imports/org-units',
        payload,
        headers: { ...headers, cookie: await h.login('mgrEast'), 'x-locale': 'en' },
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().problems).toEqual([
        expect.objectContaining({ row: 2, code: 'MANAGER_APPOINTMENT_FORBIDDEN' }),
      ]);
      expect((await unit(h.fx.units.t1)).managerMemberId).toBeNull();
    });

    it('When a region manager imports a manager from his own region, Then it is applied and audited', async () => {
      const { payload, headers } = multipartFile(
        'org.csv',
        Buffer.from(
          '组织编码,组织名称,类型,上级组织编码,负责人工号\nT1,组织T1,团队,EAST,R2\n',
          'utf8',
        ),
      );
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/imports/org-units',
        payload,
        headers: { ...headers, cookie: await h.login('mgrEast') },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect((await unit(h.fx.units.t1)).managerMemberId).toBe(h.fx.members.rep2);
      const rows = await appointments(h.fx.units.t1);
      expect(JSON.parse(rows.at(-1)!.after!)).toEqual({ managerMemberId: h.fx.members.rep2 });
    });
  });

  describe('transfer dates', () => {
    it.each(['2026-02-30', '0000-00-00', '2026-13-01'])(
      'When a transfer is dated %s, Then it is refused with DATE_INVALID and nothing moves',
      async (date) => {
        const member = (await h.call('admin', 'GET', `/api/members/${h.fx.members.rep3}`)).json();
        const res = await h.call(
          'admin',
          'POST',
          `/api/members/${h.fx.members.rep3}/transfer`,
          { unitId: h.fx.units.t1, date, version: member.version },
          'zh-CN',
        );
        expect(res.statusCode).toBe(400);
        expect(res.json()).toMatchObject({
          code: 'DATE_INVALID',
          message: `日期格式不正确：“${date}”（应为 YYYY-MM-DD）`,
        });
        const preview = await h.call(
          'admin',
          'GET',
          `/api/members/${h.fx.members.rep3}/transfer-targets?unitId=${h.fx.units.t1}&date=${date}`,
        );
        expect(preview.statusCode).toBe(400);
        expect(preview.json().code).toBe('DATE_INVALID');
        const rows = await t.db
          .selectFrom('member_units')
          .select(['org_unit_id', 'start_date', 'end_date'])
          .where('member_id', '=', h.fx.members.rep3)
          .execute();
        expect(rows).toEqual([
          { org_unit_id: h.fx.units.t2, start_date: '2024-01-01', end_date: null },
        ]);
      },
    );
  });

  it('When a members import dates a transfer 2026-02-30, Then that cell is refused', async () => {
    const { payload, headers } = multipartFile(
      'm.csv',
      Buffer.from(
        '工号,姓名,职级,入职日期,所属组织编码,调动生效日期\nR3,人员R3,普通,2024-01-01,T1,2026-02-30\n',
        'utf8',
      ),
    );
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/imports/members',
      payload,
      headers: { ...headers, cookie: await h.login('admin'), 'x-locale': 'en' },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().problems).toEqual([
      expect.objectContaining({ row: 2, column: '调动生效日期', code: 'DATE_INVALID' }),
    ]);
  });

  describe('a unit code beside an owner', () => {
    const batch = (row: object) =>
      h.call('admin', 'POST', '/api/facts/orders/batch', { rows: [row] }, 'en');

    it('When the unit code names no unit, Then the row is refused (it was ignored)', async () => {
      const res = await batch({
        extId: 'U-1',
        date: '2026-03-02',
        ownerCode: 'R1',
        unitCode: 'NOPE',
        amount: 1,
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().problems).toEqual([
        expect.objectContaining({ row: 1, code: 'REFERENCE_NOT_FOUND' }),
      ]);
    });

    it("When the unit code is not the owner's unit that day, Then the row is refused", async () => {
      const res = await batch({
        extId: 'U-2',
        date: '2026-03-02',
        ownerCode: 'R1',
        unitCode: 'T3',
        amount: 1,
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().problems).toEqual([
        expect.objectContaining({
          code: 'FACT_UNIT_MISMATCH',
          message: 'Unit code T3 is not the unit member R1 belonged to on 2026-03-02',
        }),
      ]);
      expect(
        await t.db
          .selectFrom('order_lines')
          .select('id')
          .where('ext_id', 'in', ['U-1', 'U-2'])
          .execute(),
      ).toEqual([]);
    });

    it("When the unit code is the owner's unit, Then the row is credited", async () => {
      const res = await batch({
        extId: 'U-3',
        date: '2026-03-02',
        ownerCode: 'R1',
        unitCode: 'T1',
        amount: 1,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ inserted: 1 });
    });
  });
});
