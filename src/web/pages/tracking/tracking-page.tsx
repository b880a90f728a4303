import { Card, Col, Row, Select, Space, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { Page } from '../../components/page.tsx';
import { EmptyState, LoadError, Loading } from '../../components/query-state.tsx';
import { useLocalName } from '../../format/names.ts';
import { useSettings } from '../../shell/app-shell.tsx';
import {
  DIMENSIONS,
  METRIC_UNIT,
  TRACKED_METRICS,
  isFilterable,
} from '../../../domain/tracking/tracked-metrics.ts';
import { useMoney } from '../../format/money.tsx';
import { useOrgUnits } from '../org/org-tree.ts';
import { CumulativeChart } from './cumulative-chart.tsx';
import { ExportButton } from './export-button.tsx';
import { ForecastCard } from './forecast-card.tsx';
import { FunnelCard } from './funnel-card.tsx';
import { KpiCards } from './kpi-cards.tsx';
import { NodeCrumbs } from './node-crumbs.tsx';
import {
  chinaToday,
  currentPeriod,
  granularityFor,
  periodFromSearch,
  periodToSearch,
  type PeriodValue,
} from './period.ts';
import { PeriodPicker } from './period-picker.tsx';
import { RankingCard, TierTag } from './ranking-card.tsx';
import { StructureCard } from './structure-card.tsx';
import {
  useOverview,
  useSeries,
  type Dimension,
  type NodeScope,
  type RankingBy,
  type TrackedMetric,
} from './tracking-api.ts';
import { useMetricFormat } from './use-metric-format.ts';

const METRICS: readonly TrackedMetric[] = TRACKED_METRICS;

const positiveInt = (s: string | null) => {
  const n = Number(s);
  return s && Number.isSafeInteger(n) && n > 0 ? n : undefined;
};

/**
 * 业绩跟踪: one node of the org tree (the company, a unit or a member) over one period. The
 * node, period and metric live in the URL, so drilling down is navigation: Back goes back up,
 * and a link shows a colleague the same numbers.
 */
export default function TrackingPage() {
  const { t } = useTranslation();
  const money = useMoney();
  const [params, setParams] = useSearchParams();
  const settings = useSettings();
  const fiscalStartMonth = settings.data?.fiscalYearStartMonth ?? 1;
  const today = chinaToday();
  const period = periodFromSearch(params, currentPeriod('month', today, fiscalStartMonth));
  const metricParam = params.get('metric');
  const metric: TrackedMetric = METRICS.includes(metricParam as TrackedMetric)
    ? (metricParam as TrackedMetric)
    : 'revenue';
  const dimParam = params.get('dim') as Dimension | null;
  // The slice: a dimension member of the sales metrics (other metrics' facts do not carry it).
  const filter =
    dimParam && DIMENSIONS.includes(dimParam) && isFilterable(metric)
      ? { dim: dimParam, key: params.get('key') ?? '' }
      : null;
  const unitId = positiveInt(params.get('unit'));
  const memberId = positiveInt(params.get('member'));
  const fromUnitId = positiveInt(params.get('from'));

  const scope: NodeScope = useMemo(
    () => ({
      ...(memberId ? { memberId } : unitId ? { unitId } : {}),
      ...(period.pick === 'custom'
        ? { start: period.start, end: period.end }
        : { period: period.period }),
      metric,
      ...(filter ? { dim: filter.dim, key: filter.key } : {}),
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the period's fields are its identity
    [memberId, unitId, metric, JSON.stringify(period), filter?.dim, filter?.key],
  );

  const update = (next: {
    period?: PeriodValue;
    metric?: TrackedMetric;
    unit?: number;
    member?: number;
    from?: number;
    keepNode?: boolean;
    /** The slice to show: undefined keeps the current one, null removes it. */
    filter?: { dim: Dimension; key: string } | null;
  }) => {
    const p = next.period ?? period;
    const q: Record<string, string> = { ...periodToSearch(p) };
    const m = next.metric ?? metric;
    if (m !== 'revenue') q.metric = m;
    const f = next.filter === undefined ? filter : next.filter;
    if (f && isFilterable(m)) {
      q.dim = f.dim;
      q.key = f.key;
    }
    if (next.keepNode) {
      if (unitId) q.unit = String(unitId);
      if (memberId) q.member = String(memberId);
      if (fromUnitId) q.from = String(fromUnitId);
    } else {
      if (next.unit) q.unit = String(next.unit);
      if (next.member) q.member = String(next.member);
      if (next.from) q.from = String(next.from);
    }
    setParams(q, { replace: next.keepNode === true });
  };

  const overview = useOverview(scope);
  const o = overview.data;
  const drill = (by: RankingBy, id: number) => {
    if (by === 'member')
      update({ member: id, from: o?.node.type === 'unit' ? o.node.id : fromUnitId });
    else update({ unit: id });
  };

  return (
    <Page
      title={t('tracking.title')}
      testId="tracking-page"
      extra={
        <Space wrap>
          <Select<TrackedMetric>
            data-testid="metric-select"
            value={metric}
            style={{ width: 168 }}
            popupMatchSelectWidth={false}
            onChange={(m) => update({ metric: m, keepNode: true })}
            options={METRICS.map((m) => ({
              value: m,
              label: (
                <span data-testid={`metric-option-${m}`}>
                  {t(`tracking.metric.${m}`)}
                  <Typography.Text type="secondary" style={{ marginLeft: 6, fontSize: 12 }}>
                    {METRIC_UNIT[m] === 'fen' ? money.label : t(`tracking.countUnit.${m}`)}
                  </Typography.Text>
                </span>
              ),
            }))}
          />
          <PeriodPicker
            value={period}
            onChange={(p) => update({ period: p, keepNode: true })}
            today={today}
            fiscalStartMonth={fiscalStartMonth}
          />
          <ExportButton table="overview" scope={scope} />
        </Space>
      }
    >
      {overview.isPending ? (
        <Loading />
      ) : overview.error || !o ? (
        <LoadError error={overview.error} onRetry={() => void overview.refetch()} />
      ) : (
        <Dashboard
          o={o}
          scope={scope}
          period={period}
          fromUnitId={fromUnitId}
          onUnit={(id) => update({ unit: id })}
          onDrill={drill}
          onFilter={(f) => update({ filter: f, keepNode: true })}
          loading={overview.isPlaceholderData}
        />
      )}
    </Page>
  );
}

function Dashboard({
  o,
  scope,
  period,
  fromUnitId,
  onUnit,
  onDrill,
  onFilter,
  loading,
}: {
  o: NonNullable<ReturnType<typeof useOverview>['data']>;
  scope: NodeScope;
  period: PeriodValue;
  fromUnitId?: number;
  onUnit: (id: number) => void;
  onDrill: (by: RankingBy, id: number) => void;
  onFilter: (f: { dim: Dimension; key: string } | null) => void;
  loading: boolean;
}) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const units = useOrgUnits();
  const fmt = useMetricFormat(o.metric);
  // Region and segment exist by month only: a slice by them is charted by month.
  const sliceByMonth = o.filter?.dim === 'region' || o.filter?.dim === 'segment';
  const granularity = sliceByMonth ? 'month' : granularityFor(period);
  const series = useSeries(scope, granularity);
  // While a drill-down to a person loads, `o` is still the unit's overview: ask the scope, so no
  // unit-only request (ranking, child-unit breakdown) goes out for the person.
  const isUnit = o.node.type === 'unit' && scope.memberId === undefined;
  const hasChildUnits = isUnit && (units.data ?? []).some((u) => u.parentId === o.node.id);
  const [rankingChoice, setRankingChoice] = useState<{ node: number; by: RankingBy } | null>(null);
  const rankingBy: RankingBy =
    rankingChoice?.node === o.node.id ? rankingChoice.by : hasChildUnits ? 'child_unit' : 'member';

  return (
    <div
      style={{ opacity: loading ? 0.6 : 1, transition: 'opacity .2s' }}
      data-testid="tracking-dashboard"
      data-node={`${o.node.type}-${o.node.id}`}
    >
      <Space wrap size={8} style={{ display: 'flex' }}>
        <NodeCrumbs node={o.node} fromUnitId={fromUnitId} onUnit={onUnit} />
        {o.filter && (
          <Tag
            color="processing"
            closable
            onClose={(e) => {
              e.preventDefault();
              onFilter(null);
            }}
            data-testid="filter-tag"
            data-filter={`${o.filter.dim}-${o.filter.key}`}
          >
            {t(`tracking.by.${o.filter.dim}`)}: {localName(o.filter.nameZh, o.filter.nameEn)}
          </Tag>
        )}
      </Space>
      <Space wrap align="baseline" style={{ margin: '8px 0 12px' }}>
        <Typography.Title level={5} style={{ margin: 0 }} data-testid="node-name">
          {localName(o.node.nameZh, o.node.nameEn)}
        </Typography.Title>
        <Typography.Text type="secondary">
          {t('tracking.periodRange', { start: o.period.start, end: o.period.end })}
        </Typography.Text>
        {o.hasTarget && o.target > 0 && <TierTag tier={o.tierReached} />}
        {o.hasTarget && o.target > 0 && o.nextTier && (
          <Typography.Text type="secondary">
            {t('tracking.nextTier', {
              tier: t(`tracking.tier.${o.nextTier.tier}`),
              needed: fmt.format(o.nextTier.needed),
            })}
          </Typography.Text>
        )}
      </Space>
      <KpiCards o={o} pick={period.pick} />
      <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
        <Col xs={24} xl={16}>
          <Card
            size="small"
            title={t('tracking.chart.title')}
            extra={<ExportButton table="series" scope={scope} granularity={granularity} />}
            style={{ height: '100%' }}
          >
            {series.isPending ? (
              <Loading />
            ) : series.error || !series.data ? (
              <LoadError error={series.error} onRetry={() => void series.refetch()} />
            ) : series.data.points.length === 0 ? (
              <EmptyState />
            ) : (
              <CumulativeChart series={series.data} />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <ForecastCard o={o} />
        </Col>
        <Col xs={24} xl={isUnit ? 8 : 24} xxl={isUnit ? 9 : 24}>
          <FunnelCard o={o} />
        </Col>
        {isUnit && (
          <Col xs={24} xl={16} xxl={15}>
            <RankingCard
              scope={scope}
              by={rankingBy}
              onByChange={(by) => setRankingChoice({ node: o.node.id, by })}
              onDrill={onDrill}
            />
          </Col>
        )}
        <Col span={24}>
          <StructureCard
            scope={scope}
            isUnit={isUnit}
            onDrill={onDrill}
            onFilter={isFilterable(o.metric) ? onFilter : undefined}
          />
        </Col>
      </Row>
    </div>
  );
}
