import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { checkReadiness } from '../../db/readiness.ts';
import type { AppDeps } from '../context.ts';

const notReady = z.object({
  ready: z.literal(false),
  reason: z.enum(['database_unreachable', 'migrations_pending']),
  pending: z.array(z.string()).optional(),
});

/**
 * Probes for a load balancer or orchestrator. Both are public and skip the session lookup
 * (`probe`): liveness must answer without the database, readiness must not fail on a stale cookie.
 */
export const systemRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    // Liveness: the process answers. No database access, so a database outage does not get
    // every instance restarted; readiness takes it out of rotation instead.
    app.get(
      '/health',
      {
        config: { public: true, probe: true },
        schema: {
          tags: ['system'],
          response: { 200: z.object({ ok: z.boolean(), dialect: z.string() }) },
        },
      },
      async () => ({ ok: true, dialect: deps.dialect }),
    );

    app.get(
      '/ready',
      {
        config: { public: true, probe: true },
        schema: {
          tags: ['system'],
          response: {
            200: z.object({ ready: z.literal(true), dialect: z.string(), migrations: z.number() }),
            503: notReady,
          },
        },
      },
      async (req, reply) => {
        const r = await checkReadiness(deps.db);
        if (r.ready)
          return { ready: true as const, dialect: deps.dialect, migrations: r.migrations };
        if (r.reason === 'database_unreachable') {
          // The driver's message may name hosts and users: for the log, not for a public probe.
          req.log.warn({ reason: r.detail }, 'not ready: the database does not answer');
          return reply.status(503).send({ ready: false, reason: r.reason });
        }
        return reply.status(503).send(r);
      },
    );
  };
