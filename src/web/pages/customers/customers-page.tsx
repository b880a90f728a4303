import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Input, Popconfirm, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { Customer, CustomerTier, Paged } from '../../api/types.ts';
import { useSave } from '../../api/use-save.ts';
import { DimensionSelect } from '../../components/dimension-select.tsx';
import { ImportExportButtons } from '../../components/import-export-buttons.tsx';
import { Page } from '../../components/page.tsx';
import { EmptyState, LoadError } from '../../components/query-state.tsx';
import { CustomerTierTag } from '../../components/tags.tsx';
import { useMoney } from '../../format/money.tsx';
import { useLocalName } from '../../format/names.ts';
import { canEditMasterData, useCurrentUser } from '../../session/use-me.ts';
import { CustomerForm } from './customer-form.tsx';

const TIERS: CustomerTier[] = ['A', 'B', 'C'];

interface Filters {
  q: string;
  tier?: CustomerTier;
  segmentId?: number;
  regionId?: number;
  page: number;
  pageSize: number;
}

export default function CustomersPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const editable = canEditMasterData(me.role);
  const localName = useLocalName();
  const money = useMoney();
  const [filters, setFilters] = useState<Filters>({ q: '', page: 1, pageSize: 20 });
  const [editing, setEditing] = useState<{ customer: Customer | null } | null>(null);
  const patch = (p: Partial<Filters>) => setFilters((f) => ({ ...f, page: 1, ...p }));

  const customers = useQuery({
    queryKey: ['customers', filters],
    queryFn: () => api.get<Paged<Customer>>('/customers', { ...filters }),
    placeholderData: keepPreviousData,
  });
  const remove = useSave({
    mutationFn: (c: Customer) => api.del(`/customers/${c.id}`, { version: c.version }),
    invalidate: ['customers'],
    success: t('common.deleted'),
  });

  return (
    <Page
      title={t('customers.title')}
      testId="customers-page"
      extra={
        <Space>
          <ImportExportButtons kind="customers" invalidate={['customers']} canImport={editable} />
          {editable && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setEditing({ customer: null })}
              data-testid="customer-add"
            >
              {t('common.add')}
            </Button>
          )}
        </Space>
      }
    >
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <Input.Search
            allowClear
            placeholder={t('common.searchPlaceholder')}
            onSearch={(q) => patch({ q })}
            style={{ width: 240 }}
            data-testid="customer-search"
          />
          <Select<CustomerTier>
            allowClear
            placeholder={t('customers.tierFilter')}
            style={{ width: 130 }}
            value={filters.tier}
            onChange={(tier) => patch({ tier })}
            options={TIERS.map((x) => ({ value: x, label: t(`enums.customerTier.${x}`) }))}
            data-testid="customer-tier-filter"
          />
          <DimensionSelect
            dimension="segment"
            placeholder={t('customers.segmentFilter')}
            style={{ width: 160 }}
            value={filters.segmentId ?? null}
            onChange={(v) => patch({ segmentId: v ?? undefined })}
          />
          <DimensionSelect
            dimension="region"
            placeholder={t('customers.regionFilter')}
            style={{ width: 160 }}
            value={filters.regionId ?? null}
            onChange={(v) => patch({ regionId: v ?? undefined })}
          />
        </Space>
        {customers.error ? (
          <LoadError error={customers.error} onRetry={() => void customers.refetch()} />
        ) : (
          <Table<Customer>
            rowKey="id"
            data-testid="customers-table"
            loading={customers.isFetching}
            dataSource={customers.data?.items ?? []}
            locale={{ emptyText: <EmptyState description={t('customers.empty')} /> }}
            pagination={{
              current: filters.page,
              pageSize: filters.pageSize,
              total: customers.data?.total ?? 0,
              showSizeChanger: true,
              showTotal: (total) => t('common.total', { total }),
              onChange: (page, pageSize) => setFilters((f) => ({ ...f, page, pageSize })),
            }}
            columns={[
              { title: t('common.code'), dataIndex: 'code', width: 120 },
              {
                title: t('common.name'),
                key: 'name',
                render: (_, c) => localName(c.nameZh, c.nameEn),
              },
              {
                title: t('customers.tier'),
                dataIndex: 'tier',
                width: 90,
                render: (tier: CustomerTier) => <CustomerTierTag tier={tier} />,
              },
              {
                title: t('customers.segment'),
                key: 'segment',
                render: (_, c) => localName(c.segmentNameZh, c.segmentNameEn) || '—',
              },
              {
                title: t('customers.region'),
                key: 'region',
                render: (_, c) => localName(c.regionNameZh, c.regionNameEn) || '—',
              },
              {
                title: t('customers.owner'),
                key: 'owner',
                render: (_, c) => localName(c.ownerNameZh, c.ownerNameEn) || '—',
              },
              {
                title: t('customers.annualPurchase'),
                dataIndex: 'annualPurchase',
                align: 'right',
                width: 170,
                render: (fen: number) => money.format(fen),
              },
              ...(editable
                ? [
                    {
                      title: t('common.actions'),
                      key: 'actions',
                      width: 140,
                      render: (_: unknown, c: Customer) => (
                        <Space size={0}>
                          <Button
                            type="link"
                            size="small"
                            onClick={() => setEditing({ customer: c })}
                          >
                            {t('common.edit')}
                          </Button>
                          <Popconfirm
                            title={t('common.confirmDelete', {
                              name: localName(c.nameZh, c.nameEn),
                            })}
                            okText={t('common.delete')}
                            cancelText={t('common.cancel')}
                            okButtonProps={{ danger: true }}
                            onConfirm={() => remove.mutate(c)}
                          >
                            <Button type="link" size="small" danger>
                              {t('common.delete')}
                            </Button>
                          </Popconfirm>
                        </Space>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        )}
      </Card>
      <CustomerForm state={editing} onClose={() => setEditing(null)} />
    </Page>
  );
}
