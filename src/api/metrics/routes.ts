import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createMetric } from '../../app/metrics/create-metric.ts';
import { deleteMetric } from '../../app/metrics/delete-metric.ts';
import { listMetrics } from '../../app/metrics/queries.ts';
import { updateMetric } from '../../app/metrics/update-metric.ts';
import { ensureBuiltinMetrics } from '../../db/plans/metrics.ts';
import { requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import { idParams, versionQuery } from '../schemas.ts';
import { metricBody, metricSchema, updateMetricBody } from './schemas.ts';

const tags = ['metrics'];

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
        return listMetrics(db);
      },
    );

    app.post(
      '/metrics',
      { schema: { tags, body: metricBody, response: { 201: metricSchema } } },
      async (req, reply) =>
        reply.status(201).send(await createMetric(db, requireUser(req), req.body, deps.now())),
    );

    app.put(
      '/metrics/:id',
      {
        schema: { tags, params: idParams, body: updateMetricBody, response: { 200: metricSchema } },
      },
      async (req) =>
        updateMetric(db, requireUser(req), { ...req.body, id: req.params.id }, deps.now()),
    );

    app.delete(
      '/metrics/:id',
      {
        schema: { tags, params: idParams, querystring: versionQuery, response: { 204: z.null() } },
      },
      async (req, reply) => {
        const input = { id: req.params.id, version: req.query.version };
        await deleteMetric(db, requireUser(req), input, deps.now());
        return reply.status(204).send(null);
      },
    );
  };
