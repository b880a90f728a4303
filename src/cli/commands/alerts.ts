import { parseArgs } from 'node:util';
import { systemActor } from '../../app/actor.ts';
import { evaluateAlerts } from '../../app/alerts/evaluate-alerts.ts';
import { AppError } from '../../domain/errors.ts';
import { isValidDate } from '../../domain/periods.ts';
import { type CliContext, databaseLabel } from '../cli-context.ts';
import { badArgs } from '../parse.ts';

/** `targetflow alerts evaluate [--as-of DATE]`: the daily evaluation, on demand or as a backfill. */
export async function alertsCommand(ctx: CliContext, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'evaluate')
    throw new AppError('CLI_UNKNOWN_COMMAND', { command: `alerts ${sub ?? ''}`.trim() });
  const { values } = badArgs('alerts', () =>
    parseArgs({ args: rest, options: { 'as-of': { type: 'string' } }, strict: true }),
  );
  const asOf = values['as-of'];
  if (asOf !== undefined && !isValidDate(asOf)) throw new AppError('DATE_INVALID', { value: asOf });
  const now = ctx.now();
  const result = await ctx.withDatabase((conn) =>
    evaluateAlerts(
      conn.db,
      systemActor(ctx.locale),
      { ...(asOf ? { asOf } : {}), escalate: asOf === undefined },
      now,
    ),
  );
  const { io, t } = ctx;
  io.stdout(`${databaseLabel(io)}\n`);
  const changes = Object.entries(result.transitions)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  io.stdout(
    t(
      `预警评估完成（截至 ${result.asOf}）：${result.rules} 条规则，${result.verdicts} 个结论，${result.firing} 个触发；变化：${changes || '无'}\n`,
      `Alerts evaluated as of ${result.asOf}: ${result.rules} rules, ${result.verdicts} verdicts, ${result.firing} firing; changes: ${changes || 'none'}\n`,
    ),
  );
  return 0;
}
