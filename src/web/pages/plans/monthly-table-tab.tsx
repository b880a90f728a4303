import { ExportOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, withQuery } from '../../api/client.ts';
import { useSave } from '../../api/use-save.ts';
import { EmptyState, LoadError, Loading } from '../../components/query-state.tsx';
import { useMoney } from '../../format/money.tsx';
import { useLocalName } from '../../format/names.ts';
import { useCurrentUser } from '../../session/use-me.ts';
import {
  bpText,
  canPlan,
  monthlyKey,
  useMetrics,
  type MonthlyRow,
  type MonthlyTable,
  type VersionDetail,
} from './plan-api.ts';

/** The month's current month if it is in the plan year, else the plan's first month. */
function defaultMonth(months: string[]): string {
  const now = new Date().toISOString().slice(0, 7);
  return months.includes(now) ? now : (months[0] ?? now);
}

/** 月度目标表: 责任主体 / 目标类型 / 月度目标值 / 周均目标 / 关键策略 for one month (METHOD §3). */
export function MonthlyTableTab({ v }: { v: VersionDetail }) {
  const { t, i18n } = useTranslation();
  const me = useCurrentUser();
  const money = useMoney();
  const localName = useLocalName();
  const metrics = useMetrics();
  const [month, setMonth] = useState(() => defaultMonth(v.months));
  const [weeks, setWeeks] = useState(4);
  const table = useQuery({
    queryKey: [monthlyKey, v.id, month, weeks],
    queryFn: () => api.get<MonthlyTable>(`/plan-versions/${v.id}/monthly-table`, { month, weeks }),
  });
  const editable = (v.status === 'draft' || v.status === 'active') && canPlan(me);

  const metricName = (code: string) => {
    const m = metrics.data?.find((x) => x.code === code);
    return m ? localName(m.nameZh, m.nameEn) : code;
  };
  const amount = (r: MonthlyRow, value: number) =>
    r.unit === 'fen'
      ? money.format(value)
      : r.unit === 'bp'
        ? bpText(value)
        : value.toLocaleString();

  return (
    <Card size="small" data-testid="monthly-table">
      <Space style={{ marginBottom: 8 }} wrap>
        <span>{t('plans.monthly.month')}</span>
        <Select
          value={month}
          onChange={setMonth}
          style={{ width: 130 }}
          options={v.months.map((m) => ({ value: m, label: m }))}
          data-testid="monthly-month"
        />
        <span>{t('plans.monthly.weeks')}</span>
        <Select
          value={weeks}
          onChange={setWeeks}
          style={{ width: 80 }}
          options={[4, 5].map((w) => ({ value: w, label: w }))}
        />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('plans.monthly.hint')}
        </Typography.Text>
        <Button
          size="small"
          icon={<ExportOutlined />}
          href={withQuery(`/plan-versions/${v.id}/monthly-table.xlsx`, {
            month,
            weeks,
            lang: i18n.language,
          })}
          download
          data-testid="monthly-export"
        >
          {t('common.exportXlsx')}
        </Button>
      </Space>
      {table.isPending ? (
        <Loading />
      ) : table.error ? (
        <LoadError error={table.error} onRetry={() => void table.refetch()} />
      ) : (
        <Table<MonthlyRow>
          size="small"
          bordered
          rowKey="cellId"
          dataSource={table.data.rows}
          pagination={{ pageSize: 50, hideOnSinglePage: true, size: 'small' }}
          locale={{ emptyText: <EmptyState description={t('plans.monthly.empty')} /> }}
          columns={[
            {
              title: t('plans.monthly.owner'),
              key: 'owner',
              render: (_, r) => (
                <Space size={4}>
                  <Tag>{t(`plans.monthly.ownerType.${r.ownerType}`)}</Tag>
                  {localName(r.ownerNameZh, r.ownerNameEn)}
                </Space>
              ),
            },
            {
              title: t('plans.monthly.metric'),
              key: 'metric',
              width: 140,
              render: (_, r) => metricName(r.metric),
            },
            {
              title: t('plans.monthly.target'),
              key: 'target',
              width: 150,
              align: 'right',
              render: (_, r) => amount(r, r.monthlyTarget),
            },
            {
              title: t('plans.monthly.weekly'),
              key: 'weekly',
              width: 150,
              align: 'right',
              render: (_, r) => (
                <span title={r.weekly ? r.weekly.map((w) => amount(r, w)).join(' / ') : undefined}>
                  {/* A count's average keeps a decimal: 1 a month is 0.3 a week, not 0. */}
                  {r.unit === 'count'
                    ? (r.monthlyTarget / weeks).toLocaleString(undefined, {
                        maximumFractionDigits: 1,
                      })
                    : amount(r, r.weeklyAverage)}
                </span>
              ),
            },
            {
              title: t('plans.monthly.strategy'),
              key: 'strategy',
              width: '36%',
              render: (_, r) =>
                editable ? <StrategyInput v={v} row={r} /> : (r.keyStrategy ?? '—'),
            },
          ]}
        />
      )}
    </Card>
  );
}

function StrategyInput({ v, row }: { v: VersionDetail; row: MonthlyRow }) {
  const { t } = useTranslation();
  const [text, setText] = useState(row.keyStrategy ?? '');
  const save = useSave({
    mutationFn: (keyStrategy: string) =>
      api.put(`/plan-versions/${v.id}/monthly-table`, { cellId: row.cellId, keyStrategy }),
    invalidate: [monthlyKey],
  });
  const changed = text !== (row.keyStrategy ?? '');
  return (
    <Input
      size="small"
      value={text}
      maxLength={2000}
      placeholder={t('plans.monthly.strategyPlaceholder')}
      onChange={(e) => setText(e.target.value)}
      onBlur={() => changed && save.mutate(text)}
      onPressEnter={() => changed && save.mutate(text)}
      status={save.isError ? 'error' : undefined}
      data-testid={`strategy-${row.cellId}`}
    />
  );
}
