import { existsSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { constants as zlib } from 'node:zlib';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { AppError, isAppError } from '../domain/errors.ts';
import { SESSION_COOKIE, forgetSessions, pickLocale, userForSession } from '../app/auth/session.ts';
import type { AppDeps } from './context.ts';
import { registerCsrfGuard } from './csrf.ts';
import { errorBody, statusOf as statusFor } from './errors.ts';
import { notFoundHandler } from './not-found.ts';
import { databaseRateLimitStore } from './rate-limit-store.ts';
import { requestIdFor } from './request-id.ts';
import { trustProxyOption } from './trust-proxy.ts';
import { registerRoutes } from './routes.ts';
import { registerSecurityHeaders } from './security-headers.ts';
import { eventSubscribers, jobHandlers, recurringJobs, workerLoops } from '../jobs/registry.ts';
import { startWorker, type Worker } from '../jobs/worker.ts';

export type App = FastifyInstance;

/**
 * The instance's job worker: claims queued jobs (from any instance), runs recurring slots and
 * drains the outbox; stopped with the app (running jobs finish within the grace period or go back
 * to the queue).
 */
function startAppWorker(app: FastifyInstance, deps: AppDeps): Worker | undefined {
  if (deps.jobs?.worker === false) return undefined;
  const worker = startWorker({
    db: deps.db,
    dialect: deps.dialect,
    now: deps.now,
    handlers: jobHandlers,
    recurring: recurringJobs,
    subscribers: eventSubscribers,
    loops: workerLoops,
    pollMs: deps.jobs?.pollMs,
    leaseMs: deps.jobs?.leaseMs,
    log: (level, msg, extra) => app.log[level](extra ?? {}, msg),
  });
  app.decorate('jobWorker', worker);
  app.addHook('onClose', async () => worker.stop(deps.jobs?.shutdownGraceMs));
  return worker;
}

/** Builds the whole server without listening, so tests drive it with `app.inject()`. */
export async function buildApp(deps: AppDeps): Promise<App> {
  const app = Fastify({
    logger: deps.logger ? { level: 'info' } : false,
    bodyLimit: 50 * 1024 * 1024,
    trustProxy: trustProxyOption(deps.trustProxy),
    // Every log line of a request carries its id (reqId), echoed in the x-request-id header.
    requestIdHeader: false,
    genReqId: requestIdFor,
  }).withTypeProvider<ZodTypeProvider>();
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  registerCsrfGuard(app, deps.allowedOrigins ?? []);
  registerSecurityHeaders(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: 50 * 1024 * 1024, files: 1 } });
  // Counters in the database: instances sharing it share the limits (sign-in throttling).
  await app.register(rateLimit, {
    global: false,
    store: databaseRateLimitStore(deps.db, deps.now),
  });
  // Replies over 1 KB (API JSON, the web app's files) in brotli or gzip. Brotli at quality 5: the
  // antd chunk (1.1 MB) takes 0.25 s and 319 KB there, 7.8 s and 286 KB at the default 11.
  await app.register(compress, {
    threshold: 1024,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 5 } },
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Targetflow API', description: '销售目标管理系统 API', version: '0.1.0' },
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } },
      },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.decorateRequest('user', null);
  app.decorateRequest('locale', 'zh-CN');

  app.addHook('onRequest', async (req) => {
    req.locale = pickLocale(
      (req.headers['x-locale'] as string | undefined) ?? req.headers['accept-language'],
    );
    if (!req.url.startsWith('/api/') || req.routeOptions.config?.probe) return;
    const token = req.cookies[SESSION_COOKIE];
    if (token)
      req.user = await userForSession(deps.readDb ?? deps.db, token, deps.now(), {
        idleMs: deps.sessionIdleMs,
        touchDb: deps.db,
      });
    if (req.user && !req.headers['x-locale']) req.locale = req.user.locale;
    if (
      !req.user &&
      !req.routeOptions.config?.public &&
      req.url.startsWith('/api/') &&
      !req.url.startsWith('/api/docs')
    ) {
      throw new AppError('UNAUTHENTICATED');
    }
  });

  // Sessions are cached per process (src/app/auth/session.ts). Any write through the API may
  // change what a session stands for — a role, an account, a password, the units a manager
  // manages — so every write forgets them before its answer leaves; reads re-read them once.
  const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
  app.addHook('onSend', async (req) => {
    if (!READS.has(req.method) && req.url !== '/api/auth/login') forgetSessions(deps.db);
  });

  app.setErrorHandler((err, req, reply) => {
    if (isAppError(err)) {
      return reply.status(statusFor(err.code)).send(errorBody(err, req.locale));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issue = err.validation[0];
      const field =
        issue?.instancePath?.replace(/^\//, '').replace(/\//g, '.') ||
        String(issue?.params?.issue ?? '');
      const problems = err.validation.map((v) => ({
        column: v.instancePath.replace(/^\//, '').replace(/\//g, '.'),
        code: 'VALIDATION' as const,
        params: {
          field: v.instancePath.replace(/^\//, '').replace(/\//g, '.'),
          reason: v.message ?? '',
        },
      }));
      const e = new AppError('VALIDATION', { field, reason: issue?.message ?? '' }, problems);
      return reply.status(400).send(errorBody(e, req.locale));
    }
    const status = (err as { statusCode?: number }).statusCode;
    if (status === 429)
      return reply.status(429).send(errorBody(new AppError('RATE_LIMITED'), req.locale));
    if (status && status >= 400 && status < 500) {
      // Fastify's own refusals (content type, JSON syntax, body size…) carry English text: the
      // user gets a translated code instead, the original goes to the log.
      req.log.info({ err }, 'request refused by the framework');
      return reply.status(status).send(errorBody(frameworkRefusal(err, status, req), req.locale));
    }
    req.log.error(err);
    return reply.status(500).send(errorBody(new AppError('INTERNAL'), req.locale));
  });

  const worker = startAppWorker(app, deps);
  const routeDeps: AppDeps = { ...deps, nudgeJobs: () => void worker?.tick() };
  await app.register(async (api) => registerRoutes(api, routeDeps), { prefix: '/api' });

  if (deps.webRoot && existsSync(join(deps.webRoot, 'index.html'))) {
    // wildcard: files are looked up per request, so a rebuilt web app is served without a restart;
    // a missing file falls through to the not-found handler below (the SPA shell).
    // Files under assets/ carry a content hash in their names: cached for good. Everything else
    // (index.html, the SPA shell) is revalidated, so a deploy reaches browsers at once.
    const assets = resolve(deps.webRoot, 'assets') + sep;
    await app.register(fastifyStatic, {
      root: deps.webRoot,
      wildcard: true,
      cacheControl: false,
      setHeaders: (reply, path) =>
        reply.header(
          'cache-control',
          resolve(path).startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache',
        ),
    });
    // Client-side routes: any non-API GET that is not a file gets the app shell.
    app.setNotFoundHandler(notFoundHandler(true));
  } else {
    app.setNotFoundHandler(notFoundHandler(false));
  }
  return app;
}

/** A translated error for a 4xx raised by Fastify itself rather than by our code. */
function frameworkRefusal(err: unknown, status: number, req: FastifyRequest): AppError {
  const code = (err as { code?: string }).code ?? '';
  if (status === 415 || code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return new AppError('REQUEST_MEDIA_TYPE', {
      type: String(req.headers['content-type'] ?? '—').slice(0, 80),
    });
  if (status === 413 || code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return new AppError('REQUEST_TOO_LARGE');
  if (
    code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
    code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
    err instanceof SyntaxError
  )
    return new AppError('REQUEST_BODY_INVALID');
  return new AppError('REQUEST_INVALID', { status });
}
