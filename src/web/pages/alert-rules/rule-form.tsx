import {
  Alert,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Switch,
  type ButtonProps,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { ALERT_RULE_KINDS, type AlertRuleKind } from '../../../domain/alerts/alert-event.ts';
import { RULE_KIND_INFO } from '../../../domain/alerts/rules.ts';
import { api } from '../../api/client.ts';
import { useSave } from '../../api/use-save.ts';
import { OrgUnitSelect } from '../../components/org-unit-select.tsx';
import { ALERT_SEVERITIES } from '../inbox/alerts-api.ts';
import { rulesKey, toInput, type AlertRule, type AlertRuleInput } from './rules-api.ts';

const SUBJECTS = ['members', 'units', 'both'] as const;
const RECIPIENTS = ['subject', 'manager', 'manager_manager'] as const;
const CHANNELS = ['inbox', 'dingtalk', 'wecom', 'webhook'] as const;

/** The form's values: a bp threshold is typed in percent (70 for 70%), days as days. */
type Values = Omit<AlertRuleInput, 'threshold'> & { threshold: number | null };

const toBp = (percent: number) => Math.round(percent * 100);

function defaults(kind: AlertRuleKind): Values {
  const info = RULE_KIND_INFO[kind];
  return {
    kind,
    nameZh: '',
    nameEn: '',
    metric: info.metrics[0] ?? '',
    periodKind: info.periodKinds[0] ?? 'month',
    threshold: null,
    consecutivePeriods: 1,
    scopeUnitId: null,
    subjects: 'members',
    severity: 'warning',
    recipients: ['subject', 'manager'],
    channels: ['inbox'],
    escalateAfterDays: null,
    enabled: true,
  };
}

/**
 * A rule's settings in its kind's words. The choices offered (metric, period) are the kind's own
 * (RULE_KIND_INFO, the same table the server validates with), so the form cannot offer a
 * combination the engine refuses; the server still answers ALERT_RULE_INVALID naming the field.
 */
export function RuleForm({ rule, onClose }: { rule: AlertRule | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const kind = (Form.useWatch('kind', form) ?? rule?.kind ?? 'attainment_review') as AlertRuleKind;
  const info = RULE_KIND_INFO[kind];
  const percent = info.thresholdUnit === 'bp';
  const initial: Values = rule
    ? { ...toInput(rule), threshold: percent ? rule.threshold / 100 : rule.threshold }
    : defaults('attainment_review');

  const save = useSave<AlertRuleInput, AlertRule>({
    mutationFn: (body) =>
      rule
        ? api.put<AlertRule>(`/alert-rules/${rule.id}`, { ...body, version: rule.version })
        : api.post<AlertRule>('/alert-rules', body),
    invalidate: [rulesKey],
    onSuccess: onClose,
    onConflict: onClose,
  });

  const submit = (v: Values) =>
    save.mutate({
      ...v,
      nameZh: v.nameZh.trim(),
      nameEn: v.nameEn.trim(),
      threshold: percent ? toBp(v.threshold ?? 0) : (v.threshold ?? 0),
      escalateAfterDays: v.escalateAfterDays ?? null,
      scopeUnitId: v.scopeUnitId ?? null,
    });

  // A new kind brings its own metric and periods; keep what still fits.
  const onKind = (next: AlertRuleKind) => {
    const n = RULE_KIND_INFO[next];
    const v = form.getFieldsValue();
    form.setFieldsValue({
      metric: n.metrics.includes(v.metric) ? v.metric : n.metrics[0],
      periodKind: n.periodKinds.includes(v.periodKind) ? v.periodKind : n.periodKinds[0],
      threshold: n.thresholdUnit === RULE_KIND_INFO[kind].thresholdUnit ? v.threshold : null,
    });
  };

  const required = { required: true, message: t('common.required') };
  return (
    <Modal
      open
      width={640}
      title={rule ? t('alerts.rules.edit') : t('alerts.rules.add')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: save.isPending, 'data-testid': 'alert-rule-save' } as ButtonProps}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={submit}
        data-testid="alert-rule-form"
      >
        <Form.Item
          name="kind"
          label={t('alerts.rules.kind')}
          rules={[required]}
          extra={t(`alerts.kindHelp.${kind}`)}
        >
          <Select<AlertRuleKind>
            disabled={rule !== null}
            onChange={onKind}
            options={ALERT_RULE_KINDS.map((k) => ({ value: k, label: t(`alerts.kind.${k}`) }))}
          />
        </Form.Item>
        {!info.available && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('alerts.rules.notAvailableHelp')}
          />
        )}
        <Form.Item
          name="nameZh"
          label={t('alerts.rules.nameZh')}
          rules={[{ ...required, whitespace: true }, { max: 100 }]}
        >
          <Input data-testid="alert-rule-name-zh" />
        </Form.Item>
        <Form.Item
          name="nameEn"
          label={t('alerts.rules.nameEn')}
          rules={[{ ...required, whitespace: true }, { max: 100 }]}
        >
          <Input data-testid="alert-rule-name-en" />
        </Form.Item>
        <Form.Item name="metric" label={t('alerts.rules.metric')} rules={[required]}>
          <Select
            options={info.metrics.map((m) => ({
              value: m,
              label: t(`alerts.rules.metricName.${m}`, { defaultValue: m }),
            }))}
          />
        </Form.Item>
        <Form.Item name="periodKind" label={t('alerts.rules.periodKind')} rules={[required]}>
          <Radio.Group
            options={info.periodKinds.map((p) => ({
              value: p,
              label: t(`alerts.rules.period.${p}`),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="threshold"
          label={t(`alerts.rules.thresholdLabel.${kind}`)}
          rules={[
            required,
            {
              type: 'number',
              min: percent ? 0 : 1,
              max: percent ? 100 : 366,
              message: percent ? '0 – 100' : '1 – 366',
            },
          ]}
        >
          <InputNumber
            style={{ width: 200 }}
            precision={percent ? 2 : 0}
            suffix={percent ? (kind === 'behind_time' ? undefined : '%') : undefined}
            data-testid="alert-rule-threshold"
          />
        </Form.Item>
        <Form.Item
          name="consecutivePeriods"
          label={t('alerts.rules.consecutivePeriods')}
          extra={t('alerts.rules.consecutiveHelp')}
          rules={[required, { type: 'number', min: 1, max: 12, message: '1 – 12' }]}
        >
          <InputNumber precision={0} style={{ width: 120 }} />
        </Form.Item>
        <Form.Item
          name="scopeUnitId"
          label={t('alerts.rules.scope')}
          extra={t('alerts.rules.scopeUnitHelp')}
        >
          <OrgUnitSelect allowClear placeholder={t('alerts.rules.scopeCompany')} />
        </Form.Item>
        <Form.Item name="subjects" label={t('alerts.rules.subjects')} rules={[required]}>
          <Radio.Group
            options={SUBJECTS.map((s) => ({ value: s, label: t(`alerts.rules.subject.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="severity" label={t('alerts.rules.severity')} rules={[required]}>
          <Radio.Group
            options={ALERT_SEVERITIES.map((s) => ({ value: s, label: t(`alerts.severity.${s}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="recipients"
          label={t('alerts.rules.recipients')}
          rules={[{ type: 'array', required: true, min: 1, message: t('common.required') }]}
        >
          <Checkbox.Group
            options={RECIPIENTS.map((r) => ({ value: r, label: t(`alerts.rules.recipient.${r}`) }))}
          />
        </Form.Item>
        <Form.Item name="channels" label={t('alerts.rules.channels')}>
          <Checkbox.Group
            options={CHANNELS.map((c) => ({ value: c, label: t(`alerts.rules.channel.${c}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="escalateAfterDays"
          label={t('alerts.rules.escalateAfterDays')}
          extra={t('alerts.rules.escalateHelp')}
          rules={[{ type: 'number', min: 1, max: 90, message: '1 – 90' }]}
        >
          <InputNumber
            precision={0}
            style={{ width: 120 }}
            placeholder={t('alerts.rules.escalateNever')}
          />
        </Form.Item>
        <Form.Item name="enabled" label={t('alerts.rules.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}
