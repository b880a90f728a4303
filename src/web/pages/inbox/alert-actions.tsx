import {
  CheckOutlined,
  ClockCircleOutlined,
  FileSearchOutlined,
  SafetyOutlined,
  UserSwitchOutlined,
} from '@ant-design/icons';
import {
  Alert,
  Button,
  DatePicker,
  Descriptions,
  Flex,
  Form,
  Input,
  Modal,
  Typography,
  type ButtonProps,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { MemberSelect } from '../../components/member-select.tsx';
import { useLocalName } from '../../format/names.ts';
import { useCurrentUser } from '../../session/use-me.ts';
import { useAlertAction, type AlertDetail, type AlertRuleKind } from './alerts-api.ts';

type Action = 'acknowledge' | 'snooze' | 'assign' | 'contingency-plan';

/** Kinds about attainment against the target: the ones a target review answers. */
const REVIEWABLE: readonly AlertRuleKind[] = [
  'attainment_review',
  'stop_loss',
  'behind_time',
  'forecast_below_base',
];

/**
 * What can be done with an alert, by its state and the reader's role (the server checks the
 * same again: a rep acts on their own alerts, a manager in their subtree; viewers and finance
 * only read). "Open a target review" hands over to the adjustment request with the alert as
 * evidence.
 */
export function AlertActions({ alert: a }: { alert: AlertDetail }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const localName = useLocalName();
  const [action, setAction] = useState<Action | null>(null);
  const live = a.state !== 'resolved';
  const writer = me.role === 'admin' || me.role === 'manager' || me.role === 'rep';
  const supervisor = me.role === 'admin' || me.role === 'manager';
  const stopLoss = a.ruleKind === 'stop_loss';
  const buttons = [
    writer && a.state === 'open' && (
      <Button
        key="ack"
        type="primary"
        icon={<CheckOutlined />}
        data-testid="alert-acknowledge"
        onClick={() => setAction('acknowledge')}
      >
        {t('alerts.acknowledge')}
      </Button>
    ),
    writer && live && a.state !== 'snoozed' && (
      <Button
        key="snooze"
        icon={<ClockCircleOutlined />}
        data-testid="alert-snooze"
        onClick={() => setAction('snooze')}
      >
        {t('alerts.snooze')}
      </Button>
    ),
    supervisor && live && (
      <Button
        key="assign"
        icon={<UserSwitchOutlined />}
        data-testid="alert-assign"
        onClick={() => setAction('assign')}
      >
        {t('alerts.assign')}
      </Button>
    ),
    supervisor && live && stopLoss && (
      <Button
        key="plan"
        icon={<SafetyOutlined />}
        data-testid="alert-contingency"
        onClick={() => setAction('contingency-plan')}
      >
        {t('alerts.contingencyRecord')}
      </Button>
    ),
    supervisor && live && REVIEWABLE.includes(a.ruleKind) && (
      <Link key="review" to={`/adjustments/new?alert=${a.id}`} data-testid="alert-open-review">
        <Button icon={<FileSearchOutlined />} title={t('alerts.openReviewHint')}>
          {t('alerts.openReview')}
        </Button>
      </Link>
    ),
  ].filter(Boolean);

  return (
    <div data-testid="alert-actions">
      {stopLoss && (
        <div style={{ marginBottom: 12 }}>
          <Typography.Title level={5}>{t('alerts.contingency')}</Typography.Title>
          {a.contingencyPlan ? (
            <Descriptions
              data-testid="alert-contingency-plan"
              size="small"
              column={1}
              items={[
                {
                  key: 'owner',
                  label: t('alerts.contingencyOwner'),
                  children: localName(
                    a.contingencyPlan.owner.nameZh,
                    a.contingencyPlan.owner.nameEn,
                  ),
                },
                {
                  key: 'due',
                  label: t('alerts.contingencyDue'),
                  children: a.contingencyPlan.dueDate,
                },
                {
                  key: 'text',
                  label: t('alerts.contingencyText'),
                  children: a.contingencyPlan.text,
                },
              ]}
            />
          ) : (
            live && <Alert type="warning" showIcon title={t('alerts.contingencyRequired')} />
          )}
        </div>
      )}
      {buttons.length > 0 && (
        <>
          <Typography.Title level={5}>{t('alerts.actions')}</Typography.Title>
          <Flex wrap gap={8}>
            {buttons}
          </Flex>
        </>
      )}
      {action && <ActionModal alert={a} action={action} onClose={() => setAction(null)} />}
    </div>
  );
}

interface FormValues {
  note?: string;
  until?: Dayjs;
  reason?: string;
  memberId?: number | null;
  ownerMemberId?: number | null;
  dueDate?: Dayjs;
  text?: string;
}

function ActionModal({
  alert: a,
  action,
  onClose,
}: {
  alert: AlertDetail;
  action: Action;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const success = {
    acknowledge: t('alerts.acknowledged'),
    snooze: t('alerts.snoozed'),
    assign: t('alerts.assigned'),
    'contingency-plan': t('alerts.contingencySaved'),
  }[action];
  const save = useAlertAction<Record<string, unknown>>(a.id, action, success);
  const title = {
    acknowledge: t('alerts.acknowledge'),
    snooze: t('alerts.snooze'),
    assign: t('alerts.assign'),
    'contingency-plan': t('alerts.contingencyRecord'),
  }[action];
  const day = (d: Dayjs) => d.format('YYYY-MM-DD');
  const afterToday = {
    validator: (_: unknown, v: Dayjs | undefined) =>
      !v || v.isAfter(dayjs(), 'day')
        ? Promise.resolve()
        : Promise.reject(new Error(t('alerts.pastDate'))),
  };
  const submit = (v: FormValues) => {
    const body: Record<string, unknown> =
      action === 'acknowledge'
        ? v.note?.trim()
          ? { note: v.note.trim() }
          : {}
        : action === 'snooze'
          ? { until: day(v.until!), reason: v.reason!.trim() }
          : action === 'assign'
            ? { memberId: v.memberId }
            : { ownerMemberId: v.ownerMemberId, dueDate: day(v.dueDate!), text: v.text!.trim() };
    save.mutate(body, { onSuccess: onClose });
  };
  const required = { required: true, message: t('common.required') };
  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: save.isPending, 'data-testid': 'alert-action-ok' } as ButtonProps}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={submit} data-testid={`alert-form-${action}`}>
        {action === 'acknowledge' && (
          <Form.Item name="note" label={t('alerts.ackNote')}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        )}
        {action === 'snooze' && (
          <>
            <Form.Item name="until" label={t('alerts.snoozeUntil')} rules={[required, afterToday]}>
              <DatePicker style={{ width: '100%' }} data-testid="alert-snooze-until" />
            </Form.Item>
            <Form.Item
              name="reason"
              label={t('alerts.snoozeReason')}
              rules={[
                { required: true, whitespace: true, message: t('alerts.snoozeReasonRequired') },
              ]}
            >
              <Input.TextArea rows={2} maxLength={500} data-testid="alert-snooze-reason" />
            </Form.Item>
          </>
        )}
        {action === 'assign' && (
          <Form.Item name="memberId" label={t('alerts.assignTo')} rules={[required]}>
            <MemberSelect allowClear={false} />
          </Form.Item>
        )}
        {action === 'contingency-plan' && (
          <>
            <Form.Item name="ownerMemberId" label={t('alerts.contingencyOwner')} rules={[required]}>
              <MemberSelect allowClear={false} />
            </Form.Item>
            <Form.Item
              name="dueDate"
              label={t('alerts.contingencyDue')}
              rules={[required, afterToday]}
            >
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item
              name="text"
              label={t('alerts.contingencyText')}
              rules={[{ required: true, whitespace: true, message: t('common.required') }]}
            >
              <Input.TextArea rows={4} maxLength={2000} />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}
