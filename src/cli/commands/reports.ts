import { parseArgs } from 'node:util';
import { systemActor } from '../../app/actor.ts';
import { chinaToday } from '../../app/clock.ts';
import { readBattleReport } from '../../app/reports/read-battle-report.ts';
import { readWeeklySheet } from '../../app/reports/read-weekly-sheet.ts';
import { AppError } from '../../domain/errors.ts';
import type { CliContext } from '../cli-context.ts';
import { badArgs, required } from '../parse.ts';

/**
 * `targetflow reports battle --unit CODE [--date D]` and `reports weekly --unit CODE [--week W]`:
 * the report as its group would receive it, in the command's language, for pasting or a cron mail.
 */
export async function reportsCommand(ctx: CliContext, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'battle' && sub !== 'weekly')
    throw new AppError('CLI_UNKNOWN_COMMAND', { command: `reports ${sub ?? ''}`.trim() });
  const command = `reports ${sub}`;
  const { values } = badArgs(command, () =>
    parseArgs({
      args: rest,
      options: {
        unit: { type: 'string' },
        date: { type: 'string' },
        week: { type: 'string' },
      },
      strict: true,
    }),
  );
  const code = required(command, values, 'unit');
  const today = chinaToday(ctx.now());
  const text = await ctx.withDatabase(async ({ db }) => {
    const unit = await db
      .selectFrom('org_units')
      .select('id')
      .where('code', '=', code)
      .executeTakeFirst();
    if (!unit) throw new AppError('REFERENCE_NOT_FOUND', { entity: 'org_unit', value: code });
    const actor = systemActor(ctx.locale);
    const answer =
      sub === 'battle'
        ? await readBattleReport(db, actor, { unitId: unit.id, date: values.date }, today)
        : await readWeeklySheet(db, actor, { unitId: unit.id, week: values.week }, today);
    return answer.text[ctx.locale];
  });
  ctx.io.stdout(`**${text.title}**\n${text.lines.join('\n')}\n`);
  return 0;
}
