import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { alertRoutes } from './alerts/routes.ts';
import { auditRoutes } from './audit/routes.ts';
import { authRoutes } from './auth/routes.ts';
import { calendarRoutes } from './calendar/routes.ts';
import type { AppDeps } from './context.ts';
import { customerRoutes } from './customers/routes.ts';
import { dimensionRoutes } from './dimensions/routes.ts';
import { factRoutes } from './facts/routes.ts';
import { importRoutes } from './imports/routes.ts';
import { jobRoutes } from './jobs/routes.ts';
import { memberRoutes } from './members/routes.ts';
import { metricRoutes } from './metrics/routes.ts';
import { orgRoutes } from './org/routes.ts';
import { planRoutes } from './plans/routes.ts';
import { productLineRoutes } from './product-lines/routes.ts';
import { productRoutes } from './products/routes.ts';
import { settingsRoutes } from './settings/routes.ts';
import { systemRoutes } from './system/routes.ts';
import { trackingRoutes } from './tracking/routes.ts';
import { userRoutes } from './users/routes.ts';

/** Every feature's routes, mounted under /api. */
export async function registerRoutes(
  api: Parameters<FastifyPluginAsyncZod>[0],
  deps: AppDeps,
): Promise<void> {
  await api.register(systemRoutes(deps));
  api.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () =>
    api.swagger(),
  );
  await api.register(authRoutes(deps));
  await api.register(orgRoutes(deps));
  await api.register(memberRoutes(deps));
  await api.register(productLineRoutes(deps));
  await api.register(productRoutes(deps));
  await api.register(dimensionRoutes(deps));
  await api.register(customerRoutes(deps));
  await api.register(settingsRoutes(deps));
  await api.register(calendarRoutes(deps));
  await api.register(userRoutes(deps));
  await api.register(auditRoutes(deps));
  await api.register(importRoutes(deps));
  await api.register(factRoutes(deps));
  await api.register(jobRoutes(deps));
  await api.register(metricRoutes(deps));
  await api.register(planRoutes(deps));
  await api.register(trackingRoutes(deps));
  await api.register(alertRoutes(deps));
}
