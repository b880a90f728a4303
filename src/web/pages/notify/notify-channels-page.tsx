import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Space, Table, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/client.ts';
import type { NotifyChannel, NotifyTestReply } from '../../api/types.ts';
import { useSave } from '../../api/use-save.ts';
import { Page } from '../../components/page.tsx';
import { EmptyState, LoadError } from '../../components/query-state.tsx';
import { useLocalName } from '../../format/names.ts';
import { ChannelForm } from './channel-form.tsx';
import { DeliveryLog } from './delivery-log.tsx';
import { TestReplyModal } from './test-reply-modal.tsx';

export const channelsKey = 'notify-channels';

/** 通知渠道: the admin's robots and webhooks, their state, a test send, and the delivery log. */
export default function NotifyChannelsPage() {
  const { t } = useTranslation();
  const localName = useLocalName();
  const channels = useQuery({
    queryKey: [channelsKey],
    queryFn: () => api.get<NotifyChannel[]>('/notify/channels'),
  });
  const [editing, setEditing] = useState<{ channel: NotifyChannel | null } | null>(null);
  const [reply, setReply] = useState<{ channel: NotifyChannel; reply: NotifyTestReply } | null>(
    null,
  );
  const [testing, setTesting] = useState<number | null>(null);
  const [logChannel, setLogChannel] = useState<number | undefined>(undefined);
  const toggle = useSave({
    mutationFn: (c: NotifyChannel) =>
      api.put<NotifyChannel>(`/notify/channels/${c.id}/enabled`, {
        enabled: !c.enabled,
        version: c.version,
      }),
    invalidate: [channelsKey],
  });
  const qc = useQueryClient();
  const { message } = App.useApp();
  // No success toast: the modal shows how it went, the robot's refusal included.
  const test = useMutation({
    mutationFn: (c: NotifyChannel) =>
      api.post<NotifyTestReply>(`/notify/channels/${c.id}/test`).then((r) => ({ c, r })),
    onSuccess: ({ c, r }) => setReply({ channel: c, reply: r }),
    onError: (e) => void message.error(errorMessage(e, t('common.networkError')), 6),
    onSettled: () =>
      Promise.all(
        [channelsKey, 'notify-deliveries'].map((k) => qc.invalidateQueries({ queryKey: [k] })),
      ),
  });
  const autoDisabled = (channels.data ?? []).filter((c) => !c.enabled && c.disabledReason);

  return (
    <Page
      title={t('notify.title')}
      testId="notify-channels-page"
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setEditing({ channel: null })}
          data-testid="channel-add"
        >
          {t('notify.add')}
        </Button>
      }
    >
      {autoDisabled.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('notify.autoDisabledBanner', { count: autoDisabled.length })}
          description={autoDisabled.map((c) => (
            <div key={c.id}>
              <b>{c.name}</b>: {c.disabledReason}
            </div>
          ))}
          data-testid="channels-auto-disabled"
        />
      )}
      <Card size="small" style={{ marginBottom: 16 }}>
        {channels.error ? (
          <LoadError error={channels.error} onRetry={() => void channels.refetch()} />
        ) : (
          <Table<NotifyChannel>
            rowKey="id"
            size="small"
            loading={channels.isPending}
            dataSource={channels.data ?? []}
            pagination={false}
            scroll={{ x: 1040 }}
            data-testid="channels-table"
            locale={{ emptyText: <EmptyState description={t('notify.empty')} /> }}
            columns={[
              {
                title: t('notify.name'),
                key: 'name',
                width: 170,
                render: (_, c) => (
                  <Space direction="vertical" size={0}>
                    <span>{c.name}</span>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t(`notify.kind.${c.kind}`)}
                    </Typography.Text>
                  </Space>
                ),
              },
              {
                title: t('notify.unit'),
                key: 'unit',
                width: 110,
                render: (_, c) =>
                  c.unitId === null
                    ? t('notify.companyWide')
                    : localName(c.unitNameZh, c.unitNameEn),
              },
              {
                title: t('notify.receives'),
                key: 'receives',
                width: 250,
                render: (_, c) => (
                  <Space size={[4, 4]} wrap>
                    {c.alertsMinSeverity && (
                      <Tag color="orange">
                        {t('notify.alertsMin')} ≥ {t(`notify.severity.${c.alertsMinSeverity}`)}
                      </Tag>
                    )}
                    {c.battleReports && <Tag>{t('notify.battleReports')}</Tag>}
                    {c.weeklySheets && <Tag>{t('notify.weeklySheets')}</Tag>}
                    <Tag color="blue">
                      {c.mode === 'digest'
                        ? `${t('notify.modeDigest')} ${c.digestTime}`
                        : t('notify.modeEach')}
                    </Tag>
                    <Tag>{t(`enums.locale.${c.locale}`)}</Tag>
                  </Space>
                ),
              },
              {
                title: t('notify.state'),
                key: 'state',
                width: 150,
                render: (_, c) => (
                  <Space direction="vertical" size={2}>
                    {c.enabled ? (
                      <Tag color="green">{t('notify.enabled')}</Tag>
                    ) : c.disabledReason ? (
                      <Tooltip title={c.disabledReason}>
                        <Tag color="red" data-testid={`channel-auto-disabled-${c.id}`}>
                          {t('notify.autoDisabled')}
                        </Tag>
                      </Tooltip>
                    ) : (
                      <Tag>{t('notify.disabled')}</Tag>
                    )}
                    {c.consecutiveFailures > 0 && (
                      <Typography.Text type="danger" style={{ fontSize: 12 }}>
                        {t('notify.failures')} {c.consecutiveFailures}
                      </Typography.Text>
                    )}
                    {c.waiting > 0 && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t('notify.waiting')} {c.waiting}
                      </Typography.Text>
                    )}
                  </Space>
                ),
              },
              {
                title: t('notify.lastDelivery'),
                key: 'last',
                width: 150,
                render: (_, c) =>
                  c.lastDelivery ? (
                    <Tooltip title={c.lastDelivery.error ?? undefined}>
                      <Space size={4}>
                        <Tag color={c.lastDelivery.state === 'sent' ? 'green' : 'red'}>
                          {t(`notify.deliveryState.${c.lastDelivery.state}`)}
                        </Tag>
                        <span>{dayjs(c.lastDelivery.at).format('MM-DD HH:mm')}</span>
                      </Space>
                    </Tooltip>
                  ) : (
                    t('notify.none')
                  ),
              },
              {
                title: t('common.actions'),
                key: 'actions',
                width: 210,
                render: (_, c) => (
                  <Space size={0} wrap>
                    <Button type="link" size="small" onClick={() => setEditing({ channel: c })}>
                      {t('common.edit')}
                    </Button>
                    <Button
                      type="link"
                      size="small"
                      loading={test.isPending && testing === c.id}
                      onClick={() => {
                        setTesting(c.id);
                        test.mutate(c);
                      }}
                      data-testid={`channel-test-${c.id}`}
                    >
                      {t('notify.test')}
                    </Button>
                    <Button type="link" size="small" onClick={() => toggle.mutate(c)}>
                      {c.enabled ? t('notify.disable') : t('notify.enable')}
                    </Button>
                    <Button type="link" size="small" onClick={() => setLogChannel(c.id)}>
                      {t('notify.log')}
                    </Button>
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Card>
      <DeliveryLog
        channels={channels.data ?? []}
        channelId={logChannel}
        onChannel={setLogChannel}
      />
      <ChannelForm state={editing} onClose={() => setEditing(null)} />
      <TestReplyModal state={reply} onClose={() => setReply(null)} />
    </Page>
  );
}
