import { defineColumns } from '../import/columns.ts';
import { customerColumn, extIdColumn, ownerColumns, type FactKind } from './kind.ts';

const columns = defineColumns({
  extId: extIdColumn('线索编号', 'Lead id'),
  date: { aliases: ['创建日期', 'Created date', '日期', 'Date'], required: true, type: 'date' },
  ...ownerColumns,
  channel: { aliases: ['渠道', 'Channel', '来源渠道'], type: 'string' },
  ...customerColumn,
  status: {
    aliases: ['状态', 'Status', '线索状态'],
    type: 'enum',
    values: {
      open: ['待跟进', '新建', '跟进中', 'open'],
      qualified: ['有效', '已确认', 'qualified'],
      converted: ['已转化', '转化', 'converted'],
      lost: ['无效', '丢失', 'lost'],
    },
  },
  convertedDate: { aliases: ['转化日期', 'Converted date'], type: 'date' },
});

/** Leads (线索), the top of the funnel; credited on their creation date. */
export const leadsKind: FactKind<typeof columns> = {
  name: 'leads',
  table: 'leads',
  dateColumn: 'created_date',
  columns,
  example: {
    extId: 'L-0001',
    date: '2026-03-01',
    ownerCode: 'S001',
    unitCode: null,
    channel: 'OWN',
    customer: null,
    status: '已转化',
    convertedDate: '2026-03-05',
  },
  build(v, { row, refs, problems, header }) {
    if (v.convertedDate !== null && v.date !== null && v.convertedDate < v.date) {
      problems.push({
        row,
        column: header('convertedDate'),
        code: 'DATE_ORDER',
        params: { start: v.date, end: v.convertedDate },
      });
    }
    return {
      channel_id: refs.channel(v.channel, row, header('channel'), problems) ?? 0,
      status: v.status ?? 'open',
      converted_date: v.convertedDate,
    };
  },
};
