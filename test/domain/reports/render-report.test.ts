import { describe, expect, it } from 'vitest';
import {
  pickLeaders,
  type BattleReport,
  type PeriodFigures,
  type RankedLine,
  type WeeklySheet,
} from '../../../src/domain/reports/report-model.ts';
import {
  figure,
  figuresLine,
  renderBattleReport,
  renderWeeklySheet,
  shortDate,
} from '../../../src/domain/reports/render-report.ts';

const line = (rank: number, id: number, actual: number, target: number): RankedLine => ({
  rank,
  id,
  nameZh: `${id}组`,
  nameEn: `Team ${id}`,
  actual,
  target,
  attainmentBp: target === 0 ? null : Math.floor((actual * 10_000) / target),
  gap: target - actual,
});

describe('pickLeaders', () => {
  it('names the top three and the last scored entrant, never the same one twice', () => {
    const rows = [
      line(1, 1, 120, 100),
      line(2, 2, 90, 100),
      line(3, 3, 70, 100),
      line(4, 4, 60, 100),
      line(5, 5, 30, 100),
      line(6, 6, 10, 0), // no target: listed last by the ranking, no part in either list
    ];
    const l = pickLeaders(rows, 'member', 'revenue');
    expect(l.top.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(l.behind?.id).toBe(5);
  });

  it('with three scored entrants keeps the third as the one behind', () => {
    const l = pickLeaders(
      [line(1, 1, 9, 10), line(2, 2, 5, 10), line(3, 3, 1, 10)],
      'child_unit',
      'revenue',
    );
    expect(l.top.map((r) => r.id)).toEqual([1, 2]);
    expect(l.behind?.id).toBe(3);
  });

  it('with one scored entrant names no one behind; with none, nobody at all', () => {
    expect(pickLeaders([line(1, 1, 9, 10)], 'member', 'revenue')).toEqual({
      by: 'member',
      metric: 'revenue',
      top: [line(1, 1, 9, 10)],
      behind: null,
    });
    expect(pickLeaders([line(1, 1, 9, 0)], 'member', 'revenue').top).toEqual([]);
  });
});

describe('figures', () => {
  it('shows amounts in 万 for Chinese, in ¥K and from a million yuan up in ¥M for English', () => {
    expect(figure(3_500_000_00, 'fen', 'zh-CN')).toBe('350.00万');
    expect(figure(3_500_000_00, 'fen', 'en')).toBe('¥3.50M');
    expect(figure(99_999_999, 'fen', 'en')).toBe('¥1,000.00K');
    expect(figure(1_234_00, 'fen', 'zh-CN')).toBe('0.12万');
    expect(figure(12_00, 'fen', 'zh-CN')).toBe('0.0012万');
    expect(figure(12_345, 'count', 'en')).toBe('12,345');
    expect(shortDate('2026-12-07', 'zh-CN')).toBe('12月7日');
    expect(shortDate('2026-03-15', 'en')).toBe('15 Mar');
  });
});

const revenue: PeriodFigures = {
  metric: 'revenue',
  unit: 'fen',
  actual: 350_000_000, // 3,500,000 元
  hasTarget: true,
  target: 1_200_000_000, // 12,000,000 元
  attainmentBp: 2_917,
  timeProgressBp: 2_609,
  differenceBp: 308,
  gap: 850_000_000,
  requiredRunRate: 50_000_000, // 850,000,000 ÷ 17 working days
};
const deals: PeriodFigures = {
  metric: 'deals',
  unit: 'count',
  actual: 45,
  hasTarget: true,
  target: 150,
  attainmentBp: 3_000,
  timeProgressBp: 2_609,
  differenceBp: 391,
  gap: 105,
  requiredRunRate: 7, // 105 ÷ 17 = 6.2, rounded up
};
const newCustomers: PeriodFigures = {
  metric: 'new_customers',
  unit: 'count',
  actual: 3,
  hasTarget: false,
  target: 0,
  attainmentBp: null,
  timeProgressBp: 2_609,
  differenceBp: null,
  gap: 0,
  requiredRunRate: 0,
};
const unit = { id: 2, code: 'EAST', nameZh: '华东大区', nameEn: 'East' };
const leaders = pickLeaders(
  [
    line(1, 11, 12_000_000, 10_000_000),
    line(2, 12, 9_000_000, 10_000_000),
    line(3, 13, 7_000_000, 10_000_000),
    line(4, 14, 3_000_000, 10_000_000),
  ],
  'child_unit',
  'revenue',
);

const report: BattleReport = {
  kind: 'battle_report',
  unit,
  date: '2026-12-07',
  month: '2026-12',
  elapsedWorkingDays: 5,
  remainingWorkingDays: 17,
  day: [
    { metric: 'revenue', unit: 'fen', actual: 12_350_000 },
    { metric: 'deals', unit: 'count', actual: 3 },
    { metric: 'new_customers', unit: 'count', actual: 1 },
  ],
  monthToDate: [revenue, deals, newCustomers],
  leaders,
};

describe('the battle report', () => {
  it('reads in Chinese with amounts in 万', () => {
    expect(renderBattleReport(report, 'zh-CN')).toEqual({
      title: '每日战报｜华东大区｜12月7日',
      lines: [
        '**12月7日**：销售额 12.35万，成单 3，新客户 1',
        '**本月累计**（截至12月7日，时间进度 26.1%，剩余 17 个工作日）',
        '- **销售额** 350.00万 / 目标 1,200.00万，完成率 29.2%，领先时间进度 3.1 个百分点；缺口 850.00万，日均需 50.00万',
        '- **成单** 45 / 目标 150，完成率 30.0%，领先时间进度 3.9 个百分点；缺口 105，日均需 7',
        '- **新客户** 3（无目标）',
        '**前三名**（按销售额完成率）',
        '1. 11组 120.0%（12.00万）',
        '2. 12组 90.0%（9.00万）',
        '3. 13组 70.0%（7.00万）',
        '**最落后**：14组 30.0%，缺口 7.00万',
      ],
    });
  });

  it('reads in English with ¥K and ¥M', () => {
    expect(renderBattleReport(report, 'en')).toEqual({
      title: 'Daily report | East | 7 Dec 2026',
      lines: [
        '**7 Dec**: revenue ¥123.50K, deals 3, new customers 1',
        '**Month to date** (to 7 Dec, time progress 26.1%, 17 working days left)',
        '- **Revenue** ¥3.50M of ¥12.00M, 29.2% attained, 3.1 pts ahead of time; gap ¥8.50M, ¥500.00K a working day needed',
        '- **Deals** 45 of 150, 30.0% attained, 3.9 pts ahead of time; gap 105, 7 a working day needed',
        '- **New customers** 3 (no target)',
        '**Top three** (by revenue attainment)',
        '1. Team 11 120.0% (¥120.00K)',
        '2. Team 12 90.0% (¥90.00K)',
        '3. Team 13 70.0% (¥70.00K)',
        '**Furthest behind**: Team 14 30.0%, gap ¥70.00K',
      ],
    });
  });

  it('says behind, reached, and no working day left', () => {
    const behind = { ...revenue, differenceBp: -250 };
    expect(figuresLine(behind, 'zh-CN')).toContain('落后时间进度 2.5 个百分点');
    expect(figuresLine(behind, 'en')).toContain('2.5 pts behind time');
    const level = { ...revenue, differenceBp: 0 };
    expect(figuresLine(level, 'zh-CN')).toContain('与时间进度持平');
    const reached = { ...deals, actual: 150, gap: 0, requiredRunRate: 0, attainmentBp: 10_000 };
    expect(figuresLine(reached, 'zh-CN')).toBe(
      '- **成单** 150 / 目标 150，完成率 100.0%，领先时间进度 3.9 个百分点；已完成目标',
    );
    expect(figuresLine(reached, 'en')).toBe(
      '- **Deals** 150 of 150, 100.0% attained, 3.9 pts ahead of time; target reached',
    );
    const closed = { ...deals, requiredRunRate: null };
    expect(figuresLine(closed, 'zh-CN')).toContain('；缺口 105，已无剩余工作日');
    expect(figuresLine(closed, 'en')).toContain('; gap 105, no working day left');
  });

  it('leaves out the ranking when nobody has a target', () => {
    const bare = { ...report, leaders: pickLeaders([], 'member', 'revenue') };
    expect(renderBattleReport(bare, 'zh-CN').lines).toHaveLength(5);
  });
});

describe('the weekly sheet', () => {
  const sheet: WeeklySheet = {
    kind: 'weekly_sheet',
    unit,
    week: '2026-W49',
    start: '2026-11-30',
    end: '2026-12-06',
    asOf: '2026-12-06',
    weekFigures: [
      {
        ...revenue,
        actual: 80_000_000,
        target: 300_000_000,
        attainmentBp: 2_667,
        timeProgressBp: 10_000,
        differenceBp: -7_333,
        gap: 220_000_000,
        requiredRunRate: null,
      },
    ],
    month: '2026-12',
    remainingWorkingDays: 18,
    monthToDate: [{ ...revenue, requiredRunRate: 47_222_223 }],
    leaders: pickLeaders([], 'member', 'revenue'),
    openAlerts: [],
  };

  it('shows the week, the month to its last day, and no alerts section while there are none', () => {
    expect(renderWeeklySheet(sheet, 'zh-CN')).toEqual({
      title: '周会数据｜华东大区｜2026-W49（11月30日–12月6日）',
      lines: [
        '**本周**（11月30日–12月6日，时间进度 100.0%）',
        '- **销售额** 80.00万 / 目标 300.00万，完成率 26.7%，落后时间进度 73.3 个百分点；缺口 220.00万，已无剩余工作日',
        '**本月累计**（截至12月6日，时间进度 26.1%，剩余 18 个工作日）',
        '- **销售额** 350.00万 / 目标 1,200.00万，完成率 29.2%，领先时间进度 3.1 个百分点；缺口 850.00万，日均需 47.22万',
      ],
    });
  });

  it('lists open alerts and marks a running week with its last counted day', () => {
    const running = {
      ...sheet,
      asOf: '2026-12-02',
      openAlerts: [
        {
          severity: 'critical' as const,
          textZh: '华东一组连续两月低于60%',
          textEn: 'East 1 below 60% two months running',
          link: null,
        },
      ],
    };
    const en = renderWeeklySheet(running, 'en');
    expect(en.title).toBe('Weekly review | East | 2026-W49 (30 Nov–6 Dec)');
    expect(en.lines[0]).toBe('**This week** (30 Nov–6 Dec, to 2 Dec, time progress 100.0%)');
    expect(en.lines.slice(-2)).toEqual([
      '**Open alerts** (1)',
      '- Critical: East 1 below 60% two months running',
    ]);
    expect(renderWeeklySheet(running, 'zh-CN').lines.slice(-2)).toEqual([
      '**未关闭预警**（1）',
      '- 严重：华东一组连续两月低于60%',
    ]);
  });
});
