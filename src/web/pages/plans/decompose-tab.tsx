import { BuildOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  InputNumber,
  Popconfirm,
  Radio,
  Row,
  Space,
  Table,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import type { ButtonProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useSave } from '../../api/use-save.ts';
import { useMe } from '../../session/use-me.ts';
import { LoadError, Loading } from '../../components/query-state.tsx';
import { MoneyInput, useMoney, type MoneyValue } from '../../format/money.tsx';
import { useLocalName } from '../../format/names.ts';
import { EChart } from '../../components/echart.tsx';
import { MatrixPanel } from './matrix-panel.tsx';
import { CalendarWarning } from './calendar-warning.tsx';
import { HISTORY_YEARS } from './lenses-tab.tsx';
import {
  bpText,
  gridKey,
  monthLabel,
  PLAN_KEYS,
  pctToBp,
  useHistory,
  useOwnerHistory,
  type DecomposeResult,
  type Grid,
  type GridRow,
  type VersionDetail,
} from './plan-api.ts';

type TimeMethod = 'even' | 'manual' | 'quarter' | 'history' | 'working_days' | 'capacity';
type OrgMethod = 'even' | 'weights' | 'history' | 'capacity' | 'manual';
const TIME_METHODS: TimeMethod[] = [
  'even',
  'manual',
  'quarter',
  'history',
  'working_days',
  'capacity',
];
const ORG_METHODS: OrgMethod[] = ['even', 'weights', 'history', 'capacity', 'manual'];

export function useGrid(versionId: number, opts: { unitId?: number; depth?: number } = {}) {
  return useQuery({
    queryKey: [gridKey, versionId, opts],
    queryFn: () =>
      api.get<Grid>(`/plan-versions/${versionId}/grid`, {
        metric: 'revenue',
        unitId: opts.unitId,
        depth: opts.depth,
      }),
  });
}

/** The stored year → months split as the screen's choices (the API's method names differ). */
function storedTime(v: VersionDetail): {
  method: TimeMethod;
  monthPct?: number[];
  quarterPct?: number[];
  years?: number;
} {
  const s = v.decomposedBy.time;
  const bps = (k: string) => {
    const x = s?.inputs[k];
    return Array.isArray(x) ? x.map((b) => Number(b) / 100) : undefined;
  };
  switch (s?.method) {
    case 'seasonality': {
      const q = bps('quarterPercentsBp');
      return q ? { method: 'quarter', quarterPct: q } : { method: 'even' };
    }
    case 'manual': {
      const m = bps('monthPercentsBp');
      return m ? { method: 'manual', monthPct: m } : { method: 'even' };
    }
    case 'history': {
      const y = Number(s.inputs.years);
      return { method: 'history', ...(y >= 1 ? { years: y } : {}) };
    }
    case 'working_days':
    case 'capacity':
      return { method: s.method };
    default:
      return { method: 'even' };
  }
}

function storedOrg(v: VersionDetail): OrgMethod {
  const m = v.decomposedBy.org?.method;
  return m === 'weights' || m === 'history' || m === 'capacity' ? m : 'even';
}

/** Shares (any scale) → amounts of `total`, for the preview only (the server rounds exactly). */
function preview(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, w) => a + w, 0);
  return weights.map((w) => (sum > 0 ? Math.round((total * w) / sum) : 0));
}

/**
 * Decompose: the seasonal profile of the year (a bar + line preview of the monthly split), how
 * each month goes down the org, and one action that builds the whole plan (cascade).
 */
