import { parseDate } from '../../domain/dates.ts';
import { FULL_BP } from '../../domain/percent.ts';
import { defineColumns } from '../import/columns.ts';
import { customerColumn, extIdColumn, ownerColumns, type FactKind } from './kind.ts';

const columns = defineColumns({
  extId: extIdColumn('商机编号', 'Opportunity id'),
  date: { aliases: ['创建日期', 'Created date', '日期', 'Date'], required: true, type: 'date' },
  ...ownerColumns,
  ...customerColumn,
  amount: { aliases: ['商机金额', 'Amount', '金额', '预计金额'], type: 'money' },
  stage: { aliases: ['阶段', 'Stage', '销售阶段'], required: true, type: 'string' },
  probability: { aliases: ['赢率', 'Probability', '成交概率'], type: 'percent' },
  expectedCloseDate: {
    aliases: ['预计成交日期', 'Expected close date', '预计关闭日期'],
    type: 'date',
  },
  closedDate: { aliases: ['关闭日期', 'Closed date', '结束日期'], type: 'date' },
  status: {
    aliases: ['状态', 'Status', '商机状态'],
    type: 'enum',
    values: {
      open: ['进行中', '跟进中', 'open'],
      won: ['赢单', '已成交', 'won'],
      lost: ['输单', '丢单', 'lost'],
    },
  },
  channel: { aliases: ['渠道', 'Channel'], type: 'string' },
  leadExtId: { aliases: ['线索编号', 'Lead id'], type: 'string' },
  stageHistory: { aliases: ['阶段历史', 'Stage history'], type: 'string' },
});

/**
 * Reads "需求确认:2026-01-05;方案:2026-02-01" (full-width ：and ；too) into [{stage, date}].
 * Dates are read like any date cell; an entry without a date or with a bad one is a problem.
 */
export function parseStageHistory(text: string): { stage: string; date: string }[] | null {
  const entries: { stage: string; date: string }[] = [];
  for (const part of text.split(/[;；\n]/)) {
    if (part.trim() === '') continue;
    const at = Math.max(part.lastIndexOf(':'), part.lastIndexOf('：'));
    if (at <= 0) return null;
    const stage = part.slice(0, at).trim();
    try {
      entries.push({ stage, date: parseDate(part.slice(at + 1).trim()) });
    } catch {
      return null;
    }
    if (stage === '') return null;
  }
  return entries;
}

/** Opportunities (商机) with their stage, win probability and stage history; credited on creation. */
export const opportunitiesKind: FactKind<typeof columns> = {
  name: 'opportunities',
  table: 'opportunities',
  dateColumn: 'created_date',
  columns,
  example: {
    extId: 'OP-0001',
    date: '2026-02-10',
    ownerCode: 'S001',
    unitCode: null,
    customer: 'C0001',
    amount: '50000.00',
    stage: '方案',
    probability: '40%',
    expectedCloseDate: '2026-04-30',
    closedDate: null,
    status: '进行中',
    channel: 'OWN',
    leadExtId: 'L-0001',
    stageHistory: '需求确认:2026-02-10;方案:2026-03-01',
  },
  build(v, { row, refs, problems, header }) {
    if (v.probability !== null && (v.probability < 0 || v.probability > FULL_BP)) {
      problems.push({
        row,
        column: header('probability'),
        code: 'PERCENT_INVALID',
        params: { value: `${v.probability / 100}%` },
      });
    }
    if (v.closedDate !== null && v.date !== null && v.closedDate < v.date) {
      problems.push({
        row,
        column: header('closedDate'),
        code: 'DATE_ORDER',
        params: { start: v.date, end: v.closedDate },
      });
    }
    const history = v.stageHistory === null ? [] : parseStageHistory(v.stageHistory);
    if (history === null) {
      problems.push({
        row,
        column: header('stageHistory'),
        code: 'FACT_STAGE_HISTORY_INVALID',
        params: { value: v.stageHistory ?? '' },
      });
    }
    return {
      amount: v.amount ?? 0,
      stage: v.stage ?? '',
      probability_bp: v.probability ?? 0,
      expected_close_date: v.expectedCloseDate,
      closed_date: v.closedDate,
      status: v.status ?? 'open',
      channel_id: refs.channel(v.channel, row, header('channel'), problems) ?? 0,
      lead_ext_id: v.leadExtId,
      stage_history: JSON.stringify(history ?? []),
    };
  },
};
