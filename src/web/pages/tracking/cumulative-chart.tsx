import { theme } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { EChart, type ChartOption } from '../../components/echart.tsx';
import type { Series } from './tracking-api.ts';
import { useMetricFormat } from './use-metric-format.ts';

/** A bucket's label on the axis: '03-05' for a day, 'W09' for a week, '2026-03' for a month. */
function axisLabel(period: string, granularity: Series['granularity']): string {
  if (granularity === 'day') return period.slice(5);
  if (granularity === 'week') return period.slice(5);
  return period;
}

/**
 * Cumulative actual against cumulative target, with the run-rate forecast from today to the
 * period end. Values are drawn in the user's money unit; the tooltip prints them exactly.
 */
export function CumulativeChart({
  series,
  height = 300,
  compact = false,
}: {
  series: Series;
  height?: number;
  compact?: boolean;
}) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const fmt = useMetricFormat(series.metric);

  const option = useMemo<ChartOption>(() => {
    const pts = series.points;
    const names = {
      actual: t('tracking.chart.cumActual'),
      target: t('tracking.chart.cumTarget'),
      forecast: t('tracking.chart.forecast'),
    };
    const byName = new Map<string, (i: number) => number | null>([
      [names.actual, (i) => pts[i]?.cumActual ?? null],
      [names.target, (i) => pts[i]?.cumTarget ?? null],
      [names.forecast, (i) => pts[i]?.forecastCum ?? null],
    ]);
    return {
      color: [token.colorPrimary, token.colorTextTertiary, token.colorWarning],
      tooltip: {
        trigger: 'axis',
        formatter: (params: { seriesName: string; dataIndex: number; marker: string }[]) => {
          const first = params[0];
          if (!first) return '';
          const p = pts[first.dataIndex];
          const lines = params
            .map((x) => ({ x, v: byName.get(x.seriesName)?.(x.dataIndex) ?? null }))
            .filter(({ v }) => v !== null)
            .map(({ x, v }) => `${x.marker}${x.seriesName}: ${fmt.format(v)}`);
          return [p?.period ?? '', ...lines].join('<br/>');
        },
      },
      legend: { top: 0, itemWidth: 18 },
      grid: { left: 8, right: compact ? 8 : 16, top: 32, bottom: 8, containLabel: true },
      xAxis: {
        type: 'category',
        boundaryGap: false,
        data: pts.map((p) => axisLabel(p.period, series.granularity)),
        axisLabel: { hideOverlap: true },
      },
      yAxis: {
        type: 'value',
        name: compact ? undefined : fmt.unit,
        axisLabel: { formatter: (v: number) => (fmt.isCount ? String(v) : v.toLocaleString()) },
      },
      series: [
        {
          name: names.actual,
          type: 'line',
          data: pts.map((p) => fmt.scale(p.cumActual)),
          showSymbol: false,
          lineStyle: { width: 3 },
          areaStyle: { opacity: 0.08 },
        },
        {
          name: names.target,
          type: 'line',
          data: pts.map((p) => fmt.scale(p.cumTarget)),
          showSymbol: false,
          lineStyle: { type: 'dashed' },
        },
        {
          name: names.forecast,
          type: 'line',
          data: pts.map((p) => fmt.scale(p.forecastCum)),
          showSymbol: false,
          connectNulls: false,
          lineStyle: { type: 'dotted', width: 2 },
        },
      ],
    };
  }, [series, t, token, fmt, compact]);

  return <EChart option={option} height={height} testId="cumulative-chart" />;
}
