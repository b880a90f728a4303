import type { Db } from '../../db/connect.ts';
import { AppError } from '../../domain/errors.ts';
import type { Actor, Locale } from '../actor.ts';
import { writeXlsx, type OutSheet } from '../import/write-table.ts';
import { trackingSnapshot } from './answer-cache.ts';
import { trackingContext } from './context.ts';
import { breakdownOf } from './read-breakdown.ts';
import { overviewOf } from './read-overview.ts';
import { rankingOf } from './read-ranking.ts';
import { seriesOf } from './read-series.ts';
import {
  breakdownSheet,
  overviewSheet,
  rankingSheet,
  seriesSheet,
  type SheetOptions,
} from './sheets.ts';
import { isAmountUnit } from '../../domain/money.ts';
import type { BreakdownBy, Granularity, RankingOrder, TrackingQuery } from './types.ts';

export interface ExportTableInput extends TrackingQuery {
  table: 'overview' | 'breakdown' | 'ranking' | 'series';
  granularity: Granularity;
  /** The breakdown's dimension (required for it); for the ranking, child_unit or else member. */
  by?: BreakdownBy | undefined;
  rankBy: RankingOrder;
}

/**
 * One tracking table as an .xlsx workbook, headers in `locale`: the same answers as the screens
 * (through the same cache), scope checked the same way.
 */
export async function exportTrackingTable(
  db: Db,
  actor: Actor,
  input: ExportTableInput,
  today: string,
  locale: Locale,
): Promise<{ fileName: string; bytes: Buffer }> {
  const opts: SheetOptions = {
    locale,
    amountUnit: isAmountUnit(actor.amountUnit) ? actor.amountUnit : 'wan',
  };
  const snap = await trackingSnapshot(db);
  const ctx = await trackingContext(db, actor, input, today, snap);
  let sheet: OutSheet;
  if (input.table === 'overview') sheet = overviewSheet(await overviewOf(db, ctx, snap), opts);
  else if (input.table === 'series')
    sheet = seriesSheet(await seriesOf(db, ctx, input.granularity, snap), opts);
  else if (input.table === 'ranking') {
    const by = input.by === 'child_unit' ? 'child_unit' : 'member';
    sheet = rankingSheet(await rankingOf(db, ctx, by, input.rankBy, snap), opts);
  } else {
    if (!input.by)
      throw new AppError('VALIDATION', { field: 'by', reason: 'required for a breakdown' });
    sheet = breakdownSheet(await breakdownOf(db, ctx, input.by, snap), opts);
  }
  const fileName = `tracking-${input.table}-${ctx.node.type}-${ctx.node.id}-${ctx.period.id.replace('..', '_')}.xlsx`;
  return { fileName, bytes: await writeXlsx([sheet]) };
}
