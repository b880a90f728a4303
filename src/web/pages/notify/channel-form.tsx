import { Alert, Checkbox, Form, Input, Modal, Radio, Select, Switch } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { NotifyChannel } from '../../api/types.ts';
import { useSave } from '../../api/use-save.ts';
import { OrgUnitSelect } from '../../components/org-unit-select.tsx';
import { LANGUAGES } from '../../i18n/resources.ts';

type Kind = NotifyChannel['kind'];
type Severity = NonNullable<NotifyChannel['alertsMinSeverity']>;

interface Values {
  kind: Kind;
  name: string;
  url?: string;
  token?: string;
  secret?: string;
  clearSecret?: boolean;
  keyword?: string;
  locale: NotifyChannel['locale'];
  unitId?: number | null;
  mode: 'each' | 'digest';
  digestTime: string;
  alertsMinSeverity: Severity | 'none';
  battleReports: boolean;
  weeklySheets: boolean;
  enabled: boolean;
}

const SEVERITIES: Severity[] = ['info', 'warning', 'critical'];

/**
 * Create or edit a channel. The token and secret are write-only: the inputs start empty, show
 * whether a value is stored (masked), and an empty input keeps it.
 */
export function ChannelForm({
  state,
  onClose,
}: {
  state: { channel: NotifyChannel | null } | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const channel = state?.channel ?? null;
  const kind = Form.useWatch('kind', form) ?? channel?.kind ?? 'dingtalk';
  const mode = Form.useWatch('mode', form);
  useEffect(() => {
    if (!state) return;
    form.resetFields();
    const c = state.channel;
    form.setFieldsValue(
      c
        ? {
            kind: c.kind,
            name: c.name,
            url: c.url ?? '',
            keyword: c.keyword ?? '',
            locale: c.locale,
            unitId: c.unitId,
            mode: c.mode,
            digestTime: c.digestTime,
            alertsMinSeverity: c.alertsMinSeverity ?? 'none',
            battleReports: c.battleReports,
            weeklySheets: c.weeklySheets,
            enabled: c.enabled,
          }
        : {
            kind: 'dingtalk',
            locale: 'zh-CN',
            unitId: null,
            mode: 'each',
            digestTime: '08:30',
            alertsMinSeverity: 'warning',
            battleReports: true,
            weeklySheets: true,
            enabled: true,
          },
    );
  }, [state, form]);

  const save = useSave({
    mutationFn: (v: Values) => {
      const body = {
        kind: v.kind,
        name: v.name,
        url: v.kind === 'webhook' ? v.url?.trim() || null : null,
        ...(v.token?.trim() ? { token: v.token.trim() } : {}),
        ...(v.clearSecret ? { secret: null } : v.secret?.trim() ? { secret: v.secret.trim() } : {}),
        keyword: v.kind === 'dingtalk' ? v.keyword?.trim() || null : null,
        locale: v.locale,
        unitId: v.unitId ?? null,
        mode: v.mode,
        digestTime: v.digestTime,
        alertsMinSeverity: v.alertsMinSeverity === 'none' ? null : v.alertsMinSeverity,
        battleReports: v.battleReports,
        weeklySheets: v.weeklySheets,
      };
      return channel
        ? api.put<NotifyChannel>(`/notify/channels/${channel.id}`, {
            ...body,
            version: channel.version,
          })
        : api.post<NotifyChannel>('/notify/channels', { ...body, enabled: v.enabled });
    },
    invalidate: ['notify-channels'],
    success: channel ? undefined : t('common.created'),
    onSuccess: onClose,
    onConflict: onClose,
  });
  const required = [{ required: true, message: t('common.required') }];
  const stored = (set: boolean | undefined, hint: string | null | undefined) =>
    set ? t('notify.secretKept', { hint: hint ?? '••••' }) : t('notify.secretNone');
  const tokenRequired = kind !== 'webhook' && !channel?.tokenSet;

  return (
    <Modal
      open={state !== null}
      title={channel ? t('notify.editTitle') : t('notify.createTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onCancel={onClose}
      onOk={() => void form.validateFields().then((v) => save.mutate(v))}
      destroyOnHidden
      width={560}
    >
      <Form form={form} layout="vertical" data-testid="channel-form" autoComplete="off">
        <Form.Item name="kind" label={t('notify.kindLabel')}>
          <Radio.Group
            optionType="button"
            options={(['dingtalk', 'wecom', 'webhook'] as const).map((k) => ({
              value: k,
              label: t(`notify.kind.${k}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="name" label={t('notify.name')} rules={required}>
          <Input maxLength={100} data-testid="channel-name" />
        </Form.Item>
        {kind === 'webhook' && (
          <Form.Item name="url" label={t('notify.url')} rules={required}>
            <Input maxLength={1000} placeholder="https://" />
          </Form.Item>
        )}
        {kind !== 'webhook' && (
          <Form.Item
            name="token"
            label={kind === 'dingtalk' ? t('notify.token') : t('notify.key')}
            rules={tokenRequired ? required : []}
            extra={channel ? stored(channel.tokenSet, channel.tokenHint) : undefined}
          >
            <Input.Password
              autoComplete="new-password"
              visibilityToggle={false}
              data-testid="channel-token"
            />
          </Form.Item>
        )}
        {kind !== 'wecom' && (
          <Form.Item
            name="secret"
            label={kind === 'dingtalk' ? t('notify.secret') : t('notify.webhookSecret')}
            extra={channel ? stored(channel.secretSet, channel.secretHint) : undefined}
          >
            <Input.Password
              autoComplete="new-password"
              visibilityToggle={false}
              data-testid="channel-secret"
            />
          </Form.Item>
        )}
        {kind !== 'wecom' && channel?.secretSet && (
          <Form.Item name="clearSecret" valuePropName="checked" style={{ marginTop: -12 }}>
            <Checkbox>{t('notify.clearSecret')}</Checkbox>
          </Form.Item>
        )}
        {kind === 'dingtalk' && (
          <Form.Item name="keyword" label={t('notify.keyword')} extra={t('notify.keywordHint')}>
            <Input maxLength={50} />
          </Form.Item>
        )}
        <Alert
          type="info"
          showIcon
          title={t('notify.secretWriteOnly')}
          style={{ marginBottom: 16 }}
        />
        <Form.Item name="unitId" label={t('notify.unit')} extra={t('notify.unitHint')}>
          <OrgUnitSelect allowClear placeholder={t('notify.companyWide')} />
        </Form.Item>
        <Form.Item name="locale" label={t('notify.locale')} rules={required}>
          <Radio.Group
            optionType="button"
            options={LANGUAGES.map((l) => ({ value: l, label: t(`enums.locale.${l}`) }))}
          />
        </Form.Item>
        <Form.Item name="alertsMinSeverity" label={t('notify.alertsMin')}>
          <Select
            options={[
              { value: 'none', label: t('notify.noAlerts') },
              ...SEVERITIES.map((s) => ({ value: s, label: `≥ ${t(`notify.severity.${s}`)}` })),
            ]}
          />
        </Form.Item>
        <Form.Item name="mode" label={t('notify.mode')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'each', label: t('notify.modeEach') },
              { value: 'digest', label: t('notify.modeDigest') },
            ]}
          />
        </Form.Item>
        {mode === 'digest' && (
          <Form.Item
            name="digestTime"
            label={t('notify.digestTime')}
            rules={[...required, { pattern: /^([01]\d|2[0-3]):[0-5]\d$/, message: 'HH:MM' }]}
          >
            <Input maxLength={5} style={{ width: 100 }} placeholder="08:30" />
          </Form.Item>
        )}
        <Form.Item name="battleReports" label={t('notify.battleReports')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="weeklySheets" label={t('notify.weeklySheets')} valuePropName="checked">
          <Switch />
        </Form.Item>
        {!channel && (
          <Form.Item name="enabled" label={t('notify.enabled')} valuePropName="checked">
            <Switch />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
