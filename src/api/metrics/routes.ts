import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createMetric,
  deleteMetric,
  ensureBuiltinMetrics,
  formulaOf,
  listMetrics,
  metricById,
  updateMetric,
  type MetricRow,
} from '../../db/plans/metrics.ts';
import { audit } from '../../db/audit.ts';
import { requireRole, requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import { idParams, versionQuery } from '../schemas.ts';
import { metricBody, metricSchema, updateMetricBody } from './schemas.ts';

const tags = ['metrics'];

function toDto(m: MetricRow): z.infer<typeof metricSchema> {
  return {
    id: m.id,
    code: m.code,
    nameZh: m.name_zh,
    nameEn: m.name_en,
    level: m.level,
    kind: m.kind,
    unit: m.unit,
    formula: formulaOf(m),
    builtin: m.builtin === 1,
    version: m.version,
  };
}

export const metricRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;
    // The catalogue is code: sync it once at startup (idempotent), so reads stay plain reads and
    // every target write finds its metric row.
    await ensureBuiltinMetrics(db, deps.now());

    app.get(
      '/metrics',
      {
        schema: {
          tags,
          summary: 'Built-in and custom metrics',
          response: { 200: z.array(metricSchema) },
        },
      },
      async (req) => {
        requireUser(req);
        return (await listMetrics(db)).map(toDto);
      },
    );

    app.post(
      '/metrics',
      { schema: { tags, body: metricBody, response: { 201: metricSchema } } },
      async (req, reply) => {
        const user = requireRole(req, ['admin']);
        const now = deps.now();
        const id = await db.transaction().execute(async (trx) => {
          const id = await createMetric(trx, req.body, now);
          await audit(trx, now, {
            userId: user.id,
            action: 'create',
            entity: 'metric',
            entityId: id,
            after: req.body,
          });
          return id;
        });
        return reply.status(201).send(toDto(await metricById(db, id)));
      },
    );

    app.put(
      '/metrics/:id',
      {
        schema: { tags, params: idParams, body: updateMetricBody, response: { 200: metricSchema } },
      },
      async (req) => {
        const user = requireRole(req, ['admin']);
        const now = deps.now();
        const { version, ...m } = req.body;
        await db.transaction().execute(async (trx) => {
          const before = await updateMetric(trx, req.params.id, version, m, now);
          await audit(trx, now, {
            userId: user.id,
            action: 'update',
            entity: 'metric',
            entityId: before.id,
            before,
            after: m,
          });
        });
        return toDto(await metricById(db, req.params.id));
      },
    );

    app.delete(
      '/metrics/:id',
      {
        schema: { tags, params: idParams, querystring: versionQuery, response: { 204: z.null() } },
      },
      async (req, reply) => {
        const user = requireRole(req, ['admin']);
        const now = deps.now();
        await db.transaction().execute(async (trx) => {
          const before = await deleteMetric(trx, req.params.id, req.query.version);
          await audit(trx, now, {
            userId: user.id,
            action: 'delete',
            entity: 'metric',
            entityId: before.id,
            before,
          });
        });
        return reply.status(204).send(null);
      },
    );
  };
