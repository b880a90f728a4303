import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { updateSettings } from '../../app/settings/update-settings.ts';
import { getSettings } from '../../db/settings.ts';
import { requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import { settingsSchema, updateSettingsBody, updateSettingsResponse } from './schemas.ts';

export const settingsRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;

    app.get(
      '/settings',
      { schema: { tags: ['settings'], response: { 200: settingsSchema } } },
      async (req) => {
        requireUser(req);
        return getSettings(db);
      },
    );

    app.put(
      '/settings',
      {
        schema: {
          tags: ['settings'],
          summary: 'Replace the settings; new customer tier rules re-tier every customer at once',
          body: updateSettingsBody,
          response: { 200: updateSettingsResponse },
        },
      },
      async (req) => updateSettings(db, requireUser(req), req.body, deps.now()),
    );
  };
