import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { metricByCode } from '../../db/plans/metrics.ts';
import { getVersion } from '../../db/plans/versions.ts';
import { writeXlsx } from '../../app/import/write-table.ts';
import { requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import type { Locale } from '../../app/actor.ts';
import { idParams } from '../schemas.ts';
import { attachment, XLSX } from './excel-routes.ts';
import { compareSheet, monthlyTableSheet, proposalsSheet } from './export.ts';
import { readProposals, readMonthlyTable } from './proposal-routes.ts';
import { readCompare } from './read-routes.ts';
import { compareQuery, exportLang, monthlyTableQuery, proposalsQuery } from './schemas.ts';

const tags = ['plans'];
const localName = (lang: Locale, m: { name_zh: string; name_en: string }) =>
  lang === 'zh-CN' ? m.name_zh : m.name_en;

/**
 * The planner's read-only tables as .xlsx, with the same scope as their JSON reads: version
 * compare, proposals against assignments, the monthly target table. Money in 元 (two decimals).
 */
export const exportRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;

    app.get(
      '/plan-versions/compare.xlsx',
      {
        schema: {
          tags,
          summary: 'Version compare as .xlsx (money in 元)',
          querystring: compareQuery.extend(exportLang.shape),
        },
      },
      async (req, reply) => {
        const user = requireUser(req);
        const lang = req.query.lang ?? req.locale;
        const c = await readCompare(db, user, req.query);
        const metric = await metricByCode(db, req.query.metric);
        const [a, b] = [await getVersion(db, req.query.a), await getVersion(db, req.query.b)];
        const body = await writeXlsx([
          compareSheet(c, {
            locale: lang,
            unit: metric.unit,
            metricName: localName(lang, metric),
            a: a.version.number,
            b: b.version.number,
          }),
        ]);
        const name =
          lang === 'zh-CN'
            ? `版本对比-${a.version.number}-${b.version.number}.xlsx`
            : `compare-v${a.version.number}-v${b.version.number}.xlsx`;
        return reply
          .header('content-type', XLSX)
          .header('content-disposition', attachment(name))
          .send(body);
      },
    );

    app.get(
      '/plan-versions/:id/proposals.xlsx',
      {
        schema: {
          tags,
          summary: 'Proposals against assignments as .xlsx (money in 元)',
          params: idParams,
          querystring: proposalsQuery.extend(exportLang.shape),
        },
      },
      async (req, reply) => {
        const user = requireUser(req);
        const lang = req.query.lang ?? req.locale;
        const p = await readProposals(db, user, req.params.id, req.query);
        const metric = await metricByCode(db, req.query.metric);
        const body = await writeXlsx([
          proposalsSheet(p, {
            locale: lang,
            unit: metric.unit,
            metricName: localName(lang, metric),
          }),
        ]);
        const name =
          lang === 'zh-CN'
            ? `目标提报-${req.params.id}-${p.period}.xlsx`
            : `proposals-${req.params.id}-${p.period}.xlsx`;
        return reply
          .header('content-type', XLSX)
          .header('content-disposition', attachment(name))
          .send(body);
      },
    );

    app.get(
      '/plan-versions/:id/monthly-table.xlsx',
      {
        schema: {
          tags,
          summary: 'The monthly target table as .xlsx (money in 元, ratios in %)',
          params: idParams,
          querystring: monthlyTableQuery.extend(exportLang.shape),
        },
      },
      async (req, reply) => {
        const user = requireUser(req);
        const lang = req.query.lang ?? req.locale;
        const m = await readMonthlyTable(db, user, req.params.id, req.query);
        const metrics = await db
          .selectFrom('metrics')
          .select(['code', 'name_zh', 'name_en'])
          .execute();
        const body = await writeXlsx([
          monthlyTableSheet(m, {
            locale: lang,
            metricNames: new Map(metrics.map((x) => [x.code, localName(lang, x)])),
          }),
        ]);
        const name =
          lang === 'zh-CN'
            ? `月度目标表-${req.params.id}-${m.month}.xlsx`
            : `monthly-targets-${req.params.id}-${m.month}.xlsx`;
        return reply
          .header('content-type', XLSX)
          .header('content-disposition', attachment(name))
          .send(body);
      },
    );
  };
