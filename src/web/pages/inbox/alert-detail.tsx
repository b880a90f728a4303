import {
  Alert,
  Descriptions,
  Drawer,
  Flex,
  Grid,
  Skeleton,
  Space,
  Timeline,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.ts';
import { LoadError, Loading } from '../../components/query-state.tsx';
import { useMoney } from '../../format/money.tsx';
import { useLocalName } from '../../format/names.ts';
import { pct } from '../tracking/use-metric-format.ts';
import { AlertActions } from './alert-actions.tsx';
import { KindTag, SeverityTag, StateTag } from './alert-tags.tsx';
import { useAlert, type AlertDetail, type EvidenceFigure } from './alerts-api.ts';

const EvidenceChart = lazy(() => import('./evidence-chart.tsx'));

/** The alert in a drawer beside the list; on a phone the drawer takes the whole screen. */
export function AlertDrawer({ alertId, onClose }: { alertId: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  const phone = !Grid.useBreakpoint().md;
  const q = useAlert(alertId);
  return (
    <Drawer
      open={alertId !== null}
      onClose={onClose}
      title={t('alerts.detail')}
      size={phone ? '100%' : 560}
      destroyOnHidden
      styles={{ body: { padding: phone ? 12 : 24 } }}
    >
      <div data-testid="alert-detail" data-alert={alertId ?? undefined}>
        {q.isPending ? (
          <Loading />
        ) : q.error || !q.data ? (
          isApiError(q.error) && (q.error.status === 404 || q.error.status === 403) ? (
            <Alert type="warning" showIcon title={t('alerts.notFound')} />
          ) : (
            <LoadError error={q.error} onRetry={() => void q.refetch()} />
          )
        ) : (
          <AlertBody alert={q.data} />
        )}
      </div>
    </Drawer>
  );
}

function AlertBody({ alert: a }: { alert: AlertDetail }) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const figureText = useFigureText(a.ruleKind);
  // The threshold line belongs on the chart only when it is an attainment level.
  const threshold =
    a.ruleKind === 'attainment_review' || a.ruleKind === 'stop_loss'
      ? a.evidence.figures.find((f) => f.key === 'threshold' && f.unit === 'bp')
      : undefined;
  const when = (iso: string) => dayjs(iso).format('YYYY-MM-DD HH:mm');
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Flex vertical gap={6}>
        <Flex wrap gap={6} align="center">
          <SeverityTag severity={a.severity} />
          <KindTag kind={a.ruleKind} />
          <StateTag state={a.state} />
        </Flex>
        <Typography.Title level={5} style={{ margin: 0 }} data-testid="alert-title">
          {a.title}
        </Typography.Title>
        <Typography.Text>{a.summary}</Typography.Text>
      </Flex>
      {a.suppressedBy !== null && (
        <Alert type="info" showIcon title={t('alerts.suppressedBy', { id: a.suppressedBy })} />
      )}
      <Descriptions
        size="small"
        column={1}
        bordered
        items={[
          {
            key: 'subject',
            label: t('alerts.subject'),
            children:
              localName(a.subject.nameZh, a.subject.nameEn) +
              (a.subject.type === 'member'
                ? ` · ${localName(a.subject.unitNameZh, a.subject.unitNameEn)}`
                : ''),
          },
          { key: 'period', label: t('alerts.period'), children: a.period },
          ...(a.assignee
            ? [
                {
                  key: 'assignee',
                  label: t('alerts.assignee'),
                  children: (
                    <span data-testid="alert-assignee">
                      {localName(a.assignee.nameZh, a.assignee.nameEn)}
                    </span>
                  ),
                },
              ]
            : []),
          ...(a.state === 'snoozed' && a.snoozedUntil
            ? [
                {
                  key: 'snoozed',
                  label: t('alerts.snoozed'),
                  children: `${t('alerts.snoozedUntil', { date: a.snoozedUntil.slice(0, 10) })}${a.snoozeReason ? ` · ${a.snoozeReason}` : ''}`,
                },
              ]
            : []),
          ...(a.escalationLevel > 0
            ? [
                {
                  key: 'escalated',
                  label: t('alerts.transition.escalated'),
                  children: t('alerts.escalated', { level: a.escalationLevel }),
                },
              ]
            : []),
          {
            key: 'rule',
            label: t('alerts.rule'),
            children: t('alerts.ruleVersion', {
              name: localName(a.rule.nameZh, a.rule.nameEn),
              version: a.rule.version,
            }),
          },
        ]}
      />
      {a.evidence.figures.length > 0 && (
        <div>
          <Typography.Title level={5}>{t('alerts.evidence')}</Typography.Title>
          <Descriptions
            data-testid="alert-figures"
            size="small"
            column={{ xs: 1, sm: 2 }}
            items={a.evidence.figures.map((f) => ({
              key: f.key,
              label: t(`alerts.figure.${f.key}`, { defaultValue: f.key }),
              children: <span data-testid={`alert-figure-${f.key}`}>{figureText(f)}</span>,
            }))}
          />
        </div>
      )}
      {a.evidence.series.length > 0 && (
        <div>
          <Typography.Title level={5}>
            {a.evidence.series.some((p) => p.timeProgressBp !== null)
              ? t('alerts.chart')
              : t('alerts.chartByPeriod')}
          </Typography.Title>
          <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height: 200 }} />}>
            <EvidenceChart series={a.evidence.series} thresholdBp={threshold?.value ?? null} />
          </Suspense>
        </div>
      )}
      <AlertActions alert={a} />
      <div>
        <Typography.Title level={5}>{t('alerts.history')}</Typography.Title>
        <Timeline
          data-testid="alert-history"
          items={a.history.map((h, i) => ({
            key: i,
            color:
              h.transition === 'resolved' ? 'green' : h.transition === 'escalated' ? 'red' : 'blue',
            content: (
              <Flex vertical>
                <Typography.Text>
                  {t(`alerts.transition.${h.transition}`, { defaultValue: h.transition })}
                  {' · '}
                  {h.actorName ?? t('alerts.system')}
                </Typography.Text>
                <Typography.Text type="secondary">{when(h.at)}</Typography.Text>
                {h.note && <Typography.Text>{h.note}</Typography.Text>}
              </Flex>
            ),
          }))}
        />
      </div>
    </Space>
  );
}

/** An evidence figure in its unit: money in the user's scale, ratios in percent, gaps in points. */
function useFigureText(kind: AlertDetail['ruleKind']) {
  const { t, i18n } = useTranslation();
  const money = useMoney();
  const number = new Intl.NumberFormat(i18n.language === 'en' ? 'en' : 'zh-CN');
  return (f: EvidenceFigure) => {
    if (f.value === null) return '—';
    switch (f.unit) {
      case 'fen':
        return money.format(f.value);
      case 'bp':
        // Behind time is a difference of two percentages: points, not a percentage.
        return kind === 'behind_time' && (f.key === 'behindBy' || f.key === 'threshold')
          ? t('alerts.rules.thresholdPoints', { value: Number((f.value / 100).toFixed(1)) })
          : pct(f.value);
      case 'days':
        return t('alerts.unit.days', { count: f.value });
      default:
        return number.format(f.value);
    }
  };
}
