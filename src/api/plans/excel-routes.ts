import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { exportGridXlsx } from '../../app/plan-excel/export-grid.ts';
import { importGridXlsx } from '../../app/plan-excel/import-grid.ts';
import { requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import { idParams, localeSchema } from '../schemas.ts';
import { readUpload } from '../upload.ts';

const tags = ['plans'];
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const gridXlsxQuery = z.object({
  metric: z.string().default('revenue'),
  /** Start from this unit (default: the top of what the caller may see). */
  unitId: z.coerce.number().int().positive().optional(),
  lang: localeSchema.optional(),
  /** Money in 元 or 万元 (default: the user's setting, 万元 unless they chose 元). */
  unit: z.enum(['yuan', 'wan']).optional(),
});

export const gridImportResponse = z.object({
  rows: z.number(),
  changed: z.number(),
  respread: z.number(),
  version: z.number(),
});

/** RFC 5987, so a non-ASCII file name survives the download. */
export function attachment(name: string): string {
  return `attachment; filename="${name.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * The decomposition grid as an Excel round trip: download, edit in Excel (totals are formulas),
 * upload. Reading follows the grid's scope; writing the plan API's (managers inside their subtree,
 * the director and admins everywhere; all or nothing, every problem by row and column).
 */
export const excelRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;

    app.get(
      '/plan-versions/:id/grid.xlsx',
      {
        schema: {
          tags,
          summary:
            'The grid (org rows × months and the year) as an .xlsx with live totals, lock marks and metadata for re-import',
          params: idParams,
          querystring: gridXlsxQuery,
        },
      },
      async (req, reply) => {
        const user = requireUser(req);
        const lang = req.query.lang ?? req.locale;
        const body = await exportGridXlsx(db, {
          versionId: req.params.id,
          metricCode: req.query.metric,
          ...(req.query.unitId === undefined ? {} : { unitId: req.query.unitId }),
          lang,
          actor: user,
          now: deps.now(),
          amountUnit: req.query.unit ?? (user.amountUnit === 'yuan' ? 'yuan' : 'wan'),
        });
        const name =
          lang === 'zh-CN'
            ? `目标分解-${req.params.id}-${req.query.metric}.xlsx`
            : `targets-${req.params.id}-${req.query.metric}.xlsx`;
        return reply
          .header('content-type', XLSX)
          .header('content-disposition', attachment(name))
          .send(body);
      },
    );

    app.post(
      '/plan-versions/:id/grid-import',
      {
        schema: {
          tags,
          summary:
            'Import an edited grid .xlsx (multipart field "file"): changed cells are written and re-spread below, or nothing is',
          consumes: ['multipart/form-data'],
          params: idParams,
          response: { 200: gridImportResponse },
        },
      },
      async (req) => {
        const user = requireUser(req);
        const { buffer, fileName } = await readUpload(req);
        return importGridXlsx(db, buffer, {
          versionId: req.params.id,
          actor: user,
          now: deps.now(),
          fileName,
        });
      },
    );
  };
