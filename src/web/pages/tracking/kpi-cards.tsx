import { Card, Col, Row, Typography, theme } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useMoney } from '../../format/money.tsx';
import type { PeriodPick } from './period.ts';
import { ProgressBullet } from './progress-bullet.tsx';
import type { Overview } from './tracking-api.ts';
import { gapState, pct, signedPct, useMetricFormat } from './use-metric-format.ts';

export function Kpi({
  title,
  value,
  sub,
  testId,
  color,
}: {
  title: ReactNode;
  value: ReactNode;
  sub?: ReactNode;
  testId?: string;
  color?: string;
}) {
  return (
    <Card size="small" style={{ height: '100%' }}>
      <Typography.Text type="secondary" style={{ fontSize: 13 }}>
        {title}
      </Typography.Text>
      <div
        data-testid={testId}
        style={{
          fontSize: 20,
          fontWeight: 600,
          lineHeight: 1.6,
          color,
          fontVariantNumeric: 'tabular-nums',
        }}
      >
        {value}
      </div>
      {sub && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {sub}
        </Typography.Text>
      )}
    </Card>
  );
}

function growthColor(bp: number | null, token: { colorSuccess: string; colorError: string }) {
  return bp === null ? undefined : bp >= 0 ? token.colorSuccess : token.colorError;
}

/** The headline numbers of one node over one period. */
export function KpiCards({ o, pick }: { o: Overview; pick: PeriodPick }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const fmt = useMetricFormat(o.metric);
  const money = useMoney();
  // A slice the plan has no targets for: no target, rather than the unfiltered one.
  const state = o.hasTarget ? gapState(o) : 'no-target';
  const exceeded = state === 'exceeded';
  const popLabel = t(`tracking.pop.${pick}`);

  const cards: { key: string; span?: number; node: ReactNode }[] = [
    {
      key: 'target',
      node: (
        <Kpi
          title={t('tracking.kpi.target')}
          value={o.hasTarget ? fmt.format(o.target) : '—'}
          testId="kpi-target"
          sub={
            !o.hasTarget
              ? t('tracking.noSliceTarget')
              : o.target === 0
                ? t('tracking.noTarget')
                : undefined
          }
        />
      ),
    },
    {
      key: 'actual',
      node: (
        <Kpi
          title={t('tracking.kpi.actual')}
          value={fmt.format(o.actual)}
          testId="kpi-actual"
          sub={t('tracking.asOf', { date: o.asOf })}
        />
      ),
    },
    {
      key: 'attainment',
      span: 2,
      node: (
        <Card size="small" style={{ height: '100%' }}>
          <Typography.Text type="secondary" style={{ fontSize: 13 }}>
            {t('tracking.kpi.attainment')}
          </Typography.Text>
          <ProgressBullet
            attainmentBp={o.hasTarget ? o.attainmentBp : null}
            timeProgressBp={o.timeProgressBp}
            aheadBehind={o.hasTarget ? o.aheadBehind : null}
            testId="kpi-progress"
          />
        </Card>
      ),
    },
    {
      key: 'gap',
      node: (
        <Kpi
          title={exceeded ? t('tracking.kpi.exceeded') : t('tracking.kpi.gap')}
          value={state === 'no-target' ? '—' : fmt.format(Math.abs(o.gap))}
          color={exceeded ? token.colorSuccess : undefined}
          testId="kpi-gap"
        />
      ),
    },
    {
      key: 'runRate',
      node: (
        <Kpi
          title={t('tracking.kpi.runRate')}
          value={
            state !== 'open'
              ? '—'
              : o.requiredRunRate === null
                ? t('tracking.noDaysLeft')
                : fmt.format(o.requiredRunRate)
          }
          sub={t('tracking.daysLeft', { n: o.remainingWorkingDays })}
          testId="kpi-run-rate"
        />
      ),
    },
    {
      key: 'yoy',
      node: (
        <Kpi
          title={t('tracking.kpi.yoy')}
          value={signedPct(o.growth.yoyBp)}
          color={growthColor(o.growth.yoyBp, token)}
          sub={
            o.growth.lastYear === null
              ? t('tracking.noComparison')
              : t('tracking.lastYear', { amount: fmt.format(o.growth.lastYear) })
          }
          testId="kpi-yoy"
        />
      ),
    },
    // A year's previous period is last year: 环比 would repeat 同比, so the year view shows one.
    ...(pick === 'year'
      ? []
      : [
          {
            key: 'pop',
            node: (
              <Kpi
                title={popLabel}
                value={signedPct(o.growth.popBp)}
                color={growthColor(o.growth.popBp, token)}
                sub={
                  o.growth.previous === null
                    ? t('tracking.noComparison')
                    : t('tracking.previous', { amount: fmt.format(o.growth.previous) })
                }
                testId="kpi-pop"
              />
            ),
          },
        ]),
    {
      key: 'orders',
      node: (
        <Kpi
          title={t('tracking.kpi.orders')}
          value={o.orders.toLocaleString()}
          testId="kpi-orders"
        />
      ),
    },
    {
      key: 'aov',
      node: <Kpi title={t('tracking.kpi.aov')} value={money.formatPrice(o.aov)} testId="kpi-aov" />,
    },
    {
      key: 'collections',
      node: (
        <Kpi
          title={t('tracking.kpi.collectionRate')}
          value={o.collections?.rateBp != null ? pct(o.collections.rateBp) : '—'}
          color={
            // Over 100% collects earlier periods' sales: no conversion to praise or blame.
            o.collections?.differenceBp == null || (o.collections.rateBp ?? 0) > 10_000
              ? undefined
              : o.collections.differenceBp >= 0
                ? token.colorSuccess
                : token.colorError
          }
          sub={
            !o.collections
              ? t('tracking.notInSlice')
              : !o.collections.imported
                ? t('tracking.noCollections')
                : (o.collections.rateBp ?? 0) > 10_000
                  ? t('tracking.collectionsOverDue')
                  : o.collections.targetBp !== null
                    ? t('tracking.rateTarget', { target: pct(o.collections.targetBp) })
                    : t('tracking.collected', { amount: money.format(o.collections.collected) })
          }
          testId="kpi-collections"
        />
      ),
    },
    {
      key: 'cycle',
      node: (
        <Kpi
          title={t('tracking.kpi.cycle')}
          value={
            o.avgSalesCycleDays === null ? '—' : t('tracking.days', { n: o.avgSalesCycleDays })
          }
          sub={t('tracking.grossMargin', { margin: pct(o.grossMarginBp) })}
          testId="kpi-cycle"
        />
      ),
    },
  ];

  return (
    <Row gutter={[12, 12]} data-testid="kpi-cards">
      {cards.map((c) => (
        <Col key={c.key} xs={c.span ? 24 : 12} md={c.span ? 12 : 8} xl={c.span ? 8 : 4}>
          {c.node}
        </Col>
      ))}
    </Row>
  );
}
