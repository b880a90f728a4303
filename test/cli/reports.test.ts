import { beforeAll, expect, it } from 'vitest';
import { systemActor } from '../../src/app/actor.ts';
import { readBattleReport } from '../../src/app/reports/read-battle-report.ts';
import { runCli } from '../support/cli.ts';
import { seedFixture, type Fixture } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';
import { seedReportData } from '../support/report-fixture.ts';

const run = runCli;

describeEachDialect('targetflow reports', (t) => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await seedFixture(t.db);
    await seedReportData(t.db, fx);
  });

  it('prints the battle report as the group receives it, in the language of LANG', async () => {
    const page = await readBattleReport(
      t.db,
      systemActor(),
      { unitId: fx.units.east, date: '2026-03-15' },
      '2026-03-16',
    );
    const en = await run(t, ['reports', 'battle', '--unit', 'EAST']);
    expect(en.code, en.err).toBe(0);
    expect(en.out).toBe(`**${page.text.en.title}**\n${page.text.en.lines.join('\n')}\n`);
    const zh = await run(
      t,
      ['reports', 'battle', '--unit', 'EAST', '--date', '2026-03-15'],
      'zh_CN.UTF-8',
    );
    expect(zh.out.split('\n')[0]).toBe('**每日战报｜组织EAST｜3月15日**');
    const weekly = await run(t, ['reports', 'weekly', '--unit', 'HQ', '--week', '2026-W11']);
    expect(weekly.code, weekly.err).toBe(0);
    expect(weekly.out).toContain('Weekly review | Unit HQ | 2026-W11 (9 Mar–15 Mar)');
  });

  it('refuses an unknown unit, a missing --unit and a day not over', async () => {
    const unknown = await run(t, ['reports', 'battle', '--unit', 'NOPE']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('NOPE');
    expect((await run(t, ['reports', 'battle'])).code).toBe(2);
    expect((await run(t, ['reports', 'monthly', '--unit', 'HQ'])).code).toBe(2);
    const open = await run(t, ['reports', 'battle', '--unit', 'HQ', '--date', '2026-03-16']);
    expect(open.code).toBe(1);
    expect(open.err).toContain('2026-03-16');
  });
});
