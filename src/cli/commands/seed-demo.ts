import { parseArgs } from 'node:util';
import { chinaToday } from '../../app/clock.ts';
import { AppError } from '../../domain/errors.ts';
import { seedDemo, type SeedCounts } from '../../app/seed-demo/seed-demo.ts';
import { loginsBox } from '../banner.ts';
import { type CliContext, databaseLabel } from '../cli-context.ts';
import { badArgs } from '../parse.ts';

export async function seedDemoCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { values } = badArgs('seed-demo', () =>
    parseArgs({
      args,
      options: { force: { type: 'boolean' }, today: { type: 'string' } },
      strict: true,
    }),
  );
  const now = ctx.now();
  const today = values.today ?? chinaToday(now);
  if (!isDate(today)) throw new AppError('DATE_INVALID', { value: today });
  const result = await ctx.withDatabase((conn) =>
    seedDemo(conn.db, { today, now, force: values.force === true }),
  );
  if (!result.seeded) {
    if (result.reason === 'has-data')
      throw new AppError('CLI_SEED_HAS_DATA', { count: result.contents.masterData });
    throw new AppError('CLI_SEED_HAS_USERS', { count: result.contents.users });
  }
  const { io, t } = ctx;
  io.stdout(`${databaseLabel(io)}\n`);
  io.stdout(
    t(
      `已生成演示公司“星河电商”（以 ${today} 为今天）：`,
      `Demo company "Galaxy Commerce" written (today = ${today}): `,
    ) +
      formatCounts(result.counts, ctx) +
      '\n',
  );
  if (result.skippedUsers.length > 0) {
    io.stdout(
      t('已存在、未改动的账号：', 'Existing accounts left unchanged: ') +
        result.skippedUsers.join(', ') +
        '\n',
    );
  }
  io.stdout(loginsBox());
  return 0;
}

export function formatCounts(c: SeedCounts, ctx: Pick<CliContext, 't'>): string {
  return ctx.t(
    `${c.orgUnits} 个组织、${c.members} 名人员、${c.productLines} 条产品线、${c.products} 个产品、${c.dimensionMembers} 个维度成员、${c.customers} 个客户、${c.users} 个账号；` +
      `${c.orderLines} 条订单行、${c.collections} 笔回款、${c.leads} 条线索、${c.opportunities} 个商机、${c.activities} 条活动；` +
      `${c.planVersions} 个计划版本、${c.targetCells} 个目标格`,
    `${c.orgUnits} org units, ${c.members} members, ${c.productLines} product lines, ${c.products} products, ${c.dimensionMembers} dimension members, ${c.customers} customers, ${c.users} accounts; ` +
      `${c.orderLines} order lines, ${c.collections} collections, ${c.leads} leads, ${c.opportunities} opportunities, ${c.activities} activities; ` +
      `${c.planVersions} plan versions, ${c.targetCells} target cells`,
  );
}

function isDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}
