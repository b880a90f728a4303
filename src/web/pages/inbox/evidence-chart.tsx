import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { EChart, type ChartOption } from '../../components/echart.tsx';
import type { EvidencePoint } from './alerts-api.ts';

/**
 * The periods the verdict rests on: attainment (bars) against time progress (line), in percent,
 * with the rule's threshold as a dashed line when the evidence names one. Loaded lazily with
 * the alert, so the landing page does not carry ECharts.
 */
export default function EvidenceChart({
  series,
  thresholdBp,
}: {
  series: EvidencePoint[];
  thresholdBp: number | null;
}) {
  const { t } = useTranslation();
  const option = useMemo<ChartOption>(() => {
    const pct = (bp: number | null) => (bp === null ? null : bp / 100);
    return {
      grid: { left: 8, right: 40, top: 32, bottom: 8, containLabel: true },
      legend: { top: 0, itemWidth: 14 },
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v: unknown) => (v == null ? '—' : `${String(v)}%`),
      },
      xAxis: { type: 'category', data: series.map((p) => p.period) },
      yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
      series: [
        {
          name: t('alerts.chartAttainment'),
          type: 'bar',
          barMaxWidth: 28,
          data: series.map((p) => pct(p.attainmentBp)),
          ...(thresholdBp !== null
            ? {
                markLine: {
                  symbol: 'none',
                  lineStyle: { type: 'dashed', color: '#cf1322' },
                  label: { formatter: `${thresholdBp / 100}%` },
                  data: [{ yAxis: thresholdBp / 100 }],
                },
              }
            : {}),
        },
        ...(series.some((p) => p.timeProgressBp !== null)
          ? [
              {
                name: t('alerts.chartTimeProgress'),
                type: 'line',
                data: series.map((p) => pct(p.timeProgressBp)),
              },
            ]
          : []),
      ],
    };
  }, [series, thresholdBp, t]);
  return <EChart option={option} height={200} testId="alert-evidence-chart" />;
}