export function DecomposeTab({ v, onBuilt }: { v: VersionDetail; onBuilt: () => void }) {
  const { t, i18n } = useTranslation();
  const money = useMoney();
  const grid = useGrid(v.id);
  // The preview starts from the method the stored plan used (read from the version), until the
  // planner picks another: a plan built from history must not preview as even.
  const stored = storedTime(v);
  const [timeMethod, setTimeMethod] = useState<TimeMethod>(stored.method);
  const [monthPct, setMonthPct] = useState<number[]>(
    () => stored.monthPct ?? v.months.map(() => Number((100 / 12).toFixed(2))),
  );
  const [quarterPct, setQuarterPct] = useState<number[]>(stored.quarterPct ?? [25, 25, 25, 25]);
  const [historyYears, setHistoryYears] = useState(stored.years ?? 2);
  // What the planner typed over the company's actuals (from the rollups), month by month.
  const [typed, setTyped] = useState<Record<string, MoneyValue>>({});
  const [orgMethod, setOrgMethod] = useState<OrgMethod>(() => storedOrg(v));
  // Whose months each unit's year follows: the company's, or its own history blended toward its parent's.
  const [unitSeasonality, setUnitSeasonality] = useState<'company' | 'own'>(() =>
    v.decomposedBy.org?.inputs.seasonality === 'own' ? 'own' : 'company',
  );
  const [orgValues, setOrgValues] = useState<Record<string, MoneyValue>>({});
  // The org split by history starts from last year's actual of each unit and member (the
  // rollups); what the planner types overrides it.
  const [orgHistoryTyped, setOrgHistoryTyped] = useState<Record<string, MoneyValue>>({});
  const editable = v.status === 'draft' && v.canApprove;
  // The matrix fit is for planners: the director anywhere, a manager on their own units.
  const me = useMe().data;
  const planner = v.status === 'draft' && (me?.role === 'admin' || me?.role === 'manager');
  const total = v.committedTarget ?? 0;
  const actuals = useHistory(v.id, HISTORY_YEARS, editable);
  const ownerActuals = useOwnerHistory(v.id, editable && orgMethod === 'history');
  const orgHistory = useMemo(
    () => ({ ...(ownerActuals.data?.owners ?? {}), ...orgHistoryTyped }),
    [ownerActuals.data, orgHistoryTyped],
  );
  const history = useMemo(() => {
    const h: Record<string, MoneyValue> = {};
    for (const y of actuals.data?.years ?? []) for (const m of y.months) h[m.month] = m.amount;
    return { ...h, ...typed };
  }, [actuals.data, typed]);

  const pastMonths = (k: number) =>
    v.months.map((m) => `${Number(m.slice(0, 4)) - k}${m.slice(4)}`);
  const weights: number[] | null = useMemo(() => {
    if (timeMethod === 'even') return v.months.map(() => 1);
    if (timeMethod === 'manual') return monthPct;
    if (timeMethod === 'quarter')
      return v.months.map((_, i) => (quarterPct[Math.floor(i / 3)] ?? 0) / 3);
    if (timeMethod === 'history') {
      const w = v.months.map((_, i) => {
        let s = 0;
        for (let k = 1; k <= historyYears; k++) {
          const h = history[pastMonths(k)[i] ?? ''];
          s += typeof h === 'number' ? h : 0;
        }
        return s;
      });
      return w.some((x) => x > 0) ? w : null;
    }
    return null;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- pastMonths derives from v.months
  }, [timeMethod, monthPct, quarterPct, history, historyYears, v.months]);

  const root = grid.data?.rows.find((r) => r.parentRef === null && r.ownerType === 'unit');
  const current = root ? v.months.map((m) => root.cells[m]?.value ?? null) : [];
  const built = current.some((x) => x !== null);
  const amounts = weights ? preview(total, weights) : built ? current.map((x) => x ?? 0) : null;

  const manualSum = monthPct.reduce((a, x) => a + pctToBp(x), 0);
  const quarterSum = quarterPct.reduce((a, x) => a + pctToBp(x), 0);
  const timeInvalid =
    (timeMethod === 'manual' && manualSum !== 10_000) ||
    (timeMethod === 'quarter' && quarterSum !== 10_000) ||
    (timeMethod === 'history' && !weights);

  const timeBody = (): { method: string; inputs: Record<string, unknown> } => {
    switch (timeMethod) {
      case 'manual':
        return { method: 'manual', inputs: { monthPercentsBp: monthPct.map(pctToBp) } };
      case 'quarter':
        return { method: 'seasonality', inputs: { quarterPercentsBp: quarterPct.map(pctToBp) } };
      case 'history': {
        const rows: { month: string; amount: number }[] = [];
        for (let k = 1; k <= historyYears; k++) {
          for (const m of pastMonths(k)) {
            const h = history[m];
            rows.push({ month: m, amount: typeof h === 'number' ? h : 0 });
          }
        }
        return {
          method: 'history',
          inputs: { history: rows, years: historyYears, onMissing: 'zero' },
        };
      }
      default:
        return { method: timeMethod, inputs: {} };
    }
  };
  const orgBody = (): {
    method: 'even' | 'weights' | 'history' | 'capacity';
    inputs: Record<string, unknown>;
    seasonality: 'company' | 'own';
  } => ({ ...orgSplit(), seasonality: unitSeasonality });
  const orgSplit = (): {
    method: 'even' | 'weights' | 'history' | 'capacity';
    inputs: Record<string, unknown>;
  } => {
    const map = Object.fromEntries(
      Object.entries(orgMethod === 'history' ? orgHistory : orgValues).map(([k, x]) => [
        k,
        typeof x === 'number' ? x : 0,
      ]),
    );
    if (orgMethod === 'manual' || orgMethod === 'weights')
      return { method: 'weights', inputs: { weights: map } };
    if (orgMethod === 'history') return { method: 'history', inputs: { history: map } };
    return { method: orgMethod, inputs: {} };
  };

  const build = useSave({
    mutationFn: () => {
      if (!root) throw new Error('no root');
      const time = timeBody();
      return api.post<DecomposeResult>(`/plan-versions/${v.id}/decompose`, {
        version: v.version,
        metricCode: 'revenue',
        mode: 'cascade',
        parent: { ownerType: 'unit', ownerId: root.ownerId, period: `FY${v.plan.fiscalYear}` },
        axis: 'time',
        method: time.method,
        inputs: time.inputs,
        org: orgBody(),
      });
    },
    invalidate: PLAN_KEYS,
    success: t('plans.decompose.built'),
    onSuccess: onBuilt,
  });

  const div = money.perUnit;
  const option = useMemo(
    () =>
      amounts && {
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 56, right: 48, top: 32, bottom: 24 },
        xAxis: { type: 'category', data: v.months.map((m) => monthLabel(m, i18n.language)) },
        yAxis: [
          { type: 'value', name: money.label },
          {
            type: 'value',
            name: '%',
            axisLabel: { formatter: '{value}%' },
            splitLine: { show: false },
          },
        ],
        series: [
          {
            type: 'bar',
            name: t('plans.decompose.monthAmount'),
            data: amounts.map((a) => a / div),
            tooltip: { valueFormatter: (x: number) => money.format(Math.round(x * div)) },
            itemStyle: { color: '#1f5fd6' },
          },
          {
            type: 'line',
            name: t('plans.decompose.share'),
            yAxisIndex: 1,
            data: amounts.map((a) => (total > 0 ? Number(((a / total) * 100).toFixed(2)) : 0)),
            tooltip: { valueFormatter: (x: number) => `${x}%` },
            itemStyle: { color: '#d46b08' },
          },
        ],
      },
    [amounts, v.months, i18n.language, money, div, total, t],
  );

  if (v.committedTarget === null)
    return <Alert type="info" showIcon title={t('plans.decompose.needTarget')} />;
  if (grid.isPending) return <Loading />;
  if (grid.error) return <LoadError error={grid.error} onRetry={() => void grid.refetch()} />;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="decompose-tab">
      <CalendarWarning v={v} />
      <Card title={t('plans.decompose.timeTitle', { total: money.format(total) })}>
        <Radio.Group
          optionType="button"
          value={timeMethod}
          onChange={(e) => setTimeMethod(e.target.value as TimeMethod)}
          options={TIME_METHODS.map((m) => ({
            value: m,
            label: <span data-testid={`time-${m}`}>{t(`plans.decompose.time.${m}`)}</span>,
          }))}
        />
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t(`plans.decompose.timeHint.${timeMethod}`)}
        </Typography.Paragraph>
        {v.decomposedBy.time && (
          <Typography.Paragraph type="secondary" data-testid="time-stored">
            {t('plans.decompose.storedMethod', {
              method: t(`plans.decompose.time.${stored.method}`),
            })}
          </Typography.Paragraph>
        )}
        {timeMethod === 'manual' && (
          <Space wrap>
            {v.months.map((m, i) => (
              <Space.Compact key={m} orientation="vertical">
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {monthLabel(m, i18n.language)}
                </Typography.Text>
                <InputNumber
                  size="small"
                  min={0}
                  max={100}
                  step={0.5}
                  suffix="%"
                  style={{ width: 86 }}
                  value={monthPct[i]}
                  onChange={(x) => setMonthPct((p) => p.map((y, j) => (j === i ? (x ?? 0) : y)))}
                />
              </Space.Compact>
            ))}
            <SumTag bp={manualSum} />
          </Space>
        )}
        {timeMethod === 'quarter' && (
          <Space wrap>
            {quarterPct.map((q, i) => (
              <Space key={i} size={4}>
                <span>Q{i + 1}</span>
                <InputNumber
                  size="small"
                  min={0}
                  max={100}
                  suffix="%"
                  style={{ width: 90 }}
                  value={q}
                  onChange={(x) => setQuarterPct((p) => p.map((y, j) => (j === i ? (x ?? 0) : y)))}
                  data-testid={`quarter-${i + 1}`}
                />
              </Space>
            ))}
            <SumTag bp={quarterSum} />
          </Space>
        )}
        {timeMethod === 'history' && (
          <div>
            <Space style={{ marginBottom: 8 }}>
              <span>{t('plans.decompose.historyYears')}</span>
              <InputNumber
                size="small"
                min={1}
                max={HISTORY_YEARS}
                value={historyYears}
                onChange={(x) => setHistoryYears(x ?? 1)}
              />
              {actuals.data && (
                <Typography.Text type="secondary" data-testid="history-prefilled">
                  {t('plans.decompose.historyPrefilled')}
                </Typography.Text>
              )}
            </Space>
            <Table
              size="small"
              pagination={false}
              scroll={{ x: 'max-content' }}
              rowKey="k"
              data-testid="history-table"
              dataSource={[
                ...Array.from({ length: historyYears }, (_, i) => ({ k: i + 1 })),
                { k: 0 },
              ]}
              columns={[
                {
                  title: t('plans.decompose.year'),
                  key: 'y',
                  fixed: 'left',
                  render: (_, r) =>
                    r.k === 0 ? t('plans.decompose.historyShare') : `FY${v.plan.fiscalYear - r.k}`,
                },
                ...v.months.map((m, i) => ({
                  title: monthLabel(m, i18n.language),
                  key: m,
                  width: 110,
                  render: (_: unknown, r: { k: number }) => {
                    if (r.k === 0)
                      return (
                        <Typography.Text strong data-testid={`history-share-${i}`}>
                          {shareText(weights, i)}
                        </Typography.Text>
                      );
                    const pm = pastMonths(r.k)[i] ?? '';
                    return (
                      <MoneyInput
                        value={history[pm] ?? null}
                        onChange={(x) => setTyped((h) => ({ ...h, [pm]: x }))}
                        placeholder="0"
                      />
                    );
                  },
                })),
              ]}
            />
          </div>
        )}
        {option ? (
          <EChart option={option} height={280} testId="season-chart" />
        ) : (
          <Typography.Paragraph type="secondary">
            {t('plans.decompose.noPreview')}
          </Typography.Paragraph>
        )}
        {weights && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('plans.decompose.previewNote')}
          </Typography.Text>
        )}
      </Card>

      <Card title={t('plans.decompose.orgTitle')}>
        <Radio.Group
          optionType="button"
          value={orgMethod}
          onChange={(e) => setOrgMethod(e.target.value as OrgMethod)}
          options={ORG_METHODS.map((m) => ({
            value: m,
            label: <span data-testid={`org-${m}`}>{t(`plans.decompose.org.${m}`)}</span>,
          }))}
        />
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t(`plans.decompose.orgHint.${orgMethod}`)}
        </Typography.Paragraph>
        <Space wrap align="center" style={{ marginBottom: 8 }}>
          <Typography.Text>{t('plans.decompose.unitSeasonality.label')}</Typography.Text>
          <Radio.Group
            optionType="button"
            size="small"
            value={unitSeasonality}
            onChange={(e) => setUnitSeasonality(e.target.value as 'company' | 'own')}
            options={(['company', 'own'] as const).map((m) => ({
              value: m,
              label: (
                <span data-testid={`unit-seasonality-${m}`}>
                  {t(`plans.decompose.unitSeasonality.${m}`)}
                </span>
              ),
            }))}
          />
        </Space>
        <Typography.Paragraph type="secondary" data-testid="unit-seasonality-hint">
          {t(`plans.decompose.unitSeasonality.hint_${unitSeasonality}`)}
        </Typography.Paragraph>
        {(orgMethod === 'weights' || orgMethod === 'history' || orgMethod === 'manual') && (
          <>
            {orgMethod === 'history' && ownerActuals.data && (
              <Typography.Paragraph type="secondary" data-testid="org-history-prefilled">
                {t('plans.decompose.orgHistoryPrefilled', {
                  fy: `FY${ownerActuals.data.fiscalYear}`,
                })}
              </Typography.Paragraph>
            )}
            <OrgInputs
              rows={grid.data.rows}
              method={orgMethod}
              values={orgMethod === 'history' ? orgHistory : orgValues}
              onChange={orgMethod === 'history' ? setOrgHistoryTyped : setOrgValues}
              total={total}
            />
          </>
        )}
      </Card>

      <Card>
        <Row align="middle" gutter={16}>
          <Col flex="auto">
            <Typography.Text strong>{t('plans.decompose.buildTitle')}</Typography.Text>
            <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
              {t('plans.decompose.buildHint')}
            </Typography.Paragraph>
          </Col>
          <Col>
            <Popconfirm
              title={t('plans.decompose.buildConfirm')}
              description={built ? t('plans.decompose.rebuildWarning') : undefined}
              okText={t('plans.decompose.build')}
              cancelText={t('common.cancel')}
              onConfirm={() => build.mutateAsync().catch(() => undefined)}
              okButtonProps={{ 'data-testid': 'build-ok' } as ButtonProps}
              disabled={!editable || timeInvalid || !root}
            >
              <Button
                type="primary"
                size="large"
                icon={<BuildOutlined />}
                loading={build.isPending}
                disabled={!editable || timeInvalid || !root}
                data-testid="build-plan"
              >
                {t('plans.decompose.build')}
              </Button>
            </Popconfirm>
          </Col>
        </Row>
      </Card>

      {planner && (
        <MatrixPanel v={v} units={grid.data.rows.filter((r) => r.ownerType === 'unit')} />
      )}
    </Space>
  );
}

