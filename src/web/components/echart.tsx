import { BarChart, FunnelChart, LineChart, PieChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, type CSSProperties } from 'react';

// Only the charts the app draws (tracking, the planner's previews): the echarts chunk stays a
// fraction of the full build. A new chart type is registered here.
echarts.use([
  LineChart,
  BarChart,
  PieChart,
  FunnelChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  MarkLineComponent,
  CanvasRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

/**
 * One ECharts instance bound to a div: created on mount, given each new option in full
 * (`notMerge`, so a series that disappears really goes), resized with its container, disposed
 * on unmount. Its div carries `data-chart="rendering" | "finished"`.
 */
export function EChart({
  option,
  height = 300,
  style,
  testId,
  onClick,
}: {
  option: ChartOption;
  height?: number;
  style?: CSSProperties;
  testId?: string;
  onClick?: (params: { name: string; dataIndex: number; seriesIndex?: number }) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const clickRef = useRef(onClick);
  useEffect(() => {
    clickRef.current = onClick;
  }, [onClick]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const instance = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.current = instance;
    // data-chart says whether the drawing (entry animation included) is complete, so a browser
    // test or a screenshot waits for the chart instead of guessing how long it takes.
    instance.on('finished', () => {
      el.dataset.chart = 'finished';
    });
    instance.on('click', (p) =>
      clickRef.current?.(p as { name: string; dataIndex: number; seriesIndex?: number }),
    );
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    if (!chart.current || !ref.current) return;
    ref.current.dataset.chart = 'rendering';
    chart.current.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={ref} data-testid={testId} style={{ width: '100%', height, ...style }} />;
}
