import { ArrowDownOutlined } from '@ant-design/icons';
import { Card, Col, Divider, Flex, Row, Typography, theme } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/query-state.tsx';
import { useMoney } from '../../format/money.tsx';
import { EChart, type ChartOption } from '../../components/echart.tsx';
import type { Overview } from './tracking-api.ts';
import { pct } from './use-metric-format.ts';

/**
 * 线索 → 商机 → 成单 → 回款. The first three are counts of the period (leads and opportunities
 * created, opportunities won; not nested cohorts, so a rate above 100% is shown as it is);
 * beside them, not as a fourth step, the collection rate: money collected ÷ money booked.
 */
export function FunnelCard({ o }: { o: Overview }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const money = useMoney();
  const f = o.funnel;
  const c = o.collections;
  const stages = [
    { key: 'leads', value: f?.leads ?? 0 },
    { key: 'opportunities', value: f?.opportunities ?? 0 },
    { key: 'deals', value: f?.deals ?? 0 },
  ];
  const empty = stages.every((s) => s.value === 0) && (c?.collected ?? 0) === 0;

  const option = useMemo<ChartOption>(
    () => ({
      color: [token.colorPrimaryBorder, token.colorPrimaryHover, token.colorPrimary],
      tooltip: { trigger: 'item', formatter: '{b}: {c}' },
      series: [
        {
          type: 'funnel',
          sort: 'none',
          left: 8,
          right: 8,
          top: 8,
          bottom: 8,
          // Wide enough at the narrow end for the stage's name inside it ('Opportunities', 'Deals').
          minSize: '45%',
          label: {
            position: 'inside',
            formatter: '{b}\n{c}',
            color: '#fff',
            fontWeight: 600,
            fontSize: 12,
          },
          data: stages.map((s) => ({ name: t(`tracking.funnel.${s.key}`), value: s.value })),
        },
      ],
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- stages derive from f
    [f, t, token],
  );

  return (
    <Card
      title={t('tracking.funnel.title')}
      size="small"
      style={{ height: '100%' }}
      data-testid="funnel-card"
    >
      {!f || !c ? (
        <EmptyState description={t('tracking.funnel.notInSlice')} />
      ) : empty ? (
        <EmptyState description={t('tracking.funnel.empty')} />
      ) : (
        <Row gutter={12} align="middle">
          <Col xs={24} sm={13}>
            <EChart option={option} height={220} style={{ maxWidth: 420, margin: '0 auto' }} />
          </Col>
          <Col xs={24} sm={11}>
            <Flex vertical gap={6}>
              {f.steps.map((s) => (
                <Flex key={`${s.from}-${s.to}`} justify="space-between" gap={8}>
                  <Typography.Text type="secondary">
                    <ArrowDownOutlined /> {t(`tracking.funnel.${s.from}`)} →{' '}
                    {t(`tracking.funnel.${s.to}`)}
                  </Typography.Text>
                  <Typography.Text strong style={{ whiteSpace: 'nowrap' }}>
                    {pct(s.rateBp)}
                  </Typography.Text>
                </Flex>
              ))}
              {/* Collections are money against money booked, not a further conversion step:
                  they can exceed 100% (earlier periods' sales collected now). */}
              <Divider style={{ margin: '4px 0' }} />
              <Flex justify="space-between" gap={8}>
                <Typography.Text type="secondary">
                  {t('tracking.funnel.collectionRate')}
                </Typography.Text>
                <Typography.Text
                  strong
                  style={{ whiteSpace: 'nowrap' }}
                  data-testid="funnel-collection-rate"
                >
                  {c.rateBp === null ? '—' : pct(c.rateBp)}
                </Typography.Text>
              </Flex>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {!c.imported
                  ? t('tracking.noCollections')
                  : t('tracking.funnel.collectedOf', {
                      collected: money.format(c.collected),
                      due: money.format(c.due),
                    })}
                {c.rateBp !== null && c.rateBp > 10_000 && (
                  <> · {t('tracking.collectionsOverDue')}</>
                )}
              </Typography.Text>
            </Flex>
          </Col>
        </Row>
      )}
    </Card>
  );
}
