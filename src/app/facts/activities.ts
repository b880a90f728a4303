import { defineColumns } from '../import/columns.ts';
import { customerColumn, extIdColumn, ownerColumns, type FactKind } from './kind.ts';

const columns = defineColumns({
  extId: extIdColumn('活动编号', 'Activity id'),
  date: { aliases: ['活动日期', 'Activity date', '日期', 'Date'], required: true, type: 'date' },
  ...ownerColumns,
  kind: {
    aliases: ['活动类型', 'Kind', '类型', 'Type'],
    required: true,
    type: 'enum',
    values: {
      call: ['电话', '致电', 'call'],
      visit: ['拜访', '上门', 'visit'],
      meeting: ['会议', '会面', 'meeting'],
    },
  },
  ...customerColumn,
});

/** Sales activities (calls, visits, meetings): the inputs of visit frequency. */
export const activitiesKind: FactKind<typeof columns> = {
  name: 'activities',
  table: 'activities',
  dateColumn: 'activity_date',
  columns,
  example: {
    extId: 'A-0001',
    date: '2026-03-03',
    ownerCode: 'S001',
    unitCode: null,
    kind: '拜访',
    customer: 'C0001',
  },
  build(v) {
    return { kind: v.kind ?? 'call' };
  },
};
