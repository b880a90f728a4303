import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { acknowledgeAlert } from '../../app/alerts/acknowledge-alert.ts';
import { assignAlert } from '../../app/alerts/assign-alert.ts';
import {
  alertSummary,
  listAlertRules,
  listAlerts,
  readAlert,
  readAlertRule,
} from '../../app/alerts/queries.ts';
import { recordContingencyPlan } from '../../app/alerts/record-contingency-plan.ts';
import { saveAlertRule } from '../../app/alerts/save-alert-rule.ts';
import { snoozeAlert } from '../../app/alerts/snooze-alert.ts';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../app/actor.ts';
import { requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import { idParams } from '../schemas.ts';
import {
  acknowledgeBody,
  alertDetailSchema,
  alertItemSchema,
  alertListQuery,
  alertListSchema,
  alertRuleBody,
  alertRuleDetailSchema,
  alertRuleSchema,
  alertRuleUpdateBody,
  alertSummarySchema,
  assignBody,
  contingencyPlanBody,
  snoozeBody,
} from './schemas.ts';

/** The signed-in user, speaking the request's language (titles and summaries are rendered in it). */
const actorOf = (req: FastifyRequest): Actor => ({ ...requireUser(req), locale: req.locale });

/** The alert inbox (工作台) and the alert rules (docs/alerts-api.md). */
export const alertRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;
    const tags = ['alerts'];

    app.get(
      '/alerts',
      {
        schema: {
          tags,
          summary: 'Alerts in my scope, newest first (mine, my team, all)',
          querystring: alertListQuery,
          response: { 200: alertListSchema },
        },
      },
      async (req) => listAlerts(db, actorOf(req), req.query),
    );

    app.get(
      '/alerts/summary',
      {
        schema: {
          tags,
          summary: 'Active alert counts for the header badge',
          response: { 200: alertSummarySchema },
        },
      },
      async (req) => alertSummary(db, actorOf(req)),
    );

    app.get(
      '/alerts/:id',
      { schema: { tags, params: idParams, response: { 200: alertDetailSchema } } },
      async (req) => readAlert(db, actorOf(req), req.params.id),
    );

    app.post(
      '/alerts/:id/acknowledge',
      {
        schema: {
          tags,
          params: idParams,
          body: acknowledgeBody,
          response: { 200: alertItemSchema },
        },
      },
      async (req) =>
        acknowledgeAlert(db, actorOf(req), { id: req.params.id, note: req.body.note }, deps.now()),
    );

    app.post(
      '/alerts/:id/snooze',
      { schema: { tags, params: idParams, body: snoozeBody, response: { 200: alertItemSchema } } },
      async (req) => snoozeAlert(db, actorOf(req), { id: req.params.id, ...req.body }, deps.now()),
    );

    app.post(
      '/alerts/:id/assign',
      { schema: { tags, params: idParams, body: assignBody, response: { 200: alertItemSchema } } },
      async (req) => assignAlert(db, actorOf(req), { id: req.params.id, ...req.body }, deps.now()),
    );

    app.post(
      '/alerts/:id/contingency-plan',
      {
        schema: {
          tags,
          summary: 'Record the contingency / improvement plan a stop-loss alert asks for',
          params: idParams,
          body: contingencyPlanBody,
          response: { 200: alertItemSchema },
        },
      },
      async (req) =>
        recordContingencyPlan(db, actorOf(req), { id: req.params.id, ...req.body }, deps.now()),
    );

    app.get(
      '/alert-rules',
      { schema: { tags, response: { 200: z.array(alertRuleSchema) } } },
      async (req) => listAlertRules(db, actorOf(req)),
    );

    app.get(
      '/alert-rules/:id',
      { schema: { tags, params: idParams, response: { 200: alertRuleDetailSchema } } },
      async (req) => readAlertRule(db, actorOf(req), req.params.id),
    );

    app.post(
      '/alert-rules',
      { schema: { tags, body: alertRuleBody, response: { 200: alertRuleSchema } } },
      async (req) => saveAlertRule(db, actorOf(req), req.body, deps.now()),
    );

    app.put(
      '/alert-rules/:id',
      {
        schema: {
          tags,
          params: idParams,
          body: alertRuleUpdateBody,
          response: { 200: alertRuleSchema },
        },
      },
      async (req) =>
        saveAlertRule(db, actorOf(req), { ...req.body, id: req.params.id }, deps.now()),
    );
  };
