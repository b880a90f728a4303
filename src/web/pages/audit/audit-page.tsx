import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, DatePicker, Select, Space, Table, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { AuditEntry, Paged } from '../../api/types.ts';
import { Page } from '../../components/page.tsx';
import { EmptyState, LoadError } from '../../components/query-state.tsx';
import { features } from '../../i18n/resources.ts';
import { AuditDiff } from './audit-diff.tsx';

// The filter options are exactly the codes we have names for.
const ENTITIES = Object.keys((features.audit?.['zh-CN'].entities ?? {}) as object);
const ACTIONS = Object.keys((features.audit?.['zh-CN'].actions ?? {}) as object);

interface Filters {
  entity?: string;
  action?: string;
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
}

export default function AuditPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<Filters>({ page: 1, pageSize: 50 });
  const patch = (p: Partial<Filters>) => setFilters((f) => ({ ...f, page: 1, ...p }));
  const log = useQuery({
    queryKey: ['audit', filters],
    queryFn: () => api.get<Paged<AuditEntry>>('/audit', { ...filters }),
    placeholderData: keepPreviousData,
  });
  const entityName = (e: string) => t(`audit.entities.${e}`, { defaultValue: e });
  const actionName = (a: string) => t(`audit.actions.${a}`, { defaultValue: a });

  return (
    <Page title={t('audit.title')} testId="audit-page">
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <Select
            allowClear
            placeholder={t('audit.entityFilter')}
            style={{ width: 160 }}
            value={filters.entity}
            onChange={(entity?: string) => patch({ entity })}
            options={ENTITIES.map((e) => ({ value: e, label: entityName(e) }))}
            data-testid="audit-entity-filter"
          />
          <Select
            allowClear
            placeholder={t('audit.actionFilter')}
            style={{ width: 160 }}
            value={filters.action}
            onChange={(action?: string) => patch({ action })}
            options={ACTIONS.map((a) => ({ value: a, label: actionName(a) }))}
          />
          <DatePicker.RangePicker
            value={filters.from && filters.to ? [dayjs(filters.from), dayjs(filters.to)] : null}
            onChange={(range) => {
              const [from, to] = (range ?? []) as (Dayjs | null)[];
              patch({ from: from?.format('YYYY-MM-DD'), to: to?.format('YYYY-MM-DD') });
            }}
          />
        </Space>
        {log.error ? (
          <LoadError error={log.error} onRetry={() => void log.refetch()} />
        ) : (
          <Table<AuditEntry>
            rowKey="id"
            size="middle"
            data-testid="audit-table"
            loading={log.isFetching}
            dataSource={log.data?.items ?? []}
            locale={{ emptyText: <EmptyState description={t('audit.empty')} /> }}
            expandable={{
              expandedRowRender: (e) => <AuditDiff entry={e} />,
              rowExpandable: (e) => e.before != null || e.after != null,
            }}
            pagination={{
              current: filters.page,
              pageSize: filters.pageSize,
              total: log.data?.total ?? 0,
              showSizeChanger: true,
              showTotal: (total) => t('common.total', { total }),
              onChange: (page, pageSize) => setFilters((f) => ({ ...f, page, pageSize })),
            }}
            columns={[
              {
                title: t('audit.at'),
                dataIndex: 'at',
                width: 180,
                render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm:ss'),
              },
              {
                title: t('audit.user'),
                dataIndex: 'userDisplayName',
                render: (v: string | null) => v ?? t('audit.system'),
              },
              {
                title: t('audit.action'),
                dataIndex: 'action',
                render: (a: string) => <Tag>{actionName(a)}</Tag>,
              },
              { title: t('audit.entity'), dataIndex: 'entity', render: entityName },
              {
                title: t('audit.entityId'),
                dataIndex: 'entityId',
                render: (v: string | null) => v ?? '—',
              },
            ]}
          />
        )}
      </Card>
    </Page>
  );
}
