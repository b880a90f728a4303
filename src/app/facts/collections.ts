import { defineColumns } from '../import/columns.ts';
import { customerColumn, extIdColumn, ownerColumns, type FactKind } from './kind.ts';

const columns = defineColumns({
  extId: extIdColumn('回款编号', 'Collection id'),
  date: { aliases: ['回款日期', 'Collected date', '日期', 'Date'], required: true, type: 'date' },
  amount: { aliases: ['回款金额', 'Amount', '金额'], required: true, type: 'money' },
  orderNo: { aliases: ['订单号', 'Order no', '订单编号', 'Order number'], type: 'string' },
  ...customerColumn,
  ...ownerColumns,
  dueDate: { aliases: ['应收日期', 'Due date', '到期日', '约定回款日期'], type: 'date' },
});

/** Money received (回款), credited like orders: to the owner's unit on the collection date. */
export const collectionsKind: FactKind<typeof columns> = {
  name: 'collections',
  table: 'collections',
  dateColumn: 'collected_date',
  columns,
  example: {
    extId: 'RC-0001',
    date: '2026-03-20',
    amount: '2999.00',
    orderNo: 'SO-0001',
    customer: 'C0001',
    ownerCode: 'S001',
    unitCode: null,
    dueDate: '2026-04-01',
  },
  build(v) {
    return { amount: v.amount ?? 0, order_no: v.orderNo, due_date: v.dueDate };
  },
};
