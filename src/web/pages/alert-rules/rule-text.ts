import { useTranslation } from 'react-i18next';
import type { AlertRuleKind } from '../../../domain/alerts/alert-event.ts';

/** A threshold in its kind's words: 70% for attainment, 10 points behind time, 5 days. */
export function useThresholdText() {
  const { t } = useTranslation();
  return (kind: AlertRuleKind, threshold: number, unit: 'bp' | 'days') => {
    if (unit === 'days') return t('alerts.rules.thresholdDays', { value: threshold });
    const value = Number((threshold / 100).toFixed(2));
    return kind === 'behind_time'
      ? t('alerts.rules.thresholdPoints', { value })
      : t('alerts.rules.thresholdPercent', { value });
  };
}

/** Names in a row: 当事人、直属经理 / The subject, Their manager. */
export function useJoin() {
  const { i18n } = useTranslation();
  return (names: string[]) => names.join(i18n.language === 'en' ? ', ' : '、');
}
