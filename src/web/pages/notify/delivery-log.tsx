import { useQuery } from '@tanstack/react-query';
import { Button, Card, Descriptions, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { NotifyChannel, NotifyDelivery } from '../../api/types.ts';
import { useSave } from '../../api/use-save.ts';
import { LoadError } from '../../components/query-state.tsx';

const STATES: NotifyDelivery['state'][] = ['pending', 'held', 'digested', 'sent', 'failed', 'dead'];
const STATE_COLOR: Record<NotifyDelivery['state'], string> = {
  pending: 'blue',
  held: 'default',
  digested: 'default',
  sent: 'green',
  failed: 'orange',
  dead: 'red',
};

/** The delivery log: every message to every channel with its reply, and a resend for failures. */
export function DeliveryLog({
  channels,
  channelId,
  onChannel,
}: {
  channels: NotifyChannel[];
  channelId: number | undefined;
  onChannel: (id: number | undefined) => void;
}) {
  const { t } = useTranslation();
  const [state, setState] = useState<NotifyDelivery['state'] | undefined>(undefined);
  const [page, setPage] = useState(1);
  const log = useQuery({
    queryKey: ['notify-deliveries', channelId, state, page],
    queryFn: () =>
      api.get<{ items: NotifyDelivery[]; total: number }>('/notify/deliveries', {
        channelId,
        state,
        page,
        pageSize: 20,
      }),
  });
  const retry = useSave({
    mutationFn: (d: NotifyDelivery) => api.post<null>(`/notify/deliveries/${d.id}/retry`),
    invalidate: ['notify-deliveries', 'notify-channels'],
    success: t('notify.retried'),
  });
  const label = (s: string) => t(`notify.source.${s}`, { defaultValue: s });

  return (
    <Card size="small" title={t('notify.logTitle')}>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder={t('notify.allChannels')}
          style={{ minWidth: 160 }}
          value={channelId}
          onChange={(v) => {
            setPage(1);
            onChannel(v);
          }}
          options={channels.map((c) => ({ value: c.id, label: c.name }))}
          data-testid="log-channel"
        />
        <Select
          allowClear
          placeholder={t('notify.allStates')}
          style={{ minWidth: 120 }}
          value={state}
          onChange={(v) => {
            setPage(1);
            setState(v);
          }}
          options={STATES.map((s) => ({ value: s, label: t(`notify.deliveryState.${s}`) }))}
        />
      </Space>
      {log.error ? (
        <LoadError error={log.error} onRetry={() => void log.refetch()} />
      ) : (
        <Table<NotifyDelivery>
          rowKey="id"
          size="small"
          loading={log.isPending}
          dataSource={log.data?.items ?? []}
          scroll={{ x: 860 }}
          data-testid="delivery-log"
          pagination={{
            current: page,
            pageSize: 20,
            total: log.data?.total ?? 0,
            onChange: setPage,
            hideOnSinglePage: true,
            showTotal: (total) => t('common.total', { total }),
          }}
          expandable={{
            expandedRowRender: (d) => (
              <Descriptions size="small" column={1}>
                <Descriptions.Item label={t('notify.request')}>
                  {d.requestSummary ?? t('notify.none')}
                </Descriptions.Item>
                <Descriptions.Item label={t('notify.replyStatus')}>
                  {d.replyStatus ?? t('notify.none')}
                </Descriptions.Item>
                <Descriptions.Item label={t('notify.replyBody')}>
                  <Typography.Text code style={{ wordBreak: 'break-all' }}>
                    {d.replyBody || t('notify.none')}
                  </Typography.Text>
                </Descriptions.Item>
              </Descriptions>
            ),
          }}
          columns={[
            {
              title: t('notify.createdAt'),
              dataIndex: 'createdAt',
              width: 120,
              render: (v: string) => dayjs(v).format('MM-DD HH:mm:ss'),
            },
            { title: t('notify.name'), dataIndex: 'channelName', width: 140 },
            {
              title: t('notify.message'),
              key: 'message',
              render: (_, d) => (
                <Space direction="vertical" size={0}>
                  <span>{d.title}</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {label(d.source)}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: t('notify.state'),
              key: 'state',
              width: 150,
              render: (_, d) => (
                <Space direction="vertical" size={0}>
                  <Tag color={STATE_COLOR[d.state]}>{t(`notify.deliveryState.${d.state}`)}</Tag>
                  {d.nextAttemptAt && d.state === 'failed' && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('notify.nextAttempt', { at: dayjs(d.nextAttemptAt).format('HH:mm:ss') })}
                    </Typography.Text>
                  )}
                </Space>
              ),
            },
            { title: t('notify.attempts'), dataIndex: 'attempts', width: 90, align: 'right' },
            {
              title: t('notify.error'),
              dataIndex: 'error',
              ellipsis: true,
              render: (e: string | null) =>
                e ? <Typography.Text type="danger">{e}</Typography.Text> : t('notify.none'),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 100,
              render: (_, d) =>
                d.state === 'failed' || d.state === 'dead' ? (
                  <Button type="link" size="small" onClick={() => retry.mutate(d)}>
                    {t('notify.retry')}
                  </Button>
                ) : null,
            },
          ]}
        />
      )}
    </Card>
  );
}
