import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  exportCompareXlsx,
  exportMonthlyTableXlsx,
  exportProposalsXlsx,
  type ExportedFile,
} from '../../app/plans/export-plan-tables.ts';
import { requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import { idParams } from '../schemas.ts';
import { attachment, XLSX } from './excel-routes.ts';
import { compareQuery, exportLang, monthlyTableQuery, proposalsQuery } from './schemas.ts';
import type { FastifyReply } from 'fastify';

const tags = ['plans'];

function download(reply: FastifyReply, file: ExportedFile) {
  return reply
    .header('content-type', XLSX)
    .header('content-disposition', attachment(file.name))
    .send(file.body);
}

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
      async (req, reply) =>
        download(
          reply,
          await exportCompareXlsx(db, requireUser(req), {
            ...req.query,
            lang: req.query.lang ?? req.locale,
          }),
        ),
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
      async (req, reply) =>
        download(
          reply,
          await exportProposalsXlsx(db, requireUser(req), req.params.id, {
            ...req.query,
            lang: req.query.lang ?? req.locale,
          }),
        ),
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
      async (req, reply) =>
        download(
          reply,
          await exportMonthlyTableXlsx(db, requireUser(req), req.params.id, {
            ...req.query,
            lang: req.query.lang ?? req.locale,
          }),
        ),
    );
  };
