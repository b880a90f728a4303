import type { Db } from '../../db/connect.ts';
import type { Actor, Locale } from '../actor.ts';
import { writeXlsx, type OutCell } from '../import/write-table.ts';
import { readAdjustment } from './read-adjustments.ts';

const L = (locale: Locale, zh: string, en: string) => (locale === 'zh-CN' ? zh : en);
const yuan = (fen: number) => fen / 100;

/**
 * A request as .xlsx for the file: every cell before and after (money in 元), and the trail with
 * who decided each step, when, with what comment and after how many hours.
 */
export async function exportAdjustmentXlsx(
  db: Db,
  actor: Actor,
  input: { id: number; lang: Locale },
  now: Date,
): Promise<{ body: Buffer; name: string }> {
  const d = await readAdjustment(db, actor, input.id, now);
  const lang = input.lang;
  const changes: OutCell[][] = d.changes.map((c) => [
    lang === 'zh-CN' ? c.nameZh : c.nameEn,
    c.period,
    yuan(c.before),
    yuan(c.after),
    yuan(c.after - c.before),
    c.requested ? L(lang, '申请调整', 'Requested') : L(lang, '随之调整', 'Absorbed'),
  ]);
  const trail: OutCell[][] = d.trail.map((s) => [
    s.decision,
    s.by,
    s.comment,
    s.enteredAt,
    s.decidedAt,
    Math.round(s.waitedMs / 36_000) / 100,
  ]);
  const body = await writeXlsx([
    {
      name: L(lang, '调整明细', 'Cells'),
      headers: [
        L(lang, '责任主体', 'Owner'),
        L(lang, '期间', 'Period'),
        L(lang, '调整前（元）', 'Before (CNY)'),
        L(lang, '调整后（元）', 'After (CNY)'),
        L(lang, '变化（元）', 'Change (CNY)'),
        L(lang, '类型', 'Kind'),
      ],
      rows: changes,
      numFmts: [null, null, '#,##0.00', '#,##0.00', '#,##0.00', null],
    },
    {
      name: L(lang, '审批轨迹', 'Trail'),
      headers: [
        L(lang, '操作', 'Decision'),
        L(lang, '操作人', 'By'),
        L(lang, '意见', 'Comment'),
        L(lang, '进入时间', 'Entered'),
        L(lang, '处理时间', 'Decided'),
        L(lang, '耗时（小时）', 'Hours'),
      ],
      rows: trail,
    },
    {
      name: L(lang, '申请', 'Request'),
      headers: [L(lang, '字段', 'Field'), L(lang, '内容', 'Value')],
      rows: [
        ['#', d.id],
        [L(lang, '状态', 'State'), d.state],
        [L(lang, '申请人', 'Requester'), d.requester],
        [L(lang, '原因类别', 'Reason'), d.reasonCategory],
        [L(lang, '说明', 'Text'), d.reasonText],
        [L(lang, '关联预警', 'Alert'), d.alertId],
      ],
    },
  ]);
  return { body, name: L(lang, `目标调整-${d.id}.xlsx`, `adjustment-${d.id}.xlsx`) };
}
