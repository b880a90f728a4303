import { ArrowLeftOutlined, ExportOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Space, Switch, Table, Typography, theme } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { api, withQuery } from '../../api/client.ts';
import { Page } from '../../components/page.tsx';
import { EmptyState, QueryState } from '../../components/query-state.tsx';
import { useMoney } from '../../format/money.tsx';
import { useLocalName } from '../../format/names.ts';
import { compareTree, onlyChangedRows, type OwnerRow } from './compare-tree.ts';
import { monthLabel, useVersion, type Compare } from './plan-api.ts';

/** Two versions side by side: per owner × month, version B with the change from A, highlighted. */
export default function ComparePage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const a = Number(params.get('a'));
  const b = Number(params.get('b'));
  const va = useVersion(a);
  const vb = useVersion(b);
  const cmp = useQuery({
    queryKey: ['plan-compare', a, b],
    queryFn: () => api.get<Compare>('/plan-versions/compare', { a, b, metric: 'revenue' }),
    enabled: a > 0 && b > 0,
  });
  const title =
    va.data && vb.data
      ? t('plans.compare.heading', {
          fy: va.data.plan.fiscalYear,
          a: va.data.number,
          b: vb.data.number,
        })
      : t('plans.compare.title');
  return (
    <Page
      testId="plan-compare-page"
      title={
        <Space>
          <Button
            type="text"
            icon={<ArrowLeftOutlined />}
            onClick={() => void navigate('/plans')}
            aria-label={t('plans.backToList')}
          />
          {title}
        </Space>
      }
      extra={
        a > 0 && b > 0 ? (
          <Button
            icon={<ExportOutlined />}
            href={withQuery('/plan-versions/compare.xlsx', {
              a,
              b,
              metric: 'revenue',
              lang: i18n.language,
            })}
            download
            data-testid="compare-export"
          >
            {t('common.exportXlsx')}
          </Button>
        ) : undefined
      }
    >
      <QueryState query={cmp}>
        {(c) => <CompareTable c={c} months={vb.data?.months ?? va.data?.months ?? []} />}
      </QueryState>
    </Page>
  );
}

function CompareTable({ c, months }: { c: Compare; months: string[] }) {
  const { t, i18n } = useTranslation();
  const money = useMoney();
  const localName = useLocalName();
  const { token } = theme.useToken();
  const [onlyChanged, setOnlyChanged] = useState(true);
  const periods = useMemo(() => {
    const all = new Set(c.rows.map((r) => r.key.period));
    const ms = months.length ? months : [...all].filter((p) => !p.startsWith('FY')).sort();
    return [...ms, ...[...all].filter((p) => p.startsWith('FY'))];
  }, [c, months]);
  const { tree, owners } = useMemo(() => compareTree(c.rows), [c]);
  const shown = useMemo(() => (onlyChanged ? onlyChangedRows(tree) : tree), [onlyChanged, tree]);
  // Open on the company and its first level of units: members are one click away.
  const [expanded, setExpanded] = useState<string[] | null>(null);
  const defaultExpanded = useMemo(
    () => [...tree.map((o) => o.key), ...tree.flatMap((o) => (o.children ?? []).map((k) => k.key))],
    [tree],
  );
  const signed = (fen: number) => (fen > 0 ? '+' : '−') + money.format(Math.abs(fen));

  return (
    <Card size="small">
      <Space wrap style={{ marginBottom: 8 }}>
        <Switch checked={onlyChanged} onChange={setOnlyChanged} size="small" />
        <span style={{ whiteSpace: 'nowrap' }}>{t('plans.compare.onlyChanged')}</span>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('plans.compare.legend', {
            changed: owners.filter((o) => o.selfChanged).length,
            total: owners.length,
          })}{' '}
          · {money.label}
        </Typography.Text>
      </Space>
      <Table<OwnerRow>
        size="small"
        bordered
        rowKey="key"
        dataSource={shown}
        pagination={false}
        expandable={{
          expandedRowKeys: expanded ?? defaultExpanded,
          onExpandedRowsChange: (keys) => setExpanded(keys.map(String)),
          indentSize: 14,
        }}
        scroll={{ x: 220 + 130 * periods.length }}
        locale={{ emptyText: <EmptyState description={t('plans.compare.noDiff')} /> }}
        columns={[
          {
            title: t('plans.grid.owner'),
            key: 'owner',
            fixed: 'left',
            width: 220,
            render: (_, o) => (
              <Typography.Text strong={o.ownerType === 'unit'} data-testid={`compare-${o.key}`}>
                {localName(o.nameZh, o.nameEn)}
              </Typography.Text>
            ),
          },
          ...periods.map((p) => ({
            title: p.startsWith('FY') ? p : monthLabel(p, i18n.language),
            key: p,
            width: 130,
            align: 'right' as const,
            onCell: (o: OwnerRow) => {
              const x = o.cells[p];
              const hot = x && x.diff !== 0;
              return {
                style: hot
                  ? { background: x.diff > 0 ? token.colorSuccessBg : token.colorErrorBg }
                  : {},
              };
            },
            render: (_: unknown, o: OwnerRow) => {
              const x = o.cells[p];
              if (!x) return '—';
              return (
                <div>
                  <div>{money.format(x.b)}</div>
                  {x.diff !== 0 && (
                    <Typography.Text
                      type={x.diff > 0 ? 'success' : 'danger'}
                      style={{ fontSize: 12 }}
                    >
                      {signed(x.diff)}
                    </Typography.Text>
                  )}
                </div>
              );
            },
          })),
        ]}
      />
    </Card>
  );
}
