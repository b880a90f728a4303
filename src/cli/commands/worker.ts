import { parseArgs } from 'node:util';
import { eventSubscribers, jobHandlers, recurringJobs, workerLoops } from '../../jobs/registry.ts';
import { startWorker } from '../../jobs/worker.ts';
import { type CliContext, databaseLabel } from '../cli-context.ts';
import { badArgs } from '../parse.ts';
import { jobTiming, shutdownGraceMs, untilSignal } from './serve.ts';

/** `targetflow worker`: the job worker alone, beside any number of servers on one database. */
export async function workerCommand(ctx: CliContext, args: string[]): Promise<number> {
  badArgs('worker', () => parseArgs({ args, options: {}, strict: true }));
  const { io, t } = ctx;
  return ctx.withDatabase(async (conn) => {
    const worker = startWorker({
      db: conn.db,
      dialect: conn.dialect,
      now: ctx.now,
      handlers: jobHandlers,
      recurring: recurringJobs,
      subscribers: eventSubscribers,
      loops: workerLoops,
      ...jobTiming(io.env),
      log: (level, msg, extra) =>
        (level === 'error' ? io.stderr : io.stdout)(
          `${new Date().toISOString()} ${level} ${msg} ${extra ? JSON.stringify(extra) : ''}\n`,
        ),
    });
    io.stdout(
      t(
        `后台任务进程已启动（${databaseLabel(io)}，${worker.owner}）\n`,
        `Job worker started (${databaseLabel(io)}, ${worker.owner})\n`,
      ),
    );
    // The worker's timers are unref'd (they must not hold a server open on their own): here
    // nothing else keeps the process alive until a signal asks it to stop.
    const alive = setInterval(() => {}, 2 ** 30);
    const signal = await (io.untilShutdown ?? untilSignal)();
    clearInterval(alive);
    io.stdout(t(`收到 ${signal}，正在停止…\n`, `${signal} received, shutting down…\n`));
    await worker.stop(shutdownGraceMs(io.env));
    io.stdout(t('已停止。\n', 'Stopped.\n'));
    return 0;
  });
}