/** Month i's share of the weights, '12.3%'. */
function shareText(weights: number[] | null, i: number): string {
  const sum = weights?.reduce((a, w) => a + w, 0) ?? 0;
  return weights && sum > 0 ? `${(((weights[i] ?? 0) / sum) * 100).toFixed(1)}%` : '—';
}

function SumTag({ bp }: { bp: number }) {
  const { t } = useTranslation();
  return (
    <Typography.Text type={bp === 10_000 ? 'success' : 'danger'} strong>
      {t('plans.decompose.sum', { pct: bpText(bp) })}
    </Typography.Text>
  );
}

/** Per-node inputs down the org (indented by depth): weights, last year's actuals, or amounts. */
function OrgInputs({
  rows,
  method,
  values,
  onChange,
  total,
}: {
  rows: GridRow[];
  method: 'weights' | 'history' | 'manual';
  values: Record<string, MoneyValue>;
  onChange: (v: Record<string, MoneyValue>) => void;
  total: number;
}) {
  const { t } = useTranslation();
  const money = useMoney();
  const localName = useLocalName();
  const children = (ref: string) => rows.filter((r) => r.parentRef === ref);
  const amount = (ref: string): number => {
    const x = values[ref];
    return typeof x === 'number' ? x : 0;
  };
  const top = rows.find((r) => r.parentRef === null);
  const topSum = top ? children(top.ref).reduce((a, k) => a + amount(k.ref), 0) : 0;
  return (
    <>
      {method === 'manual' && (
        <Typography.Paragraph type={topSum === total ? 'success' : 'warning'}>
          {t('plans.decompose.topSum', { sum: money.format(topSum), total: money.format(total) })}
        </Typography.Paragraph>
      )}
      <Table<GridRow>
        size="small"
        rowKey="ref"
        pagination={false}
        scroll={{ y: 360 }}
        dataSource={rows.filter((r) => r.parentRef !== null)}
        columns={[
          {
            title: t('plans.grid.owner'),
            key: 'name',
            render: (_, r) => (
              <span style={{ paddingLeft: (r.depth - 1) * 16 }}>
                {localName(r.nameZh, r.nameEn)}
              </span>
            ),
          },
          {
            title:
              method === 'weights'
                ? t('plans.decompose.weight')
                : method === 'history'
                  ? t('plans.decompose.lastYear')
                  : t('plans.decompose.amount'),
            key: 'value',
            width: 200,
            render: (_, r) =>
              method === 'weights' ? (
                <InputNumber
                  size="small"
                  min={0}
                  value={typeof values[r.ref] === 'number' ? (values[r.ref] as number) : null}
                  onChange={(x) => onChange({ ...values, [r.ref]: x })}
                />
              ) : (
                <MoneyInput
                  value={values[r.ref] ?? null}
                  onChange={(x) => onChange({ ...values, [r.ref]: x })}
                />
              ),
          },
          ...(method === 'manual'
            ? [
                {
                  title: t('plans.decompose.childrenSum'),
                  key: 'check',
                  width: 220,
                  render: (_: unknown, r: GridRow) => {
                    const kids = children(r.ref);
                    if (kids.length === 0) return null;
                    const sum = kids.reduce((a, k) => a + amount(k.ref), 0);
                    const own = amount(r.ref);
                    return (
                      <Typography.Text type={sum === own ? 'success' : 'warning'}>
                        {money.format(sum)}
                      </Typography.Text>
                    );
                  },
                },
              ]
            : []),
        ]}
      />
    </>
  );
}
