import { Card, Col, Divider, Flex, Row, Segmented, Skeleton, Typography, theme } from 'antd';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { Page } from '../../components/page.tsx';
import { EmptyState, QueryState } from '../../components/query-state.tsx';
import { useLocalName } from '../../format/names.ts';
import { useCurrentUser } from '../../session/use-me.ts';
import { ProgressBullet } from '../tracking/progress-bullet.tsx';
import { TierTag } from '../tracking/ranking-card.tsx';
import { useMyTargets, type Overview } from '../tracking/tracking-api.ts';
import { gapState, useMetricFormat } from '../tracking/use-metric-format.ts';

// The chart brings ECharts (~200 KB compressed): the figures above it do not wait for it.
const CumulativeChart = lazy(() =>
  import('../tracking/cumulative-chart.tsx').then((m) => ({ default: m.CumulativeChart })),
);

/**
 * 我的目标: a rep's month and year at a glance, laid out in one column so it reads on a phone —
 * where they stand against time, what is left, and what each remaining working day has to bring.
 * A manager answers for the units they manage: the page opens on the (first) managed unit, and a
 * switch at the top shows their own targets or another unit they manage (`?node=me|<unit id>`).
 */
export default function MyTargetsPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const node = nodeParam(params.get('node'));
  const q = useMyTargets(me.memberId !== null, node);
  const localName = useLocalName();

  if (me.memberId === null) {
    return (
      <Page title={t('myTargets.title')} testId="my-targets">
        <EmptyState description={t('myTargets.noMember')} />
      </Page>
    );
  }
  return (
    <Page title={t('myTargets.title')} testId="my-targets">
      <QueryState query={q}>
        {(d) => (
          <Flex vertical gap={12}>
            {d.choices.length > 1 && (
              <Segmented
                data-testid="my-node"
                value={d.month.node.type === 'member' ? 'me' : String(d.month.node.id)}
                onChange={(v) => setParams({ node: String(v) }, { replace: true })}
                options={d.choices.map((c) => ({
                  value: c.type === 'member' ? 'me' : String(c.id),
                  label: c.type === 'member' ? t('myTargets.own') : localName(c.nameZh, c.nameEn),
                }))}
                style={{ alignSelf: 'flex-start', maxWidth: '100%', overflowX: 'auto' }}
              />
            )}
            <Typography.Text type="secondary">
              {localName(d.month.node.nameZh, d.month.node.nameEn)} ·{' '}
              {t('myTargets.asOf', { date: d.month.asOf })}
            </Typography.Text>
            <Row gutter={[12, 12]}>
              <Col xs={24} lg={12}>
                <PeriodCard
                  o={d.month}
                  title={t('myTargets.month', { period: d.month.period.id })}
                  testId="my-month"
                />
              </Col>
              <Col xs={24} lg={12}>
                <PeriodCard
                  o={d.year}
                  title={t('myTargets.year', { period: d.year.period.id })}
                  testId="my-year"
                />
              </Col>
            </Row>
            <Card size="small" title={t('myTargets.chart')}>
              {d.series.points.length ? (
                <Suspense
                  fallback={<Skeleton.Node active style={{ width: '100%', height: 220 }} />}
                >
                  <CumulativeChart series={d.series} height={220} compact />
                </Suspense>
              ) : (
                <EmptyState />
              )}
            </Card>
          </Flex>
        )}
      </QueryState>
    </Page>
  );
}

/** ?node=me | <unit id>; anything else is the server's default. */
function nodeParam(raw: string | null): 'me' | number | undefined {
  if (raw === 'me') return 'me';
  return raw !== null && /^[1-9]\d{0,11}$/.test(raw) ? Number(raw) : undefined;
}

function Figure({
  label,
  value,
  testId,
  color,
}: {
  label: string;
  value: string;
  testId?: string;
  color?: string;
}) {
  return (
    <div style={{ minWidth: 0 }}>
      <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
        {label}
      </Typography.Text>
      <Typography.Text
        strong
        style={{ fontSize: 16, color, fontVariantNumeric: 'tabular-nums' }}
        data-testid={testId}
      >
        {value}
      </Typography.Text>
    </div>
  );
}

function PeriodCard({ o, title, testId }: { o: Overview; title: string; testId: string }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const fmt = useMetricFormat(o.metric);
  const state = gapState(o);
  const exceeded = state === 'exceeded';
  return (
    <Card
      size="small"
      title={title}
      extra={state !== 'no-target' && <TierTag tier={o.tierReached} />}
      data-testid={testId}
    >
      <Row gutter={[8, 8]}>
        <Col span={12}>
          <Figure
            label={t('tracking.kpi.target')}
            value={fmt.format(o.target)}
            testId={`${testId}-target`}
          />
        </Col>
        <Col span={12}>
          <Figure
            label={t('tracking.kpi.actual')}
            value={fmt.format(o.actual)}
            testId={`${testId}-actual`}
          />
        </Col>
      </Row>
      <div style={{ marginTop: 12 }}>
        <ProgressBullet
          attainmentBp={o.attainmentBp}
          timeProgressBp={o.timeProgressBp}
          aheadBehind={o.aheadBehind}
          testId={`${testId}-progress`}
        />
      </div>
      <Divider style={{ margin: '12px 0' }} />
      <Row gutter={[8, 8]}>
        <Col span={12}>
          <Figure
            label={exceeded ? t('tracking.kpi.exceeded') : t('tracking.kpi.gap')}
            value={state === 'no-target' ? '—' : fmt.format(Math.abs(o.gap))}
            color={exceeded ? token.colorSuccess : undefined}
            testId={`${testId}-gap`}
          />
        </Col>
        <Col span={12}>
          <Figure
            label={t('myTargets.perDay', { n: o.remainingWorkingDays })}
            value={
              state !== 'open'
                ? '—'
                : o.requiredRunRate === null
                  ? t('tracking.noDaysLeft')
                  : fmt.format(o.requiredRunRate)
            }
            testId={`${testId}-run-rate`}
          />
        </Col>
      </Row>
      <div style={{ marginTop: 12 }} data-testid={`${testId}-next-tier`}>
        <Typography.Text type="secondary">
          {state === 'no-target'
            ? t('tracking.noTarget')
            : o.nextTier
              ? t('tracking.nextTier', {
                  tier: t(`tracking.tier.${o.nextTier.tier}`),
                  needed: fmt.format(o.nextTier.needed),
                })
              : t('myTargets.topTier')}
        </Typography.Text>
      </div>
    </Card>
  );
}
