import type { FactOwner, SalesGroupBy } from '../../src/db/rollups.ts';
import { mulberry32 } from './track-orders.ts';
import { addDaysIso, daysBetween, type TrackOrg } from './track-org.ts';

export const NODE_KINDS = ['company', 'region', 'team', 'member'] as const;
export const PERIOD_KINDS = ['year', 'quarter', 'month', 'week', 'custom'] as const;
export const GROUPINGS = [
  'none',
  'product_line',
  'channel',
  'lifecycle',
  'member/child_unit',
] as const;

/** One dashboard read: a node × a period × a grouping, as `salesTotals` and the tracking API take it. */
export interface DashQuery {
  node: (typeof NODE_KINDS)[number];
  period: (typeof PERIOD_KINDS)[number];
  grouping: (typeof GROUPINGS)[number];
  owner: FactOwner;
  /** The API's node parameter. */
  nodeParam: string;
  start: string;
  end: string;
  /** The API's period id (FY2026, FY2026-Q1, 2026-03, 2026-W09), or null for a custom range. */
  periodId: string | null;
  groupBy: SalesGroupBy | undefined;
}

/**
 * `count` random queries, node kind, period kind and grouping each uniform. "member/child_unit"
 * groups a team by its members, a company or region by its child units, and a member by itself.
 * Periods lie inside the data: calendar years, quarters and months, ISO weeks, and custom ranges of
 * 1–180 days.
 */
export function randomQueries(
  org: TrackOrg,
  from: string,
  to: string,
  count: number,
  seed: number,
): DashQuery[] {
  const rand = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const span = daysBetween(from, to);
  const firstYear = Number(from.slice(0, 4)) + (from.endsWith('-01-01') ? 0 : 1);
  const lastYear = Number(to.slice(0, 4));
  const out: DashQuery[] = [];
  for (let i = 0; i < count; i++) {
    const node = pick(NODE_KINDS);
    const period = pick(PERIOD_KINDS);
    const grouping = pick(GROUPINGS);
    let owner: FactOwner;
    let nodeParam: string;
    if (node === 'member') {
      const m = pick(org.members);
      owner = { memberId: m.id };
      nodeParam = `memberId=${m.id}`;
    } else {
      const u = node === 'company' ? org.root : pick(node === 'region' ? org.regions : org.teams);
      owner = { unitPath: u.path };
      nodeParam = `unitId=${u.id}`;
    }
    const year = firstYear + Math.floor(rand() * (lastYear - firstYear + 1));
    let start: string;
    let end: string;
    let periodId: string | null;
    if (period === 'year') {
      [start, end, periodId] = [`${year}-01-01`, `${year}-12-31`, `FY${year}`];
    } else if (period === 'quarter') {
      const q = 1 + Math.floor(rand() * 4);
      const m0 = (q - 1) * 3 + 1;
      start = `${year}-${pad2(m0)}-01`;
      end = addDaysIso(m0 === 10 ? `${year + 1}-01-01` : `${year}-${pad2(m0 + 3)}-01`, -1);
      periodId = `FY${year}-Q${q}`;
    } else if (period === 'month') {
      const month = addDaysIso(from, Math.floor(rand() * span)).slice(0, 7);
      start = `${month}-01`;
      end = addDaysIso(addDaysIso(`${month}-28`, 4).slice(0, 7) + '-01', -1);
      periodId = month;
    } else if (period === 'week') {
      const monday = mondayOf(addDaysIso(from, 7 + Math.floor(rand() * (span - 14))));
      [start, end, periodId] = [monday, addDaysIso(monday, 6), isoWeekId(monday)];
    } else {
      start = addDaysIso(from, Math.floor(rand() * (span - 1)));
      end = addDaysIso(start, Math.floor(rand() * 180));
      if (end > to) end = to;
      periodId = null;
    }
    const groupBy: SalesGroupBy | undefined =
      grouping === 'none'
        ? undefined
        : grouping !== 'member/child_unit'
          ? grouping
          : node === 'company' || node === 'region'
            ? 'child_unit'
            : 'member';
    out.push({ node, period, grouping, owner, nodeParam, start, end, periodId, groupBy });
  }
  return out;
}

function mondayOf(day: string): string {
  const dow = new Date(`${day}T12:00:00Z`).getUTCDay();
  return addDaysIso(day, -((dow + 6) % 7));
}

/** ISO week id of a Monday: the week belongs to the year of its Thursday. */
function isoWeekId(monday: string): string {
  const thursday = addDaysIso(monday, 3);
  const ordinal = daysBetween(`${thursday.slice(0, 4)}-01-01`, thursday);
  return `${thursday.slice(0, 4)}-W${pad2(Math.floor((ordinal - 1) / 7) + 1)}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

export interface Latency {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles of milliseconds. */
export function latency(ms: readonly number[]): Latency {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) =>
    s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? 0;
  return { n: s.length, p50: at(50), p95: at(95), p99: at(99), max: s[s.length - 1] ?? 0 };
}
