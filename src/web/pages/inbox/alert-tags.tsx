import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AlertRuleKind, AlertSeverity, AlertState } from './alerts-api.ts';

const SEVERITY_COLORS: Record<AlertSeverity, string> = {
  critical: 'red',
  warning: 'orange',
  info: 'blue',
};
const STATE_COLORS: Record<AlertState, string> = {
  open: 'volcano',
  acknowledged: 'gold',
  snoozed: 'default',
  resolved: 'green',
};

export function SeverityTag({ severity }: { severity: AlertSeverity }) {
  const { t } = useTranslation();
  return (
    <Tag color={SEVERITY_COLORS[severity]} style={{ marginInlineEnd: 0 }}>
      {t(`alerts.severity.${severity}`)}
    </Tag>
  );
}

export function StateTag({ state }: { state: AlertState }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_COLORS[state]} style={{ marginInlineEnd: 0 }} data-testid="alert-state">
      {t(`alerts.state.${state}`)}
    </Tag>
  );
}

export function KindTag({ kind }: { kind: AlertRuleKind }) {
  const { t } = useTranslation();
  return <Tag style={{ marginInlineEnd: 0 }}>{t(`alerts.kind.${kind}`)}</Tag>;
}
