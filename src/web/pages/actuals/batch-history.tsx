import { DeleteOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Popconfirm, Table, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/client.ts';
import { LoadError } from '../../components/query-state.tsx';
import { TRACKING_KEY } from '../tracking/tracking-api.ts';
import { nowrap } from '../tracking/use-metric-format.ts';
import { batchesKey, useBatches, type FactBatch, type FactKind } from './facts-api.ts';

const PAGE_SIZE = 10;

/**
 * Every import of this kind, newest first. Deleting a batch removes the rows it last wrote and
 * their contribution to the rollups, so the dashboards fall back to what they showed before.
 */
/** Row counts with thousands separators: 16,496. */
const count = (n: number) => n.toLocaleString('en');

export function BatchHistory({ kind, canDelete }: { kind: FactKind; canDelete: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const q = useBatches(kind, page, PAGE_SIZE);
  const [deleting, setDeleting] = useState<number | null>(null);

  const remove = async (b: FactBatch) => {
    setDeleting(b.id);
    try {
      await api.del(`/facts/batches/${b.id}`);
      void message.success(t('actuals.batchDeleted'));
      await Promise.all([
        qc.invalidateQueries({ queryKey: [batchesKey[0]] }),
        qc.invalidateQueries({ queryKey: [TRACKING_KEY] }),
      ]);
    } catch (e) {
      void message.error(errorMessage(e, t('common.networkError')), 6);
    } finally {
      setDeleting(null);
    }
  };

  const rejectedOf = (b: FactBatch) =>
    count(typeof b.summary.rejected === 'number' ? b.summary.rejected : 0);

  return (
    <Card size="small" title={t('actuals.history')} data-testid="actuals-history">
      {q.error ? (
        <LoadError error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <Table<FactBatch>
          size="small"
          rowKey="id"
          loading={q.isPending}
          dataSource={q.data?.items ?? []}
          scroll={{ x: 760 }}
          locale={{ emptyText: t('actuals.noBatches') }}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: q.data?.total ?? 0,
            onChange: setPage,
            size: 'small',
            hideOnSinglePage: true,
          }}
          columns={[
            {
              title: t('actuals.batch.time'),
              dataIndex: 'createdAt',
              width: 150,
              render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm'),
            },
            {
              title: t('actuals.batch.file'),
              dataIndex: 'fileName',
              // Long CRM export names are cut on screen; the whole name shows on hover.
              ellipsis: { showTitle: false },
              render: (v: string, b) => (
                <Tooltip title={v} placement="topLeft">
                  {v} {b.source === 'api' && <Tag>API</Tag>}
                </Tooltip>
              ),
            },
            {
              title: nowrap(t('actuals.batch.user')),
              dataIndex: 'userName',
              render: (v: string | null) => v ?? '—',
            },
            { title: nowrap(t('imports.rows')), dataIndex: 'rows', align: 'right', render: count },
            {
              title: nowrap(t('actuals.inserted')),
              dataIndex: 'inserted',
              align: 'right',
              render: count,
            },
            {
              title: nowrap(t('imports.updated')),
              dataIndex: 'updated',
              align: 'right',
              render: count,
            },
            {
              title: nowrap(t('actuals.rejected')),
              key: 'rejected',
              align: 'right',
              render: (_, b) => rejectedOf(b),
            },
            {
              title: t('actuals.batch.status'),
              dataIndex: 'status',
              width: 90,
              render: (s: FactBatch['status']) => (
                <Tag color={s === 'applied' ? 'green' : 'default'}>{t(`actuals.batch.${s}`)}</Tag>
              ),
            },
            ...(canDelete
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    width: 90,
                    render: (_: unknown, b: FactBatch) =>
                      b.status === 'applied' ? (
                        <Popconfirm
                          title={t('actuals.confirmDeleteBatch', { name: b.fileName })}
                          description={
                            <Typography.Text type="secondary">
                              {t('actuals.confirmDeleteBatchHint')}
                            </Typography.Text>
                          }
                          okButtonProps={{ danger: true }}
                          onConfirm={() => void remove(b)}
                        >
                          <Button
                            size="small"
                            danger
                            icon={<DeleteOutlined />}
                            loading={deleting === b.id}
                            data-testid={`delete-batch-${b.id}`}
                          >
                            {t('common.delete')}
                          </Button>
                        </Popconfirm>
                      ) : null,
                  },
                ]
              : []),
          ]}
        />
      )}
    </Card>
  );
}
