import { parseArgs } from 'node:util';
import { systemActor } from '../../app/actor.ts';
import { chinaToday } from '../../app/clock.ts';
import {
  monthEndOf,
  previousMonthEnd,
  snapshotForecasts,
} from '../../app/tracking/snapshot-forecasts.ts';
import { addDays } from '../../domain/dates.ts';
import { AppError } from '../../domain/errors.ts';
import type { CliContext } from '../cli-context.ts';
import { badArgs } from '../parse.ts';

/**
 * `targetflow forecasts snapshot [--as-of DATE] [--from DATE]`: what the daily job does, by hand —
 * the forecasts of every node as of a month-end (default: the last one); `--from` backfills every
 * month-end from that date's month up to `--as-of`.
 */
export async function forecastsCommand(ctx: CliContext, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'snapshot')
    throw new AppError('CLI_UNKNOWN_COMMAND', { command: `forecasts ${sub ?? ''}`.trim() });
  const { values } = badArgs('forecasts', () =>
    parseArgs({
      args: rest,
      options: { 'as-of': { type: 'string' }, from: { type: 'string' } },
      strict: true,
    }),
  );
  const now = ctx.now();
  const last = values['as-of'] ?? previousMonthEnd(chinaToday(now));
  const ends: string[] = [];
  if (values.from) {
    for (let d = monthEndOf(values.from); d <= last; d = monthEndOf(addDays(d, 1))) ends.push(d);
  } else ends.push(last);
  for (const asOf of ends) {
    const r = await ctx.withDatabase(({ db }) =>
      snapshotForecasts(db, systemActor(ctx.locale), { asOf }, now),
    );
    ctx.io.stdout(
      ctx.t(
        `${r.asOf}：读取 ${r.forecasts} 个节点×期间，写入 ${r.written} 条预测${r.pipelineKept ? '' : '（补录：不含商机加权预测）'}\n`,
        `${r.asOf}: ${r.forecasts} node-periods read, ${r.written} forecasts written${r.pipelineKept ? '' : ' (backfill: no pipeline forecast)'}\n`,
      ),
    );
  }
  return 0;
}
