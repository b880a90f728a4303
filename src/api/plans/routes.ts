import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../context.ts';
import { editRoutes } from './edit-routes.ts';
import { excelRoutes } from './excel-routes.ts';
import { exportRoutes } from './export-routes.ts';
import { historyRoutes } from './history-routes.ts';
import { matrixRoutes } from './matrix-routes.ts';
import { proposalRoutes } from './proposal-routes.ts';
import { readRoutes } from './read-routes.ts';
import { versionRoutes } from './version-routes.ts';

/** The planner: plans and versions, the three lenses, decomposition, the grid, proposals. */
export const planRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    await app.register(versionRoutes(deps));
    await app.register(editRoutes(deps));
    await app.register(readRoutes(deps));
    await app.register(proposalRoutes(deps));
    await app.register(excelRoutes(deps));
    await app.register(exportRoutes(deps));
    await app.register(historyRoutes(deps));
    await app.register(matrixRoutes(deps));
  };
