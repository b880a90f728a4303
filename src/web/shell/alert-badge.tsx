import { BellOutlined } from '@ant-design/icons';
import { Badge, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useAlertSummary } from '../pages/inbox/alerts-api.ts';

/** The header's bell: how many of my alerts are active, and the way to the inbox. */
export function AlertBadge() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const summary = useAlertSummary();
  const count = summary.data?.mine ?? 0;
  return (
    <Button
      type="text"
      data-testid="alert-badge"
      data-count={summary.data ? count : undefined}
      aria-label={t('alerts.badge', { count })}
      title={t('alerts.badge', { count })}
      onClick={() => void navigate('/')}
      icon={
        <Badge count={count} size="small" overflowCount={99}>
          <BellOutlined style={{ fontSize: 18 }} />
        </Badge>
      }
    />
  );
}
