import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.ts';
import { exportMasterData } from '../../src/app/import-master/export-master-data.ts';
import { importMasterData } from '../../src/app/import-master/import-master-data.ts';
import { masterKindNames } from '../../src/app/import-master/kinds.ts';
import { readTable } from '../../src/app/import/read-table.ts';
import type { Actor } from '../../src/app/import-master/kind.ts';
import { describeEachDialect } from '../support/databases.ts';

const admin: Actor = {
  userId: null,
  role: 'admin',
  scope: { all: true, unitPaths: [], memberId: null },
};
const now = new Date('2026-03-16T02:00:00Z');

const csv = (lines: string[]) => Buffer.from(lines.join('\r\n'), 'utf8');

const orgCsv = csv([
  '组织编码,组织名称,英文名称,类型,上级组织编码',
  'CO,星河电商,Galaxy Commerce,公司,',
  // Children may come before their parent in the file.
  'E1,华东一组,East Team 1,团队,EAST',
  'EAST,华东大区,East,大区,CO',
  'E2,华东二组,East Team 2,团队,EAST',
]);

const memberGbk = iconv.encode(
  [
    '工号,姓名,英文名,职级,入职日期,所属组织编码',
    'S001,张伟,Zhang Wei,资深,2022-03-01,E1',
    'S002,李娜,Li Na,新人,2026/1/5,E1',
  ].join('\r\n'),
  'gbk',
);

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describeEachDialect('master data import', (t) => {
  it('Given an org file and a GBK member file, When imported, Then units and members exist with memberships', async () => {
    const org = await importMasterData(
      t.db,
      admin,
      { kind: 'org-units', buffer: orgCsv, fileName: 'org.csv' },
      now,
    );
    expect(org).toMatchObject({ rows: 4, created: 4, updated: 0, unchanged: 0 });
    const members = await importMasterData(
      t.db,
      admin,
      { kind: 'members', buffer: memberGbk, fileName: '人员.csv' },
      now,
    );
    expect(members).toMatchObject({ created: 2 });
    const units = await t.db
      .selectFrom('org_units')
      .select(['code', 'path', 'parent_id'])
      .orderBy('path')
      .execute();
    expect(units.map((u) => u.code)).toEqual(['CO', 'EAST', 'E1', 'E2']);
    const li = await t.db
      .selectFrom('member_units')
      .innerJoin('members', 'members.id', 'member_units.member_id')
      .select(['start_date', 'end_date', 'members.name_zh'])
      .where('members.code', '=', 'S002')
      .execute();
    expect(li).toEqual([{ start_date: '2026-01-05', end_date: null, name_zh: '李娜' }]);
  });

  it('When the same files are imported again, Then nothing changes and nothing new is audited', async () => {
    const auditBefore = await t.db
      .selectFrom('audit_log')
      .select('id')
      .where('entity', 'in', ['org_unit', 'member'])
      .execute();
    expect(
      await importMasterData(
        t.db,
        admin,
        { kind: 'org-units', buffer: orgCsv, fileName: 'org.csv' },
        now,
      ),
    ).toMatchObject({
      created: 0,
      updated: 0,
      unchanged: 4,
    });
    expect(
      await importMasterData(
        t.db,
        admin,
        { kind: 'members', buffer: memberGbk, fileName: '人员.csv' },
        now,
      ),
    ).toMatchObject({
      created: 0,
      updated: 0,
      unchanged: 2,
    });
    const auditAfter = await t.db
      .selectFrom('audit_log')
      .select('id')
      .where('entity', 'in', ['org_unit', 'member'])
      .execute();
    expect(auditAfter.length).toBe(auditBefore.length);
  });

  it('Given a file with three bad rows, Then every problem names its row and column and nothing is applied', async () => {
    const file = csv([
      '工号,姓名,职级,入职日期,所属组织编码',
      'S003,王芳,普通,2023-02-30,E1',
      'S004,赵强,经理,2023-02-01,E1',
      'S005,钱明,普通,2023-02-01,NOPE',
      'S006,孙丽,普通,2023-02-01,E2',
    ]);
    const err = await rejection(
      importMasterData(t.db, admin, { kind: 'members', buffer: file, fileName: 'bad.csv' }, now),
    );
    expect(err.code).toBe('IMPORT_INVALID');
    expect(err.problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [2, '入职日期', 'DATE_INVALID'],
      [3, '职级', 'ENUM_INVALID'],
      [4, '所属组织编码', 'REFERENCE_NOT_FOUND'],
    ]);
    const count = await t.db
      .selectFrom('members')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(2);
  });

  it('Given a member moved to another team with an effective date, Then history stays with the old team', async () => {
    const file = csv([
      '工号,姓名,英文名,职级,入职日期,所属组织编码,调动生效日期',
      'S001,张伟,Zhang Wei,资深,2022-03-01,E2,2026-07-01',
    ]);
    expect(
      await importMasterData(
        t.db,
        admin,
        { kind: 'members', buffer: file, fileName: 'move.csv' },
        now,
      ),
    ).toMatchObject({
      updated: 1,
    });
    const rows = await t.db
      .selectFrom('member_units as mu')
      .innerJoin('members as m', 'm.id', 'mu.member_id')
      .innerJoin('org_units as u', 'u.id', 'mu.org_unit_id')
      .select(['u.code', 'mu.start_date', 'mu.end_date'])
      .where('m.code', '=', 'S001')
      .orderBy('mu.start_date')
      .execute();
    expect(rows).toEqual([
      { code: 'E1', start_date: '2022-03-01', end_date: '2026-07-01' },
      { code: 'E2', start_date: '2026-07-01', end_date: null },
    ]);
  });

  it('A dry run reports what would change and writes nothing', async () => {
    const file = csv([
      '编码,名称,英文名称,渠道类型,月线索供给',
      'OWN,自有流量,Own traffic,线上,2000',
    ]);
    const res = await importMasterData(
      t.db,
      admin,
      { kind: 'channels', buffer: file, fileName: 'ch.csv', dryRun: true },
      now,
    );
    expect(res).toMatchObject({ created: 1, dryRun: true, batchId: null });
    expect(await t.db.selectFrom('dimension_members').selectAll().execute()).toEqual([]);
  });

  it('Given a manager, rows outside their subtree are refused by row', async () => {
    const east = await t.db
      .selectFrom('org_units')
      .select('path')
      .where('code', '=', 'E1')
      .executeTakeFirstOrThrow();
    const manager: Actor = {
      userId: null,
      role: 'manager',
      scope: { all: false, unitPaths: [east.path], memberId: null },
    };
    const file = csv([
      '工号,姓名,职级,入职日期,所属组织编码',
      'S007,周杰,普通,2024-01-01,E1',
      'S008,吴敏,普通,2024-01-01,E2',
    ]);
    const err = await rejection(
      importMasterData(t.db, manager, { kind: 'members', buffer: file, fileName: 'm.csv' }, now),
    );
    expect(err.problems).toEqual([
      expect.objectContaining({ row: 3, column: '所属组织编码', code: 'FORBIDDEN' }),
    ]);
  });

  it('refuses an org file whose parents form a cycle', async () => {
    const file = csv(['组织编码,组织名称,类型,上级组织编码', 'X1,甲,团队,X2', 'X2,乙,团队,X1']);
    const err = await rejection(
      importMasterData(
        t.db,
        admin,
        { kind: 'org-units', buffer: file, fileName: 'cycle.csv' },
        now,
      ),
    );
    expect(err.problems.map((p) => p.code)).toContain('TREE_CYCLE');
  });

  describe('every kind', () => {
    it('seeds the catalogues from English-header files', async () => {
      const files: [string, string[]][] = [
        [
          'product-lines',
          [
            'Product line code,Name,English name,Parent code',
            'APP,智能家电,Appliances,',
            'APP-K,厨房电器,Kitchen,APP',
          ],
        ],
        [
          'products',
          [
            'Product code,Name,English name,Product line,Gross margin,List price',
            'P1,电饭煲,Rice cooker,Kitchen,32.5%,"1,299.00"',
          ],
        ],
        [
          'channels',
          [
            'Code,Name,English name,Channel kind,Monthly lead supply,Lead to deal rate',
            'OWN,自有流量,Own traffic,online,2000,10%',
          ],
        ],
        ['regions', ['Code,Name,English name,Maturity', 'EASTR,华东,East China,mature']],
        ['segments', ['Code,Name,English name', 'KA,大客户,Key account']],
        ['customer-types', ['Code,Name,English name', 'ENT,企业,Enterprise']],
        [
          'customers',
          [
            'Customer code,Name,English name,Segment,Customer type,Region,Owner code,Annual purchase',
            'C1,云帆科技,Yunfan,大客户,ENT,East China,S001,600万',
          ],
        ],
      ];
      for (const [kind, lines] of files)
        await importMasterData(
          t.db,
          admin,
          { kind, buffer: csv(lines), fileName: `${kind}.csv` },
          now,
        );
      const customer = await t.db
        .selectFrom('customers')
        .selectAll()
        .where('code', '=', 'C1')
        .executeTakeFirstOrThrow();
      expect(customer.annual_purchase).toBe(6_000_000_00);
      expect(customer.tier).toBe('A');
      const product = await t.db
        .selectFrom('products')
        .selectAll()
        .where('code', '=', 'P1')
        .executeTakeFirstOrThrow();
      expect([product.gross_margin_bp, product.list_price]).toEqual([3250, 129_900]);
    });

    it.each(masterKindNames)(
      '%s: an export in either language imports back unchanged',
      async (kind) => {
        for (const lang of ['zh-CN', 'en'] as const) {
          for (const format of ['xlsx', 'csv'] as const) {
            const file = await exportMasterData(t.db, admin, { kind, format, lang }, now);
            const table = await readTable(file, `x.${format}`);
            expect(table.rows.length, `${kind} has rows to round-trip`).toBeGreaterThan(0);
            const res = await importMasterData(
              t.db,
              admin,
              { kind, buffer: file, fileName: `x.${format}` },
              now,
            );
            expect(res, `${kind} ${lang} ${format}`).toMatchObject({ created: 0, updated: 0 });
          }
        }
      },
    );
  });
});
