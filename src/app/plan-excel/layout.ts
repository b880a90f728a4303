import type { MetricUnit, OwnerType } from '../../db/schema.ts';
import { headerKey } from '../import/columns.ts';
import { fold, type MoneyScale } from '../import/parse-cell.ts';
import type { Lang } from '../import-master/kind.ts';

/**
 * The layout of a grid workbook, shared by the writer and the reader. Sheet 1: a legend row, the
 * header row, then one row per org unit or member:
 *   编码 | 名称 | 类型 | 上级编码 | 12 months | 全年 | 锁定
 * Type + code + parent code is a row's key (a member who changed teams has one row per team).
 * The hidden sheet `_meta` says which version, metric and `version` (for concurrency) it came from.
 */
export const META_SHEET = '_meta';
export const FORMAT = 'targetflow-plan-grid/1';
export const LEGEND_ROW = 1;
export const HEADER_ROW = 2;
export const FIRST_DATA_ROW = 3;

/** How amounts are written: money in 元 or 万元, counts as they are. */
export type GridUnit = 'yuan' | 'wan' | 'count';

export const COLUMN = { code: 1, name: 2, type: 3, parent: 4, firstMonth: 5 } as const;

const words = {
  code: { 'zh-CN': '编码', en: 'Code' },
  name: { 'zh-CN': '名称', en: 'Name' },
  type: { 'zh-CN': '类型', en: 'Type' },
  parent: { 'zh-CN': '上级编码', en: 'Parent code' },
  year: { 'zh-CN': '全年', en: 'Year' },
  locked: { 'zh-CN': '锁定', en: 'Locked' },
  unit: { 'zh-CN': '组织', en: 'Unit' },
  member: { 'zh-CN': '人员', en: 'Member' },
} as const;

/** Header spellings accepted back, in either language (a file exported in Chinese imports for an English user). */
const ALIASES: Record<'code' | 'name' | 'type' | 'parent' | 'year' | 'locked', string[]> = {
  code: ['编码', '代码', 'code'],
  name: ['名称', '姓名', 'name'],
  type: ['类型', 'type'],
  parent: ['上级编码', '上级', 'parent code', 'parent'],
  year: ['全年', '年度', '合计', 'year', 'total'],
  locked: ['锁定', '锁定月份', 'locked'],
};

export function word(key: keyof typeof words, lang: Lang): string {
  return words[key][lang];
}

export function unitSuffix(unit: GridUnit, lang: Lang): string {
  if (unit === 'count') return '';
  if (lang === 'zh-CN') return unit === 'wan' ? '（万元）' : '（元）';
  return unit === 'wan' ? ' (CNY 10k)' : ' (CNY)';
}

export function headers(months: readonly string[], unit: GridUnit, lang: Lang): string[] {
  const s = unitSuffix(unit, lang);
  return [
    word('code', lang),
    word('name', lang),
    word('type', lang),
    word('parent', lang),
    ...months.map((m) => m + s),
    word('year', lang) + s,
    word('locked', lang),
  ];
}

export function gridUnitOf(metricUnit: MetricUnit, wanted: 'yuan' | 'wan'): GridUnit {
  return metricUnit === 'fen' ? wanted : 'count';
}

/** fen → the number written in the cell (万元: 6 decimals, 元: 2; exact in a double at these sizes). */
export function toCellNumber(value: number, unit: GridUnit): number {
  if (unit === 'wan') return value / 1_000_000;
  if (unit === 'yuan') return value / 100;
  return value;
}

export type BoundHeader =
  | { field: 'code' | 'name' | 'type' | 'parent' | 'locked' }
  | { field: 'month'; period: string; scale: MoneyScale | undefined }
  | { field: 'year'; scale: MoneyScale | undefined }
  | { field: 'unknown' };

/**
 * What a header names. Month and year headers carry their unit in brackets ('2026-01（万元）',
 * 'Year (CNY 10k)'); `scale` is undefined for a unit that cannot be read exactly.
 */
export function bindHeader(text: string, months: readonly string[], year: string): BoundHeader {
  const { key, suffix } = headerKey(text);
  for (const f of ['code', 'name', 'type', 'parent', 'locked'] as const) {
    if (ALIASES[f].some((a) => fold(a) === key)) return { field: f };
  }
  const scale = scaleOf(suffix);
  if (months.includes(key)) return { field: 'month', period: key, scale };
  if (ALIASES.year.some((a) => fold(a) === key) || key === fold(year))
    return { field: 'year', scale };
  return { field: 'unknown' };
}

function scaleOf(suffix: string): MoneyScale | undefined {
  const u = fold(suffix);
  if (u.includes('万') || u.includes('10k')) return '万';
  if (u === '' || u === '元' || u === 'cny' || u === 'rmb' || u === '个' || u === 'count')
    return '';
  return undefined;
}

export function parseType(text: string): OwnerType | undefined {
  const t = fold(text);
  if ([words.unit['zh-CN'], 'unit', '部门', '团队'].some((w) => fold(w) === t)) return 'unit';
  if ([words.member['zh-CN'], 'member', '销售', 'rep'].some((w) => fold(w) === t)) return 'member';
  return undefined;
}
