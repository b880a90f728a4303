import {
  addDaysIso,
  channelCode,
  customerCode,
  memberChannels,
  memberCode,
  memberLines,
  productCode,
  productMarginBp,
} from './track-org.ts';

/** The shape of the generated order data (independent of any database's ids). */
export interface OrderSpec {
  rows: number;
  fileRows: number;
  members: number;
  productLines: number;
  productsPerLine: number;
  channels: number;
  customersPerMember: number;
  /** First day; rows spread evenly over `days` days from it. */
  from: string;
  days: number;
  seed: number;
}

/** 0 new, 1 existing, 2 referral: the stored values and the words a CRM export writes. */
export const LIFECYCLES = ['new', 'existing', 'referral'] as const;
const LIFECYCLE_WORDS = ['新客', '老客', '转介绍'];

/**
 * One file's order lines, column-wise and by index (member m, customer m×k, product line × product,
 * channel): the CSV writer turns indexes into codes, the raw baseline into a database's ids.
 * Regenerated deterministically from (seed, file), so both see exactly the same rows.
 */
export interface OrderChunk {
  file: number;
  n: number;
  extId: string[];
  orderNo: string[];
  isPrimary: Uint8Array;
  day: string[];
  member: Int32Array;
  customerK: Int32Array;
  line: Int32Array;
  productK: Int32Array;
  channel: Int32Array;
  lifecycle: Uint8Array;
  /** Fen; refunds negative. */
  amount: Float64Array;
  quantity: Int32Array;
  grossProfit: Float64Array;
}

export function fileCount(spec: OrderSpec): number {
  return Math.ceil(spec.rows / spec.fileRows);
}

/**
 * File f holds rows [f × fileRows, …) and, because rows are spread over the days in order, a
 * contiguous stretch of days — as a CRM's daily or weekly export would. Orders have 1–5 lines
 * (mostly 1–2) on one day, one member, customer, channel and lifecycle; 1% of orders are a
 * single refund line. The primary line of an order is its first (lowest external id).
 */
export function orderChunk(spec: OrderSpec, file: number): OrderChunk {
  const first = file * spec.fileRows;
  const n = Math.min(spec.fileRows, spec.rows - first);
  const c: OrderChunk = {
    file,
    n,
    extId: new Array<string>(n),
    orderNo: new Array<string>(n),
    isPrimary: new Uint8Array(n),
    day: new Array<string>(n),
    member: new Int32Array(n),
    customerK: new Int32Array(n),
    line: new Int32Array(n),
    productK: new Int32Array(n),
    channel: new Int32Array(n),
    lifecycle: new Uint8Array(n),
    amount: new Float64Array(n),
    quantity: new Int32Array(n),
    grossProfit: new Float64Array(n),
  };
  const rand = mulberry32(spec.seed * 1_000_003 + file);
  const int = (k: number) => Math.floor(rand() * k);
  const dayCache = new Map<number, string>();
  const dayOf = (row: number) => {
    const d = Math.floor(((first + row) * spec.days) / spec.rows);
    let s = dayCache.get(d);
    if (s === undefined) dayCache.set(d, (s = addDaysIso(spec.from, d)));
    return s;
  };
  let seq = 0;
  for (let i = 0; i < n;) {
    const orderNo = `SO${String(file).padStart(4, '0')}${String(seq++).padStart(6, '0')}`;
    const m = int(spec.members);
    const lines = memberLines(m, spec.productLines);
    const channels = memberChannels(m, spec.channels);
    const day = dayOf(i);
    const customerK = int(spec.customersPerMember);
    const channel = channels[rand() < 0.8 ? 0 : 1]!;
    const r = rand();
    const lifecycle = r < 0.2 ? 0 : r < 0.9 ? 1 : 2;
    const refund = rand() < 0.01;
    const count = Math.min(n - i, refund ? 1 : 1 + Math.floor(rand() ** 2 * 5));
    for (let k = 0; k < count; k++, i++) {
      const pick = rand();
      const line = lines[pick < 0.6 ? 0 : pick < 0.9 ? 1 : 2]!;
      const productK = int(spec.productsPerLine);
      const quantity = 1 + Math.floor(rand() ** 3 * 10);
      // Unit price log-uniform between 50元 and 20,000元, in whole fen.
      const price = Math.round(5_000 * Math.exp(rand() * Math.log(400)));
      const amount = (refund ? -1 : 1) * price * quantity;
      c.extId[i] = `${orderNo}-${k + 1}`;
      c.orderNo[i] = orderNo;
      c.isPrimary[i] = !refund && k === 0 ? 1 : 0;
      c.day[i] = day;
      c.member[i] = m;
      c.customerK[i] = customerK;
      c.line[i] = line;
      c.productK[i] = productK;
      c.channel[i] = channel;
      c.lifecycle[i] = lifecycle;
      c.amount[i] = amount;
      c.quantity[i] = quantity;
      c.grossProfit[i] = Math.round((amount * productMarginBp(line, productK)) / 10_000);
    }
  }
  return c;
}

export const CSV_HEADER =
  '订单行号,订单号,下单日期,销售工号,客户,产品,金额,数量,毛利,渠道,客户类别';

/** The chunk as a CRM export: codes, 元 with two decimals, Chinese lifecycle words. */
export function orderCsv(c: OrderChunk): string {
  const out: string[] = [CSV_HEADER];
  for (let i = 0; i < c.n; i++) {
    const m = c.member[i]!;
    out.push(
      `${c.extId[i]},${c.orderNo[i]},${c.day[i]},${memberCode(m)},${customerCode(m, c.customerK[i]!)},${productCode(c.line[i]!, c.productK[i]!)},` +
        `${yuan(c.amount[i]!)},${c.quantity[i]},${yuan(c.grossProfit[i]!)},${channelCode(c.channel[i]!)},${LIFECYCLE_WORDS[c.lifecycle[i]!]}`,
    );
  }
  return `${out.join('\n')}\n`;
}

function yuan(fen: number): string {
  const abs = Math.abs(fen);
  return `${fen < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** A small, fast, seedable PRNG: the data must be the same on every run and for both writers. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
