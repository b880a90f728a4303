import { Card, Descriptions, Flex, Progress, Table, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { useForecastAccuracy, type Overview } from './tracking-api.ts';
import { pct, signedPct, useMetricFormat } from './use-metric-format.ts';

/**
 * Where the period will likely end: three projections (linear run-rate, seasonal share, open
 * pipeline weighted by stage) and the probability of reaching each tier, centred on the seasonal
 * projection with the spread of its past errors (docs/forecast-probabilities.md).
 */
export function ForecastCard({ o }: { o: Overview }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const fmt = useMetricFormat(o.metric);
  const f = o.forecast;
  const vsTarget = (v: number | null) =>
    v === null || o.target <= 0 ? null : (
      <Typography.Text type={v >= o.target ? 'success' : 'danger'} style={{ fontSize: 12 }}>
        {' '}
        ({pct(Math.round((v * 10_000) / o.target))})
      </Typography.Text>
    );
  const colorOf = (bp: number) =>
    bp >= 7_000 ? token.colorSuccess : bp >= 3_000 ? token.colorWarning : token.colorError;

  return (
    <Card
      size="small"
      title={t('tracking.forecast.title')}
      style={{ height: '100%' }}
      data-testid="forecast-card"
    >
      <Descriptions
        size="small"
        column={1}
        items={(['linear', 'seasonal', 'pipeline'] as const).map((k) => ({
          key: k,
          label: t(`tracking.forecast.${k}`),
          children: (
            <span data-testid={`forecast-${k}`}>
              {fmt.format(f[k])}
              {vsTarget(f[k])}
            </span>
          ),
        }))}
      />
      <Typography.Text strong style={{ display: 'block', margin: '8px 0 4px' }}>
        {t('tracking.forecast.probability')}
      </Typography.Text>
      {f.tierProbabilities.length === 0 ? (
        <Typography.Text type="secondary">
          {o.filter
            ? t('tracking.forecast.notInSlice')
            : o.target > 0 && f.seasonal === null
              ? t('tracking.forecast.tooEarly')
              : t('tracking.forecast.noTiers')}
        </Typography.Text>
      ) : (
        <Flex vertical gap={4} data-testid="tier-probabilities">
          {f.tierProbabilities.map((p) => (
            <Flex key={p.tier} align="center" gap={8}>
              <Typography.Text style={{ width: 96, flex: 'none' }} title={fmt.format(p.amount)}>
                {t(`tracking.tier.${p.tier}`)}
              </Typography.Text>
              <Progress
                percent={p.probabilityBp / 100}
                strokeColor={colorOf(p.probabilityBp)}
                format={() => pct(p.probabilityBp, 0)}
                size="small"
                style={{ margin: 0 }}
              />
            </Flex>
          ))}
          <Typography.Text
            type="secondary"
            style={{ fontSize: 12 }}
            data-testid="tier-probabilities-method"
          >
            {t('tracking.forecast.method')}
          </Typography.Text>
        </Flex>
      )}
      <MethodAccuracy node={o.node} />
    </Card>
  );
}

/**
 * "How accurate each method has been": the month-end forecasts kept of this node's closed periods
 * against what happened (accuracy 1 − |F − A| ÷ A, bias (F − A) ÷ A), so users learn which to trust.
 */
function MethodAccuracy({ node }: { node: { type: 'unit' | 'member'; id: number } }) {
  const { t } = useTranslation();
  const q = useForecastAccuracy(node);
  const rows = q.data?.methods.filter((m) => m.forecasts > 0) ?? [];
  return (
    <div style={{ marginTop: 12 }} data-testid="forecast-accuracy">
      <Typography.Text strong style={{ display: 'block', marginBottom: 4 }}>
        {t('tracking.forecast.accuracy.title')}
      </Typography.Text>
      {q.data && rows.length === 0 ? (
        <Typography.Text type="secondary">{t('tracking.forecast.accuracy.none')}</Typography.Text>
      ) : (
        <Table
          size="small"
          pagination={false}
          loading={q.isPending}
          rowKey="method"
          dataSource={rows}
          columns={[
            {
              title: t('tracking.forecast.accuracy.method'),
              key: 'method',
              render: (_, r) => t(`tracking.forecast.${r.method}`),
            },
            {
              title: t('tracking.forecast.accuracy.accuracy'),
              key: 'accuracy',
              align: 'right',
              render: (_, r) => pct(r.accuracyBp),
            },
            {
              title: t('tracking.forecast.accuracy.bias'),
              key: 'bias',
              align: 'right',
              render: (_, r) => signedPct(r.biasBp),
            },
            {
              title: t('tracking.forecast.accuracy.count'),
              key: 'count',
              align: 'right',
              render: (_, r) => r.forecasts,
            },
          ]}
        />
      )}
      {rows.length > 0 && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('tracking.forecast.accuracy.hint')}
        </Typography.Text>
      )}
    </div>
  );
}
