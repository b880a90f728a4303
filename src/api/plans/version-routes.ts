import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commitPlanTarget } from '../../app/plans/commit-target.ts';
import { computeLenses } from '../../app/plans/compute-lenses.ts';
import { copyVersion } from '../../app/plans/copy-version.ts';
import { createPlan } from '../../app/plans/create-plan.ts';
import { listPlans } from '../../app/plans/list-plans.ts';
import { readVersionDetail } from '../../app/plans/read-plan-versions.ts';
import { transitionVersion } from '../../app/plans/transition-version.ts';
import { updateVersionSettings } from '../../app/plans/update-version-settings.ts';
import type { Transition } from '../../db/plans/versions.ts';
import { requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import { idParams } from '../schemas.ts';
import {
  commitBody,
  commitResponse,
  createPlanBody,
  lensesBody,
  lensesResponse,
  planSchema,
  planVersionSchema,
  settingsBody,
  transitionBody,
  versionDetailSchema,
} from './schemas.ts';

const tags = ['plans'];

export const versionRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;

    app.get(
      '/plans',
      {
        schema: {
          tags,
          summary: 'Plans by fiscal year with the versions the caller may see (no drafts for reps)',
          response: { 200: z.array(planSchema) },
        },
      },
      async (req) => listPlans(db, requireUser(req)),
    );

    app.post(
      '/plans',
      {
        schema: {
          tags,
          summary: 'Create a plan for a fiscal year with version 1 as a draft',
          body: createPlanBody,
          response: { 201: planSchema },
        },
      },
      async (req, reply) =>
        reply.status(201).send(await createPlan(db, requireUser(req), req.body, deps.now())),
    );

    app.get(
      '/plan-versions/:id',
      { schema: { tags, params: idParams, response: { 200: versionDetailSchema } } },
      async (req) => readVersionDetail(db, requireUser(req), req.params.id),
    );

    app.put(
      '/plan-versions/:id/settings',
      {
        schema: {
          tags,
          summary: 'Tier percentages and buffer (bp) of a draft',
          params: idParams,
          body: settingsBody,
          response: { 200: versionDetailSchema },
        },
      },
      async (req) => {
        const user = requireUser(req);
        await updateVersionSettings(
          db,
          user,
          { versionId: req.params.id, ...req.body },
          deps.now(),
        );
        return readVersionDetail(db, user, req.params.id);
      },
    );

    const transition = (action: Transition) =>
      app.post(
        `/plan-versions/:id/${action}`,
        {
          schema: {
            tags,
            summary: `Workflow: ${action}`,
            params: idParams,
            body: transitionBody,
            response: { 200: planVersionSchema },
          },
        },
        async (req) =>
          transitionVersion(
            db,
            requireUser(req),
            { versionId: req.params.id, action, ...req.body },
            deps.now(),
          ),
      );
    transition('submit');
    transition('approve');
    transition('reject');
    transition('activate');

    app.post(
      '/plan-versions/:id/copy',
      {
        schema: {
          tags,
          summary:
            'New draft based on this version (cells and splits copied); months already elapsed are frozen',
          params: idParams,
          response: { 201: planVersionSchema },
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(await copyVersion(db, requireUser(req), { versionId: req.params.id }, deps.now())),
    );

    app.post(
      '/plan-versions/:id/lenses',
      {
        schema: {
          tags,
          summary:
            'Compute the three lenses (top-down, bottom-up capacity, funnel) and store inputs and results',
          params: idParams,
          body: lensesBody,
          response: { 200: lensesResponse },
        },
      },
      async (req) =>
        computeLenses(db, requireUser(req), { versionId: req.params.id, ...req.body }, deps.now()),
    );

    app.put(
      '/plan-versions/:id/commit',
      {
        schema: {
          tags,
          summary:
            "Commit the target: sets the company root's fiscal-year cell and returns the tiers",
          params: idParams,
          body: commitBody,
          response: { 200: commitResponse },
        },
      },
      async (req) =>
        commitPlanTarget(
          db,
          requireUser(req),
          { versionId: req.params.id, ...req.body },
          deps.now(),
        ),
    );
  };
