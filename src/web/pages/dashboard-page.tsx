import { RightOutlined } from '@ant-design/icons';
import { Card, Col, Descriptions, Flex, Row, Space, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { useMoney } from '../format/money.tsx';
import type { AdjustmentSummary } from './adjustments/adjustment-api.ts';
import { Link } from 'react-router';
import { useLocalName } from '../format/names.ts';
import { useCurrentUser } from '../session/use-me.ts';
import { visibleItems, withMyTargets } from '../shell/nav-items.ts';
import { Inbox } from './inbox/inbox.tsx';
import { useOrgUnits } from './org/org-tree.ts';
import { ProgressBullet } from './tracking/progress-bullet.tsx';
import { TierTag } from './tracking/ranking-card.tsx';
import { useOverview } from './tracking/tracking-api.ts';
import { gapState, useMetricFormat } from './tracking/use-metric-format.ts';

/**
 * The landing page (工作台): the reader's alerts first, then this month's numbers (a rep's own,
 * a manager's unit, the company) and the quick links.
 */
export default function DashboardPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const units = useOrgUnits();
  const localName = useLocalName();

  // A scope path '/1/4/' names unit 4; show its name rather than the path.
  const scopeUnits = me.scope.unitPaths.map((path) => {
    const id = Number(path.split('/').filter(Boolean).at(-1));
    const unit = units.data?.find((u) => u.id === id);
    return unit ? localName(unit.nameZh, unit.nameEn) : path;
  });
  const scope = me.scope.all
    ? t('dashboard.scopeAll')
    : scopeUnits.length
      ? t('dashboard.scopeUnits', { units: scopeUnits.join('、') })
      : t('dashboard.scopeOwn');

  // The same entries as the menu (no 我的目标 without a member record), less this page.
  const links = withMyTargets(visibleItems(me.role), me).filter((i) => i.key !== 'dashboard');

  return (
    <div data-testid="dashboard">
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Inbox />
        </Col>
        <Col xs={24} xl={8}>
          <Flex vertical gap={16}>
            <AwaitingMeCard />
            <MonthCard />
            <Card size="small">
              <Typography.Text strong>
                {t('dashboard.welcome', { name: me.displayName })}
              </Typography.Text>
              <Descriptions
                size="small"
                column={1}
                style={{ marginTop: 8 }}
                items={[
                  {
                    key: 'role',
                    label: t('dashboard.role'),
                    children: <Tag color="blue">{t(`enums.role.${me.role}`)}</Tag>,
                  },
                  {
                    key: 'scope',
                    label: t('dashboard.scope'),
                    children: <span data-testid="dashboard-scope">{scope}</span>,
                  },
                ]}
              />
              <Typography.Text type="secondary">{t('dashboard.cycle')}</Typography.Text>
            </Card>
          </Flex>
        </Col>
        <Col xs={24}>
          <Card title={t('dashboard.quickLinks')} size="small">
            <Row gutter={[12, 12]}>
              {links.map((l) => (
                <Col xs={12} md={8} xl={6} key={l.key}>
                  <Link to={l.path} data-testid={`quick-${l.key}`}>
                    <Card size="small" hoverable>
                      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
                        {t(`nav.${l.label}`)}
                        <RightOutlined />
                      </Space>
                    </Card>
                  </Link>
                </Col>
              ))}
            </Row>
          </Card>
        </Col>
      </Row>
    </div>
  );
}

/**
 * Target adjustment requests waiting on the reader's decision (shown only when there are any):
 * the approver's side of the inbox.
 */
function AwaitingMeCard() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const money = useMoney();
  const canDecide = me.role !== 'viewer';
  const q = useQuery({
    queryKey: ['adjustments', 'awaiting'],
    queryFn: () => api.get<AdjustmentSummary[]>('/adjustments', { box: 'awaiting' }),
    enabled: canDecide,
  });
  const items = q.data ?? [];
  if (items.length === 0) return null;
  return (
    <Card
      size="small"
      data-testid="awaiting-me"
      title={t('dashboard.awaiting', { n: items.length })}
      extra={<Link to="/adjustments">{t('dashboard.awaitingAll')}</Link>}
    >
      <Flex vertical gap={8}>
        {items.slice(0, 5).map((r) => (
          <Link key={r.id} to={`/adjustments/${r.id}`} data-testid={`awaiting-${r.id}`}>
            <Flex justify="space-between" gap={8} wrap>
              <Typography.Text ellipsis style={{ maxWidth: '70%' }}>
                #{r.id}{' '}
                {t('dashboard.awaitingLine', {
                  requester: r.requester,
                  reason: t(`adjustments.reasons.${r.reasonCategory}`),
                })}
              </Typography.Text>
              <Typography.Text type={r.delta < 0 ? 'danger' : 'success'}>
                {r.delta > 0 ? '+' : ''}
                {money.format(r.delta)}
              </Typography.Text>
            </Flex>
          </Link>
        ))}
      </Flex>
    </Card>
  );
}

/**
 * This month's revenue for the caller's natural node (the company, the unit they manage, or
 * themself): where it stands against time, and the way into the tracking dashboard.
 */
function MonthCard() {
  const { t } = useTranslation();
  const localName = useLocalName();
  const q = useOverview({ metric: 'revenue' });
  const fmt = useMetricFormat('revenue');
  // An account with nothing to track (no member, no unit) simply has no card.
  if (q.isError || !q.data) return q.isPending ? <Card loading /> : null;
  const o = q.data;
  const state = gapState(o);
  return (
    <Card
      title={t('dashboard.month', { period: o.period.id })}
      extra={<Link to="/tracking">{t('dashboard.openTracking')}</Link>}
      data-testid="dashboard-month"
    >
      <Flex vertical gap={8}>
        <Flex justify="space-between" align="baseline" gap={8}>
          <Typography.Text strong>{localName(o.node.nameZh, o.node.nameEn)}</Typography.Text>
          {state !== 'no-target' && <TierTag tier={o.tierReached} />}
        </Flex>
        <Descriptions
          size="small"
          column={2}
          items={[
            { key: 'target', label: t('tracking.kpi.target'), children: fmt.format(o.target) },
            {
              key: 'actual',
              label: t('tracking.kpi.actual'),
              children: <span data-testid="dashboard-month-actual">{fmt.format(o.actual)}</span>,
            },
          ]}
        />
        <ProgressBullet
          attainmentBp={o.attainmentBp}
          timeProgressBp={o.timeProgressBp}
          aheadBehind={o.aheadBehind}
        />
        <Typography.Text type="secondary">
          {state === 'no-target'
            ? t('tracking.noTarget')
            : state === 'exceeded'
              ? `${t('tracking.kpi.exceeded')} ${fmt.format(-o.gap)}`
              : `${t('tracking.kpi.gap')} ${fmt.format(o.gap)}`}
        </Typography.Text>
      </Flex>
    </Card>
  );
}
