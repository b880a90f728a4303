import type { Db } from '../../db/connect.ts';
import { metricByCode } from '../../db/plans/metrics.ts';
import { getVersion } from '../../db/plans/versions.ts';
import type { Actor, Locale } from '../actor.ts';
import { writeXlsx } from '../import/write-table.ts';
import { compareSheet, monthlyTableSheet, proposalsSheet } from './plan-sheets.ts';
import { readCompare, type CompareQuery } from './read-compare.ts';
import { readMonthlyTable, type MonthlyTableQuery } from './read-monthly-table.ts';
import { readProposals, type ProposalsQuery } from './read-proposals.ts';

/** A workbook and the name to download it under. */
export interface ExportedFile {
  body: Buffer;
  name: string;
}

const localName = (lang: Locale, m: { name_zh: string; name_en: string }) =>
  lang === 'zh-CN' ? m.name_zh : m.name_en;

/**
 * The planner's read-only tables as .xlsx, with the same scope as their JSON reads (they call the
 * same read functions): version compare, proposals against assignments, the monthly target
 * table. Money in 元 (two decimals).
 */
export async function exportCompareXlsx(
  db: Db,
  actor: Actor,
  query: CompareQuery & { lang: Locale },
): Promise<ExportedFile> {
  const c = await readCompare(db, actor, query);
  const metric = await metricByCode(db, query.metric);
  const [a, b] = [await getVersion(db, query.a), await getVersion(db, query.b)];
  const body = await writeXlsx([
    compareSheet(c, {
      locale: query.lang,
      unit: metric.unit,
      metricName: localName(query.lang, metric),
      a: a.version.number,
      b: b.version.number,
    }),
  ]);
  const name =
    query.lang === 'zh-CN'
      ? `版本对比-${a.version.number}-${b.version.number}.xlsx`
      : `compare-v${a.version.number}-v${b.version.number}.xlsx`;
  return { body, name };
}

export async function exportProposalsXlsx(
  db: Db,
  actor: Actor,
  versionId: number,
  query: ProposalsQuery & { lang: Locale },
): Promise<ExportedFile> {
  const p = await readProposals(db, actor, versionId, query);
  const metric = await metricByCode(db, query.metric);
  const body = await writeXlsx([
    proposalsSheet(p, {
      locale: query.lang,
      unit: metric.unit,
      metricName: localName(query.lang, metric),
    }),
  ]);
  const name =
    query.lang === 'zh-CN'
      ? `目标提报-${versionId}-${p.period}.xlsx`
      : `proposals-${versionId}-${p.period}.xlsx`;
  return { body, name };
}

export async function exportMonthlyTableXlsx(
  db: Db,
  actor: Actor,
  versionId: number,
  query: MonthlyTableQuery & { lang: Locale },
): Promise<ExportedFile> {
  const m = await readMonthlyTable(db, actor, versionId, query);
  const metrics = await db.selectFrom('metrics').select(['code', 'name_zh', 'name_en']).execute();
  const body = await writeXlsx([
    monthlyTableSheet(m, {
      locale: query.lang,
      metricNames: new Map(metrics.map((x) => [x.code, localName(query.lang, x)])),
    }),
  ]);
  const name =
    query.lang === 'zh-CN'
      ? `月度目标表-${versionId}-${m.month}.xlsx`
      : `monthly-targets-${versionId}-${m.month}.xlsx`;
  return { body, name };
}
