import { Card, Segmented, Select, Space, Table, Tag, Typography, theme } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState, LoadError, Loading } from '../../components/query-state.tsx';
import { useLocalName } from '../../format/names.ts';
import { ExportButton } from './export-button.tsx';
import {
  useRanking,
  type NodeScope,
  type Overview,
  type RankBy,
  type RankingBy,
  type RankingRow,
} from './tracking-api.ts';
import { nowrap, pct, useMetricFormat } from './use-metric-format.ts';

const TIER_COLOR = {
  none: 'default',
  base: 'blue',
  target: 'green',
  challenge: 'gold',
  sprint: 'magenta',
} as const;

export function TierTag({ tier, testId }: { tier: Overview['tierReached']; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={TIER_COLOR[tier]} data-testid={testId} data-tier={tier}>
      {t(`tracking.tier.${tier}`)}
    </Tag>
  );
}

/** The 271 ranking: top 20% green, bottom 10% red; a click on a row drills into that unit or member. */
export function RankingCard({
  scope,
  by,
  onByChange,
  onDrill,
}: {
  scope: NodeScope;
  by: RankingBy;
  onByChange: (by: RankingBy) => void;
  onDrill: (by: RankingBy, id: number) => void;
}) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const localName = useLocalName();
  const fmt = useMetricFormat(scope.metric);
  const [rankBy, setRankBy] = useState<RankBy>('attainment');
  const q = useRanking(scope, by, rankBy);
  const bandBg = {
    top: token.colorSuccessBg,
    middle: undefined,
    bottom: token.colorErrorBg,
  } as const;

  return (
    <Card
      size="small"
      title={t('tracking.ranking.title')}
      data-testid="ranking-card"
      extra={
        <Space wrap>
          <Segmented<RankingBy>
            size="small"
            value={by}
            onChange={onByChange}
            options={[
              { value: 'member', label: t('tracking.by.member') },
              { value: 'child_unit', label: t('tracking.by.child_unit') },
            ]}
          />
          <Select<RankBy>
            size="small"
            value={rankBy}
            onChange={setRankBy}
            style={{ width: 120 }}
            data-testid="ranking-rank-by"
            options={[
              { value: 'attainment', label: t('tracking.ranking.byAttainment') },
              { value: 'actual', label: t('tracking.ranking.byActual') },
            ]}
          />
          <ExportButton table="ranking" scope={scope} by={by} rankBy={rankBy} />
        </Space>
      }
    >
      {q.isPending ? (
        <Loading />
      ) : q.error || !q.data ? (
        <LoadError error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data.rows.length === 0 ? (
        <EmptyState />
      ) : (
        <>
          <Table<RankingRow>
            size="small"
            rowKey="id"
            data-testid="ranking-table"
            dataSource={q.data.rows}
            pagination={q.data.rows.length > 15 ? { pageSize: 15, size: 'small' } : false}
            scroll={{ x: 'max-content' }}
            onRow={(r) => ({
              onClick: () => onDrill(by, r.id),
              style: { cursor: 'pointer', background: bandBg[r.band] },
            })}
            columns={[
              {
                title: nowrap(t('tracking.ranking.rank')),
                dataIndex: 'rank',
                width: 64,
                align: 'center',
              },
              {
                title: nowrap(t(`tracking.by.${by}`)),
                key: 'name',
                render: (_, r) => (
                  <Typography.Link data-testid={`ranking-row-${r.id}`}>
                    {localName(r.nameZh, r.nameEn)}
                  </Typography.Link>
                ),
              },
              {
                title: fmt.head(t('tracking.kpi.actual')),
                dataIndex: 'actual',
                align: 'right',
                render: (v: number) => nowrap(fmt.plain(v) || '—'),
              },
              {
                title: fmt.head(t('tracking.kpi.target')),
                dataIndex: 'target',
                align: 'right',
                render: (v: number) => nowrap(fmt.plain(v) || '—'),
              },
              {
                title: nowrap(t('tracking.kpi.attainmentShort')),
                dataIndex: 'attainmentBp',
                align: 'right',
                render: (v: number | null) => pct(v),
              },
              {
                title: fmt.head(t('tracking.kpi.gap')),
                dataIndex: 'gap',
                align: 'right',
                render: (v: number) => nowrap(v > 0 ? fmt.plain(v) : '—'),
              },
              {
                title: nowrap(t('tracking.ranking.tier')),
                key: 'tier',
                // Computed by the server on the row's own target with the plan's tier settings.
                render: (_, r) =>
                  r.tier ? <TierTag tier={r.tier} testId={`ranking-tier-${r.id}`} /> : '—',
              },
              {
                title: nowrap(t('tracking.ranking.band')),
                dataIndex: 'band',
                render: (b: RankingRow['band']) => (
                  <Tag color={b === 'top' ? 'success' : b === 'bottom' ? 'error' : 'default'}>
                    {t(`tracking.band.${b}`)}
                  </Tag>
                ),
              },
            ]}
          />
          <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0', fontSize: 12 }}>
            {t(rankBy === 'actual' ? 'tracking.ranking.hintActual' : 'tracking.ranking.hint')}
          </Typography.Paragraph>
        </>
      )}
    </Card>
  );
}
