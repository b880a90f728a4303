import { Card, Col, Grid, Row, Table, Tabs, Tooltip, Typography, theme } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState, LoadError, Loading } from '../../components/query-state.tsx';
import { useLocalName } from '../../format/names.ts';
import { METRIC_DIMENSIONS } from '../../../domain/tracking/tracked-metrics.ts';
import { EChart, type ChartOption } from '../../components/echart.tsx';
import { ExportButton } from './export-button.tsx';
import {
  useBreakdown,
  type BreakdownBy,
  type BreakdownRow,
  type Dimension,
  type NodeScope,
} from './tracking-api.ts';
import { nowrap, pct, signedPct, useMetricFormat } from './use-metric-format.ts';

const DIMENSIONS: BreakdownBy[] = ['product_line', 'channel', 'lifecycle', 'region', 'segment'];
const ORG: BreakdownBy[] = ['child_unit', 'member'];

type Filter = { dim: Dimension; key: string };

/**
 * 结构占比: the node's actual split by one dimension, each part's share against the share the
 * plan gave it. For a unit, the child-unit and member tabs split it along the org tree, and a
 * click on a row drills down; a click on a dimension row or slice filters the whole dashboard to
 * it (sales metrics). Dimensions the metric's facts do not carry are shown as not available.
 */
export function StructureCard({
  scope,
  isUnit,
  onDrill,
  onFilter,
}: {
  scope: NodeScope;
  isUnit: boolean;
  onDrill: (by: 'child_unit' | 'member', id: number) => void;
  /** Absent when the metric cannot be filtered. */
  onFilter?: (f: Filter) => void;
}) {
  const { t } = useTranslation();
  const available: readonly BreakdownBy[] = METRIC_DIMENSIONS[scope.metric];
  const [by, setBy] = useState<BreakdownBy>('product_line');
  const tabs = isUnit ? [...DIMENSIONS, ...ORG] : DIMENSIONS;
  const usable = (k: BreakdownBy) => ORG.includes(k) || available.includes(k);
  const fallback = tabs.find(usable) ?? 'member';
  const active = tabs.includes(by) && usable(by) ? by : fallback;
  return (
    <Card
      size="small"
      title={t('tracking.structure.title')}
      extra={<ExportButton table="breakdown" scope={scope} by={active} />}
      data-testid="structure-card"
    >
      <Tabs
        size="small"
        activeKey={active}
        onChange={(k) => setBy(k as BreakdownBy)}
        items={tabs.map((k) => ({
          key: k,
          disabled: !usable(k),
          label: usable(k) ? (
            <span data-testid={`structure-tab-${k}`}>{t(`tracking.by.${k}`)}</span>
          ) : (
            <Tooltip title={t('tracking.structure.notAvailable')}>
              <span data-testid={`structure-tab-${k}`} data-disabled="true">
                {t(`tracking.by.${k}`)}
              </span>
            </Tooltip>
          ),
        }))}
      />
      {available.length < DIMENSIONS.length && (
        <Typography.Paragraph
          type="secondary"
          style={{ fontSize: 12, marginTop: -4 }}
          data-testid="structure-unavailable"
        >
          {t('tracking.structure.unavailableHint', {
            metric: t(`tracking.metric.${scope.metric}`),
            dims: DIMENSIONS.filter((d) => !available.includes(d))
              .map((d) => t(`tracking.by.${d}`))
              .join(t('tracking.listSep')),
          })}
        </Typography.Paragraph>
      )}
      {onFilter && !ORG.includes(active) && !scope.dim && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: -4 }}>
          {t('tracking.structure.filterHint')}
        </Typography.Paragraph>
      )}
      <StructureBody
        scope={scope}
        by={active}
        onDrill={onDrill}
        onFilter={ORG.includes(active) ? undefined : onFilter}
      />
    </Card>
  );
}

