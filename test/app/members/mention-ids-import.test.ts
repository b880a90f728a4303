import { expect, it } from 'vitest';
import { exportMasterData } from '../../../src/app/import-master/export-master-data.ts';
import { importMasterData } from '../../../src/app/import-master/import-master-data.ts';
import type { Actor } from '../../../src/app/import-master/kind.ts';
import { readTable } from '../../../src/app/import/read-table.ts';
import { AppError } from '../../../src/domain/errors.ts';
import { describeEachDialect } from '../../support/databases.ts';

const admin: Actor = {
  userId: null,
  role: 'admin',
  scope: { all: true, unitPaths: [], memberId: null },
};
const now = new Date('2026-03-16T02:00:00Z');
const csv = (lines: string[]) => Buffer.from(lines.join('\r\n'), 'utf8');

describeEachDialect('member mention ids in member files', (t) => {
  const stored = () =>
    t.db
      .selectFrom('members')
      .select(['code', 'dingtalk_mobile', 'wecom_user_id'])
      .orderBy('code')
      .execute();

  it('are imported, kept by a file without the columns, exported, and checked by row', async () => {
    await importMasterData(
      t.db,
      admin,
      {
        kind: 'org-units',
        fileName: 'org.csv',
        buffer: csv([
          '组织编码,组织名称,英文名称,类型,上级组织编码',
          'CO,公司,Co,公司,',
          'E1,华东一组,East 1,团队,CO',
        ]),
      },
      now,
    );
    // Given a member file with the DingTalk mobile and WeCom id columns
    await importMasterData(
      t.db,
      admin,
      {
        kind: 'members',
        fileName: 'm.csv',
        buffer: csv([
          '工号,姓名,英文名,职级,入职日期,所属组织编码,钉钉手机号,企业微信账号',
          'S001,张伟,Zhang Wei,资深,2022-03-01,E1,13800000001,zhangwei',
          'S002,李娜,Li Na,新人,2026-01-05,E1,,',
        ]),
      },
      now,
    );
    expect(await stored()).toEqual([
      { code: 'S001', dingtalk_mobile: '13800000001', wecom_user_id: 'zhangwei' },
      { code: 'S002', dingtalk_mobile: null, wecom_user_id: null },
    ]);
    // When an older file without those columns changes a name, Then the ids stay
    const again = await importMasterData(
      t.db,
      admin,
      {
        kind: 'members',
        fileName: 'm2.csv',
        buffer: csv([
          '工号,姓名,英文名,职级,入职日期,所属组织编码',
          'S001,张伟,Wei Zhang,资深,2022-03-01,E1',
        ]),
      },
      now,
    );
    expect(again).toMatchObject({ updated: 1 });
    expect((await stored())[0]).toEqual({
      code: 'S001',
      dingtalk_mobile: '13800000001',
      wecom_user_id: 'zhangwei',
    });
    // And the export carries them
    const file = await exportMasterData(
      t.db,
      admin,
      { kind: 'members', format: 'csv', lang: 'zh-CN' },
      now,
    );
    const table = await readTable(file, 'x.csv');
    expect(table.headers).toContain('钉钉手机号');
    expect(JSON.stringify(table.rows)).toContain('13800000001');
    // And a mobile that is not one is a row error on its column
    const bad = await importMasterData(
      t.db,
      admin,
      {
        kind: 'members',
        fileName: 'bad.csv',
        buffer: csv([
          '工号,姓名,职级,入职日期,所属组织编码,钉钉手机号',
          'S003,王五,普通,2024-01-01,E1,call me',
        ]),
      },
      now,
    ).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(AppError);
    expect((bad as AppError).problems).toEqual([
      expect.objectContaining({ row: 2, column: '钉钉手机号', code: 'VALIDATION' }),
    ]);
  });
});
