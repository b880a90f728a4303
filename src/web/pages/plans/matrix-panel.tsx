import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/client.ts';
import { useSave } from '../../api/use-save.ts';
import { LoadError, Loading } from '../../components/query-state.tsx';
import { MoneyInput, useMoney, type MoneyValue } from '../../format/money.tsx';
import { useLocalName } from '../../format/names.ts';
import {
  monthLabel,
  PLAN_KEYS,
  type GridRow,
  type MatrixFitResult,
  type MatrixLayout,
  type VersionDetail,
} from './plan-api.ts';

const ROW_AXES = ['org', 'product_line', 'region', 'segment', 'channel', 'lifecycle'] as const;
type RowAxis = (typeof ROW_AXES)[number];
type ColAxis = Exclude<RowAxis, 'org'>;

const amountOf = (x: MoneyValue | undefined): number | null => (typeof x === 'number' ? x : null);

/**
 * 二维矩阵分解 (METHOD §11 "Two fixed margins"): a unit's target for a year or a month as rows ×
 * columns on two axes (e.g. teams × product lines, regions × product lines). The planner accepts or
 * types the row totals and the column totals, picks the seed (last year's actual matrix or even),
 * previews the fit — every row and every column exact to the fen — and applies it.
 */
export function MatrixPanel({ v, units }: { v: VersionDetail; units: GridRow[] }) {
  const { t, i18n } = useTranslation();
  const money = useMoney();
  const localName = useLocalName();
  const editable = v.status === 'draft';
  const [unitId, setUnitId] = useState<number | undefined>(units[0]?.ownerId);
  // The first month a revision may still change (months before `frozenBefore` are frozen).
  const [period, setPeriod] = useState<string>(
    v.months.find((mo) => !v.frozenBefore || mo >= v.frozenBefore) ?? `FY${v.plan.fiscalYear}`,
  );
  const [rowAxis, setRowAxis] = useState<RowAxis>('org');
  const [colAxis, setColAxis] = useState<ColAxis>('product_line');
  const [seed, setSeed] = useState<'history' | 'even'>('history');
  const [rowTotals, setRowTotals] = useState<Record<string, MoneyValue>>({});
  const [colTotals, setColTotals] = useState<Record<string, MoneyValue>>({});

  const layout = useQuery({
    queryKey: ['plan-matrix', v.id, unitId, period, rowAxis, colAxis, seed],
    queryFn: () =>
      api.get<MatrixLayout>(`/plan-versions/${v.id}/matrix`, {
        metric: 'revenue',
        unitId,
        period,
        rows: rowAxis,
        cols: colAxis,
        seed,
      }),
    enabled: unitId !== undefined && editable,
    retry: false,
  });
  const m = layout.data;
  useEffect(() => {
    if (!m) return;
    setRowTotals(Object.fromEntries(m.rows.map((r, i) => [r.ref, m.suggestedRowTotals[i] ?? 0])));
    setColTotals(Object.fromEntries(m.cols.map((c, j) => [c.ref, m.suggestedColTotals[j] ?? 0])));
  }, [m]);

  const body = (dryRun: boolean) => ({
    version: v.version,
    metricCode: 'revenue',
    unitId,
    period,
    rowAxis,
    colAxis,
    seed,
    rowTotals: Object.fromEntries(Object.entries(rowTotals).map(([k, x]) => [k, amountOf(x)])),
    colTotals: Object.fromEntries(Object.entries(colTotals).map(([k, x]) => [k, amountOf(x)])),
    dryRun,
  });
  const preview = useMutation({
    mutationFn: () => api.post<MatrixFitResult>(`/plan-versions/${v.id}/matrix-fit`, body(true)),
  });
  const apply = useSave({
    mutationFn: () => api.post<MatrixFitResult>(`/plan-versions/${v.id}/matrix-fit`, body(false)),
    invalidate: [...PLAN_KEYS, 'plan-matrix'],
    success: t('plans.matrix.applied'),
  });
  // A preview belongs to the inputs it was made from.
  const { reset } = preview;
  useEffect(() => reset(), [reset, unitId, period, rowAxis, colAxis, seed, rowTotals, colTotals]);

  const sums = useMemo(() => {
    const add = (rec: Record<string, MoneyValue>) =>
      Object.values(rec).reduce<number>((a, x) => a + (amountOf(x) ?? 0), 0);
    const missing = [...Object.values(rowTotals), ...Object.values(colTotals)].some(
      (x) => amountOf(x) === null,
    );
    return { rows: add(rowTotals), cols: add(colTotals), missing };
  }, [rowTotals, colTotals]);

  if (!editable) return null;
  const fitted = preview.data;
  const problem = !m
    ? null
    : sums.missing
      ? t('plans.matrix.missing')
      : sums.rows !== sums.cols
        ? t('plans.matrix.disagree', {
            rows: money.format(sums.rows),
            cols: money.format(sums.cols),
          })
        : sums.rows !== m.parent.value
          ? t('plans.matrix.notParent', {
              sum: money.format(sums.rows),
              parent: money.format(m.parent.value),
            })
          : null;

  type Row = { key: string; i: number };
  const dataSource: Row[] = m
    ? [...m.rows.map((r, i) => ({ key: r.ref, i })), { key: '__cols', i: -1 }]
    : [];
  const cellText = (i: number, j: number) => {
    const value = fitted ? fitted.cells[i]?.[j] : m?.current[i]?.[j];
    return (
      <Space size={4}>
        <Typography.Text
          type={fitted ? undefined : 'secondary'}
          strong={!!fitted}
          data-testid={`matrix-cell-${i}-${j}`}
        >
          {money.format(value ?? null)}
        </Typography.Text>
        {m?.locked[i]?.[j] && <Tag color="orange">{t('plans.why.locked')}</Tag>}
      </Space>
    );
  };

  return (
    <Card title={t('plans.matrix.title')} data-testid="matrix-panel">
      <Typography.Paragraph type="secondary">{t('plans.matrix.hint')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          style={{ width: 200 }}
          value={unitId}
          onChange={setUnitId}
          aria-label={t('plans.matrix.unit')}
          data-testid="matrix-unit"
          options={units.map((u) => ({
            value: u.ownerId,
            label: `${'· '.repeat(u.depth)}${localName(u.nameZh, u.nameEn)}`,
          }))}
        />
        <Select
          style={{ width: 140 }}
          value={period}
          onChange={setPeriod}
          aria-label={t('plans.matrix.period')}
          data-testid="matrix-period"
          options={[
            {
              value: `FY${v.plan.fiscalYear}`,
              label: t('plans.why.fiscalYear', { fy: `FY${v.plan.fiscalYear}` }),
            },
            ...v.months.map((mo) => ({
              value: mo,
              label: `${mo.slice(0, 4)} ${monthLabel(mo, i18n.language)}`,
            })),
          ]}
        />
        <span>{t('plans.matrix.rows')}</span>
        <Select
          style={{ width: 130 }}
          value={rowAxis}
          data-testid="matrix-rows"
          onChange={(a: RowAxis) => {
            setRowAxis(a);
            if (a === colAxis) setColAxis(a === 'product_line' ? 'region' : 'product_line');
          }}
          options={ROW_AXES.map((a) => ({ value: a, label: t(`plans.why.axis.${a}`) }))}
        />
        <span>×</span>
        <span>{t('plans.matrix.cols')}</span>
        <Select
          style={{ width: 130 }}
          value={colAxis}
          data-testid="matrix-cols"
          onChange={setColAxis}
          options={ROW_AXES.filter((a): a is ColAxis => a !== 'org' && a !== rowAxis).map((a) => ({
            value: a,
            label: t(`plans.why.axis.${a}`),
          }))}
        />
        <Radio.Group
          optionType="button"
          value={seed}
          onChange={(e) => setSeed(e.target.value as 'history' | 'even')}
          options={[
            {
              value: 'history',
              label: <span data-testid="matrix-seed-history">{t('plans.matrix.seedHistory')}</span>,
            },
            {
              value: 'even',
              label: <span data-testid="matrix-seed-even">{t('plans.matrix.seedEven')}</span>,
            },
          ]}
        />
      </Space>
      {layout.isPending && unitId !== undefined ? (
        <Loading />
      ) : layout.error ? (
        <LoadError error={layout.error} onRetry={() => void layout.refetch()} />
      ) : m ? (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text>
            {t('plans.matrix.parent', {
              name: localName(m.parent.nameZh, m.parent.nameEn),
              amount: money.format(m.parent.value),
            })}
            {m.seedYear !== null && (
              <Typography.Text type="secondary">
                {' '}
                · {t('plans.matrix.seedFrom', { year: m.seedYear })}
              </Typography.Text>
            )}
          </Typography.Text>
          <Table<Row>
            size="small"
            pagination={false}
            scroll={{ x: 'max-content' }}
            data-testid="matrix-table"
            dataSource={dataSource}
            columns={[
              {
                title: t(`plans.why.axis.${rowAxis}`),
                key: 'name',
                fixed: 'left',
                render: (_, r) =>
                  r.i < 0 ? (
                    <Typography.Text strong>{t('plans.matrix.colTotals')}</Typography.Text>
                  ) : (
                    localName(m.rows[r.i]?.nameZh ?? '', m.rows[r.i]?.nameEn ?? '')
                  ),
              },
              ...m.cols.map((c, j) => ({
                title: localName(c.nameZh, c.nameEn),
                key: c.ref,
                width: 150,
                render: (_: unknown, r: Row) =>
                  r.i < 0 ? (
                    <MoneyInput
                      value={colTotals[c.ref] ?? null}
                      onChange={(x) => setColTotals((p) => ({ ...p, [c.ref]: x }))}
                      data-testid={`matrix-col-${j}`}
                    />
                  ) : (
                    cellText(r.i, j)
                  ),
              })),
              {
                title: t('plans.matrix.rowTotals'),
                key: 'total',
                width: 170,
                render: (_: unknown, r: Row) => {
                  if (r.i < 0)
                    return (
                      <Typography.Text strong data-testid="matrix-grand">
                        {money.format(sums.rows)} / {money.format(sums.cols)}
                      </Typography.Text>
                    );
                  const line = m.rows[r.i]!;
                  return (
                    <MoneyInput
                      value={rowTotals[line.ref] ?? null}
                      onChange={(x) => setRowTotals((p) => ({ ...p, [line.ref]: x }))}
                      data-testid={`matrix-row-${r.i}`}
                    />
                  );
                },
              },
            ]}
          />
          {problem && (
            <Alert type="warning" showIcon title={problem} data-testid="matrix-problem" />
          )}
          {preview.error && (
            <Alert
              type="error"
              showIcon
              title={errorMessage(preview.error, t('common.networkError'))}
              data-testid="matrix-error"
            />
          )}
          {fitted && (
            <Alert
              type="success"
              showIcon
              data-testid="matrix-fitted"
              title={t('plans.matrix.fitted', {
                iterations: fitted.iterations,
                rounding: t(`plans.matrix.rounding.${fitted.rounding}`),
              })}
            />
          )}
          <Space>
            <Button
              onClick={() => preview.mutate()}
              loading={preview.isPending}
              disabled={!!problem}
              data-testid="matrix-preview"
            >
              {t('plans.matrix.preview')}
            </Button>
            <Button
              type="primary"
              onClick={() => apply.mutate(undefined)}
              loading={apply.isPending}
              disabled={!fitted}
              data-testid="matrix-apply"
            >
              {t('plans.matrix.apply')}
            </Button>
          </Space>
        </Space>
      ) : null}
    </Card>
  );
}
