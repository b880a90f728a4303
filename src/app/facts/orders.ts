import { multiplyFenByRatio } from '../../domain/money.ts';
import { FULL_BP } from '../../domain/percent.ts';
import { defineColumns } from '../import/columns.ts';
import { customerColumn, extIdColumn, ownerColumns, type FactKind } from './kind.ts';

const columns = defineColumns({
  extId: extIdColumn('订单行号', 'Line id'),
  orderNo: { aliases: ['订单号', 'Order no', '订单编号', 'Order number'], type: 'string' },
  date: {
    aliases: ['下单日期', 'Order date', '日期', 'Date', '成交日期', 'Close date'],
    required: true,
    type: 'date',
  },
  ...ownerColumns,
  ...customerColumn,
  product: {
    aliases: [
      '产品',
      'Product',
      '产品编码',
      '产品名称',
      'Product code',
      'Product name',
      'SKU',
      '商品',
      '商品编码',
    ],
    type: 'string',
  },
  amount: {
    aliases: ['金额', 'Amount', '订单金额', '销售额', '成交金额', 'Revenue'],
    required: true,
    type: 'money',
  },
  quantity: { aliases: ['数量', 'Quantity', 'Qty'], type: 'integer' },
  grossProfit: { aliases: ['毛利', 'Gross profit', '毛利额'], type: 'money' },
  channel: { aliases: ['渠道', 'Channel', '渠道编码'], type: 'string' },
  lifecycle: {
    aliases: ['客户类别', 'Lifecycle', '新老客', '客户生命周期'],
    type: 'enum',
    values: {
      new: ['新客', '新客户', 'new'],
      existing: ['老客', '老客户', 'existing'],
      referral: ['转介绍', 'referral'],
    },
  },
  dueDate: { aliases: ['应收日期', 'Due date', '到期日', '约定回款日期'], type: 'date' },
});

/**
 * Order lines. One order may have several lines (products); refunds and corrections are lines
 * with a negative amount. Without a gross-profit cell the profit is the product's gross margin
 * × the amount (四舍五入 to the fen): an estimate, as good as the margin in the catalogue; files
 * that know the real profit should carry it.
 */
export const ordersKind: FactKind<typeof columns> = {
  name: 'orders',
  table: 'order_lines',
  dateColumn: 'order_date',
  columns,
  example: {
    extId: 'SO-0001-1',
    orderNo: 'SO-0001',
    date: '2026-03-02',
    ownerCode: 'S001',
    unitCode: null,
    customer: 'C0001',
    product: 'SKU-001',
    amount: '2999.00',
    quantity: 1,
    grossProfit: null,
    channel: 'OWN',
    lifecycle: '新客',
    dueDate: '2026-04-01',
  },
  build(v, { row, refs, problems, header, customer }) {
    const product = refs.product(v.product, row, header('product'), problems);
    const channelId = refs.channel(v.channel, row, header('channel'), problems);
    const amount = v.amount ?? 0;
    return {
      order_no: v.orderNo ?? v.extId,
      due_date: v.dueDate,
      product_id: product?.id ?? 0,
      product_line_id: product?.lineId ?? 0,
      channel_id: channelId ?? 0,
      region_id: customer.regionId,
      segment_id: customer.segmentId,
      lifecycle: v.lifecycle ?? '',
      amount,
      quantity: v.quantity ?? 1,
      gross_profit: v.grossProfit ?? multiplyFenByRatio(amount, product?.marginBp ?? 0, FULL_BP),
    };
  },
};