function StructureBody({
  scope,
  by,
  onDrill,
  onFilter,
}: {
  scope: NodeScope;
  by: BreakdownBy;
  onDrill: (by: 'child_unit' | 'member', id: number) => void;
  onFilter?: (f: Filter) => void;
}) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const localName = useLocalName();
  const fmt = useMetricFormat(scope.metric);
  const q = useBreakdown(scope, by);
  const drillable = by === 'child_unit' || by === 'member';
  // Filtering to the slice already shown would change nothing.
  const filterable = onFilter !== undefined && scope.dim === undefined;
  const filterTo = (r: BreakdownRow) => onFilter?.({ dim: by as Dimension, key: r.key });
  const name = (r: BreakdownRow) =>
    localName(r.nameZh, r.nameEn) ||
    (r.key === '' || r.id === 0 ? t('tracking.structure.none') : r.key);

  const rows = q.data?.rows;
  // On a phone the labels around the donut have no room and get cut: a legend names the colours,
  // the table (below the donut there) lists every share, and a tap on a slice shows its tooltip.
  const phone = !Grid.useBreakpoint().sm;
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: {
        trigger: 'item',
        formatter: (p: { name: string; percent: number }) => `${p.name}: ${p.percent}%`,
      },
      // On a phone a legend names the colours instead of the labels.
      // A few slices wrap onto two lines; many (the members) scroll.
      legend: phone
        ? {
            show: true,
            type: (rows ?? []).filter((r) => r.actual > 0).length > 6 ? 'scroll' : 'plain',
            bottom: 0,
            textStyle: { fontSize: 11 },
          }
        : { show: false },
      series: [
        {
          type: 'pie',
          radius: phone ? ['40%', '65%'] : ['48%', '75%'],
          center: phone ? ['50%', '44%'] : ['50%', '50%'],
          avoidLabelOverlap: true,
          label: phone ? { show: false } : { formatter: '{b}\n{d}%', fontSize: 11 },
          labelLine: { show: !phone },
          data: (rows ?? [])
            .filter((r) => r.actual > 0)
            .map((r) => ({ name: name(r), value: r.actual })),
        },
      ],
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- name only depends on the language
    [rows, localName, t, phone],
  );

  if (q.isPending) return <Loading />;
  if (q.error || !q.data) return <LoadError error={q.error} onRetry={() => void q.refetch()} />;
  if (q.data.rows.length === 0) return <EmptyState />;

  return (
    <Row gutter={16}>
      <Col xs={24} lg={9}>
        {q.data.rows.some((r) => r.actual > 0) ? (
          <EChart
            option={option}
            height={260}
            testId="structure-donut"
            onClick={
              filterable
                ? (p) => {
                    // The slices are the rows with a positive actual, in order.
                    const row = q.data.rows.filter((r) => r.actual > 0)[p.dataIndex];
                    if (row) filterTo(row);
                  }
                : undefined
            }
          />
        ) : (
          <EmptyState />
        )}
      </Col>
      <Col xs={24} lg={15}>
        <Table<BreakdownRow>
          size="small"
          rowKey="key"
          data-testid="structure-table"
          dataSource={q.data.rows}
          pagination={q.data.rows.length > 10 ? { pageSize: 10, size: 'small' } : false}
          scroll={{ x: 'max-content' }}
          onRow={(r) =>
            drillable && r.id
              ? {
                  onClick: () => onDrill(by as 'child_unit' | 'member', r.id!),
                  style: { cursor: 'pointer' },
                }
              : filterable
                ? { onClick: () => filterTo(r), style: { cursor: 'pointer' } }
                : {}
          }
          columns={[
            {
              title: nowrap(t(`tracking.by.${by}`)),
              key: 'name',
              render: (_, r) =>
                (drillable && r.id) || filterable ? (
                  <Typography.Link data-testid={`structure-row-${by}-${r.key}`}>
                    {name(r)}
                  </Typography.Link>
                ) : (
                  name(r)
                ),
            },
            {
              title: fmt.head(t('tracking.kpi.actual')),
              dataIndex: 'actual',
              align: 'right',
              render: (v: number) => nowrap(fmt.plain(v) || '—'),
              sorter: (a, b) => a.actual - b.actual,
            },
            {
              title: fmt.head(t('tracking.kpi.target')),
              dataIndex: 'target',
              align: 'right',
              render: (v: number | null) => nowrap(fmt.plain(v) || '—'),
            },
            {
              title: nowrap(t('tracking.structure.share')),
              dataIndex: 'shareBp',
              align: 'right',
              render: (v: number) => pct(v),
            },
            {
              title: nowrap(t('tracking.structure.targetShare')),
              dataIndex: 'targetShareBp',
              align: 'right',
              render: (v: number | null) => pct(v),
            },
            {
              title: nowrap(t('tracking.structure.shareDiff')),
              key: 'diff',
              align: 'right',
              render: (_, r) =>
                r.targetShareBp === null ? (
                  '—'
                ) : (
                  <span
                    style={{
                      color:
                        r.shareBp - r.targetShareBp < 0 ? token.colorError : token.colorSuccess,
                    }}
                  >
                    {signedPct(r.shareBp - r.targetShareBp)}
                  </span>
                ),
            },
            {
              title: nowrap(t('tracking.kpi.attainmentShort')),
              dataIndex: 'attainmentBp',
              align: 'right',
              render: (v: number | null) => pct(v),
            },
          ]}
        />
      </Col>
    </Row>
  );
}
