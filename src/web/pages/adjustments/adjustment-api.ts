/**
 * Wire types of the adjustment requests, inferred from the server's zod schemas (type-only
 * imports: nothing of the server reaches the bundle), and the shared helpers of its pages.
 */
import type { z } from 'zod';
import type {
  changeSpecSchema,
  detailSchema,
  previewSchema,
  summarySchema,
} from '../../../api/adjustments/schemas.ts';
import type { TFunction } from 'i18next';

export type ChangeSpec = z.input<typeof changeSpecSchema>;
export type Preview = z.infer<typeof previewSchema>;
export type AdjustmentSummary = z.infer<typeof summarySchema>;
export type AdjustmentDetail = z.infer<typeof detailSchema>;
export type DiffRow = Preview['changes'][number];
export type ChainStep = Preview['chain'][number];

export const REASONS = ['market', 'cost', 'staffing', 'data_error', 'strategy', 'other'] as const;

/** An approver as people know them: 销售总监 张三, 大区经理 李四, or 财务. */
export function approverLabel(
  s: ChainStep,
  t: TFunction,
  localName: (zh: string, en: string) => string,
): string {
  if (s.kind === 'role') return t(`adjustments.roles.${s.role ?? 'admin'}`);
  const position = s.unitKind ? t(`enums.position.${s.unitKind}`) : '';
  return `${position} ${localName(s.nameZh, s.nameEn)}`.trim();
}

/** A duration in the largest unit that reads well: 35 分钟, 5 小时, 2 天. */
export function durationText(ms: number, t: TFunction): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return t('adjustments.minutes', { n: minutes });
  const hours = Math.round(minutes / 60);
  if (hours < 48) return t('adjustments.hours', { n: hours });
  return t('adjustments.days', { n: Math.round(hours / 24) });
}

export const STATE_COLOR: Record<AdjustmentSummary['state'], string> = {
  draft: 'default',
  pending: 'processing',
  rejected: 'error',
  recalled: 'warning',
  applied: 'success',
};
