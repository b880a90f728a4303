import type { Db } from '../../db/connect.ts';
import { formulaOf, listMetrics as metricRows, type MetricRow } from '../../db/plans/metrics.ts';
import type { MetricKind, MetricLevel, MetricUnit } from '../../db/schema.ts';
import type { MetricFormula } from '../../domain/planning/metrics.ts';

/** A metric as the API shows it. */
export interface Metric {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  level: MetricLevel;
  kind: MetricKind;
  unit: MetricUnit;
  /** numerator ÷ denominator for ratio and derived metrics. */
  formula: MetricFormula | null;
  builtin: boolean;
  version: number;
}

export function toMetric(m: MetricRow): Metric {
  return {
    id: m.id,
    code: m.code,
    nameZh: m.name_zh,
    nameEn: m.name_en,
    level: m.level,
    kind: m.kind,
    unit: m.unit,
    formula: formulaOf(m),
    builtin: m.builtin === 1,
    version: m.version,
  };
}

/** Built-in metrics first, then the custom ones. */
export async function listMetrics(db: Db): Promise<Metric[]> {
  return (await metricRows(db)).map(toMetric);
}
