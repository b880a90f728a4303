import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { buildApp } from '../../api/build-app.ts';
import { parseAllowedOrigins } from '../../api/csrf.ts';
import { parseTrustProxy } from '../../api/trust-proxy.ts';
import { DEFAULT_SESSION_IDLE_MS } from '../../app/auth/session.ts';
import { chinaToday } from '../../app/clock.ts';
import { AppError } from '../../domain/errors.ts';
import { DEMO_SETTING_KEY, inspectContents, seedDemo } from '../../app/seed-demo/seed-demo.ts';
import { serveBanner } from '../banner.ts';
import { type CliContext, databaseLabel } from '../cli-context.ts';
import { badArgs } from '../parse.ts';
import { formatCounts } from './seed-demo.ts';

/** The built web app, relative to this file (src/cli/commands → dist/web), wherever the repo lives. */
export const webRoot = fileURLToPath(new URL('../../../dist/web', import.meta.url));

export async function serveCommand(ctx: CliContext, args: string[]): Promise<number> {
  badArgs('serve', () => parseArgs({ args, options: {}, strict: true }));
  const { io, t } = ctx;
  const port = Number(io.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new AppError('VALIDATION', { field: 'PORT', reason: `"${io.env.PORT}"` });
  }
  const host = io.env.HOST?.trim() || '0.0.0.0';
  const graceMs = shutdownGraceMs(io.env);
  const trustProxy = parseTrustProxy(io.env.TRUST_PROXY);
  const allowedOrigins = parseAllowedOrigins(io.env.ALLOWED_ORIGINS);

  return ctx.withDatabase(async (conn) => {
    // First start: an empty database gets the demo company, so there is something to look at.
    const contents = await inspectContents(conn.db);
    if (contents.users === 0) {
      const now = ctx.now();
      const result = await seedDemo(conn.db, { today: chinaToday(now), now });
      if (result.seeded)
        io.stdout(
          t(
            '首次启动：已生成演示公司“星河电商”：',
            'First start: demo company "Galaxy Commerce" written: ',
          ) +
            formatCounts(result.counts, ctx) +
            '\n',
        );
      else
        io.stderr(
          t(
            '数据库中有主数据但没有用户：请用 targetflow user add 创建管理员账号。\n',
            'The database has master data but no users: create an admin with targetflow user add.\n',
          ),
        );
    }
    const demo = await conn.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', DEMO_SETTING_KEY)
      .executeTakeFirst();

    const app = await buildApp({
      db: conn.db,
      readDb: conn.readDb,
      dialect: conn.dialect,
      now: () => new Date(),
      webRoot,
      allowedOrigins,
      logger: io.serverLogs ?? true,
      trustProxy,
      secureCookies: io.env.COOKIE_SECURE === '1',
      sessionIdleMs: sessionIdleMs(io.env),
      jobs: {
        worker: io.env.TARGETFLOW_WORKER !== 'off',
        shutdownGraceMs: graceMs,
        ...jobTiming(io.env),
      },
    });
    try {
      await app.listen({ port, host });
    } catch (e) {
      await app.close();
      if ((e as { code?: string }).code === 'EADDRINUSE')
        throw new AppError('CLI_PORT_IN_USE', { port, host });
      throw e;
    }
    const actual = (app.server.address() as AddressInfo).port;
    io.stdout(
      serveBanner({
        url: `http://localhost:${actual}/`,
        listen: `${host}:${actual}`,
        database: databaseLabel(io),
        showLogins: demo !== undefined,
      }),
    );

    const signal = await (io.untilShutdown ?? untilSignal)();
    io.stdout(t(`收到 ${signal}，正在停止…\n`, `${signal} received, shutting down…\n`));
    // close() stops accepting connections, waits for requests in flight and stops the job worker
    // (running jobs finish within the grace period or go back to the queue); a request still
    // running after the grace period is cut off. Then the database closes.
    const cutOff = setTimeout(() => app.server.closeAllConnections(), graceMs);
    cutOff.unref();
    await app.close();
    clearTimeout(cutOff);
    io.stdout(t('已停止。\n', 'Stopped.\n'));
    return 0;
  });
}

/** How long requests in flight and running jobs get to finish on shutdown. */
export function shutdownGraceMs(env: Record<string, string | undefined>): number {
  const ms = Number(env.TARGETFLOW_SHUTDOWN_MS ?? 10_000);
  return Number.isFinite(ms) && ms >= 0 ? ms : 10_000;
}

/** SESSION_IDLE_MINUTES as milliseconds; unset or not a positive number: the 2-hour default. */
export function sessionIdleMs(env: Record<string, string | undefined>): number {
  const minutes = Number(env.SESSION_IDLE_MINUTES);
  return env.SESSION_IDLE_MINUTES && Number.isFinite(minutes) && minutes > 0
    ? minutes * 60_000
    : DEFAULT_SESSION_IDLE_MS;
}

/** Job lease and poll interval (TARGETFLOW_JOB_LEASE_MS, TARGETFLOW_JOB_POLL_MS); defaults 30 s and 1 s. */
export function jobTiming(env: Record<string, string | undefined>): {
  leaseMs?: number;
  pollMs?: number;
} {
  const ms = (v: string | undefined) => {
    const n = Number(v);
    return v !== undefined && Number.isFinite(n) && n > 0 ? n : undefined;
  };
  return { leaseMs: ms(env.TARGETFLOW_JOB_LEASE_MS), pollMs: ms(env.TARGETFLOW_JOB_POLL_MS) };
}

export function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
