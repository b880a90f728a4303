import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { startRollupRebuild } from '../../app/facts/start-rollup-rebuild.ts';
import { cancelJob } from '../../app/jobs/cancel-job.ts';
import { getJob } from '../../app/jobs/get-job.ts';
import type { JobView } from '../../app/jobs/job-view.ts';
import { listJobs } from '../../app/jobs/list-jobs.ts';
import { readJobFile } from '../../app/jobs/read-job-file.ts';
import { translate, type Locale } from '../../i18n/translate.ts';
import { requireUser } from '../authorize.ts';
import { problemsBody } from '../errors.ts';
import type { AppDeps } from '../context.ts';
import { attachment } from '../facts/routes.ts';
import { idParams } from '../schemas.ts';
import { jobViewSchema, listJobsQuery } from './schemas.ts';

type JobDto = z.infer<typeof jobViewSchema>;

/** A job with its error in the caller's language. */
function jobDto(job: JobView, locale: Locale): JobDto {
  return {
    ...job,
    error: job.error && {
      code: job.error.code,
      message: translate(job.error.code, job.error.params, locale),
      problems: problemsBody(job.error.problems, locale),
    },
  };
}

/** Background jobs: a user's own (an admin's: everyone's), their progress, cancel, their files. */
export const jobRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;

    app.get(
      '/jobs',
      {
        schema: {
          tags: ['jobs'],
          summary: "The caller's background jobs, newest first (admins: all=true for everyone's)",
          querystring: listJobsQuery,
          response: { 200: z.array(jobViewSchema) },
        },
      },
      async (req) => {
        const user = requireUser(req);
        const jobs = await listJobs(db, user, {
          all: req.query.all === 'true',
          state: req.query.state,
          limit: req.query.limit,
        });
        return jobs.map((j) => jobDto(j, req.locale));
      },
    );

    app.get(
      '/jobs/:id',
      {
        schema: {
          tags: ['jobs'],
          summary: 'One job: state, progress, result or error',
          params: idParams,
          response: { 200: jobViewSchema },
        },
      },
      async (req) => jobDto(await getJob(db, requireUser(req), req.params.id), req.locale),
    );

    app.post(
      '/jobs/:id/cancel',
      {
        schema: {
          tags: ['jobs'],
          summary:
            'Cancel a job: a queued one at once, a running one at its next heartbeat (rolled back)',
          params: idParams,
          response: { 200: jobViewSchema },
        },
      },
      async (req) =>
        jobDto(await cancelJob(db, requireUser(req), req.params.id, deps.now()), req.locale),
    );

    app.post(
      '/jobs/rollups-rebuild',
      {
        schema: {
          tags: ['jobs'],
          summary:
            'Admins: rebuild every rollup from the facts as a background job (one at a time; asking again returns the pending one)',
          response: { 202: z.object({ jobId: z.number() }) },
        },
      },
      async (req, reply) => {
        const job = await startRollupRebuild(db, requireUser(req), deps.now());
        deps.nudgeJobs?.();
        return reply.code(202).send(job);
      },
    );

    app.get(
      '/jobs/files/:id',
      {
        schema: {
          tags: ['jobs'],
          summary: 'A file a job produced (bad rows, an export)',
          params: z.object({ id: z.string().min(1).max(64) }),
        },
      },
      async (req, reply) => {
        const file = await readJobFile(db, requireUser(req), req.params.id, deps.now());
        return reply
          .header('content-type', file.contentType)
          .header('content-disposition', attachment(file.name))
          .send(file.data);
      },
    );
  };
