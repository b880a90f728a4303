import { useQuery } from '@tanstack/react-query';
import { Alert, DatePicker, Form, Modal, Radio, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { z } from 'zod';
import type {
  transferDecisionSchema,
  transferTargetsSchema,
} from '../../../api/members/schemas.ts';
import type { Member, MemberDetail } from '../../api/types.ts';
import { useSave } from '../../api/use-save.ts';
import { OrgUnitSelect } from '../../components/org-unit-select.tsx';
import { MoneyInput, useMoney, type MoneyValue } from '../../format/money.tsx';
import { useLocalName } from '../../format/names.ts';

interface Values {
  unitId: number;
  date: Dayjs;
  decision?: TransferDecision;
  newUnitAmount?: MoneyValue;
}

// Wire types from the server's schemas (type-only: nothing of the server reaches the bundle).
type TransferDecision = z.infer<typeof transferDecisionSchema>;
type TransferTargets = z.infer<typeof transferTargetsSchema>;

const DECISIONS: TransferDecision[] = ['move', 'keep', 'resplit'];

export function TransferDialog({
  member,
  onClose,
}: {
  member: Member | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const money = useMoney();
  const [form] = Form.useForm<Values>();
  useEffect(() => {
    if (member) form.setFieldsValue({ unitId: undefined, date: dayjs(), decision: undefined });
  }, [member, form]);
  const unitId = Form.useWatch('unitId', form);
  const date = Form.useWatch('date', form);
  const decision = Form.useWatch('decision', form);
  const day = date ? date.format('YYYY-MM-DD') : undefined;

  // What the transfer would leave behind in draft and active plan versions (METHOD §11).
  const remaining = useQuery({
    queryKey: ['transfer-targets', member?.id, unitId, day],
    queryFn: () =>
      api.get<TransferTargets>(`/members/${member!.id}/transfer-targets`, { unitId, date: day }),
    enabled: member !== null && unitId !== undefined && day !== undefined,
  });
  const needs = remaining.data?.needsDecision === true;

  const save = useSave({
    mutationFn: (v: Values) =>
      api.post<MemberDetail>(`/members/${member!.id}/transfer`, {
        unitId: v.unitId,
        date: v.date.format('YYYY-MM-DD'),
        version: member!.version,
        ...(needs && v.decision
          ? {
              targets: {
                decision: v.decision,
                ...(v.decision === 'resplit' && typeof v.newUnitAmount === 'number'
                  ? { newUnitAmounts: { revenue: v.newUnitAmount } }
                  : {}),
              },
            }
          : {}),
      }),
    invalidate: ['members', 'org-units', 'plan-grid', 'plan-version', 'transfer-targets'],
    success: t('members.transferred'),
    onSuccess: onClose,
    onConflict: onClose,
  });
  return (
    <Modal
      open={member !== null}
      title={
        member ? t('members.transferTitle', { name: localName(member.nameZh, member.nameEn) }) : ''
      }
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      okButtonProps={{ disabled: remaining.isFetching }}
      onCancel={onClose}
      onOk={() => void form.validateFields().then((v) => save.mutate(v))}
      destroyOnHidden
      width={600}
    >
      <Form form={form} layout="vertical" data-testid="transfer-form">
        <Alert
          type="info"
          showIcon
          title={t('members.transferHint')}
          style={{ marginBottom: 16 }}
        />
        <Form.Item
          name="unitId"
          label={t('members.transferTo')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <OrgUnitSelect exclude={member?.unitId ? new Set([member.unitId]) : undefined} />
        </Form.Item>
        <Form.Item
          name="date"
          label={t('members.transferDate')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        {remaining.isFetching && (
          <Typography.Paragraph type="secondary">
            {t('members.targets.checking')}
          </Typography.Paragraph>
        )}
        {remaining.data && !needs && !remaining.isFetching && (
          <Typography.Paragraph type="secondary" data-testid="transfer-no-targets">
            {t('members.targets.none')}
          </Typography.Paragraph>
        )}
        {needs && remaining.data && (
          <div data-testid="transfer-targets">
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              title={t('members.targets.title', { month: remaining.data.fromMonth })}
              description={
                <Space orientation="vertical" size={2}>
                  {remaining.data.targets.map((x) => (
                    <span key={`${x.versionId}-${x.metric}`}>
                      {t('members.targets.line', {
                        plan: localName(x.planNameZh, x.planNameEn),
                        number: x.versionNumber,
                        status: t(`plans.status.${x.status}`),
                        metric: localName(x.metricNameZh, x.metricNameEn),
                        months: x.months.length,
                        total: x.metricUnit === 'fen' ? money.format(x.total) : String(x.total),
                      })}
                    </span>
                  ))}
                  {remaining.data.targets.some((x) => x.status === 'active') && (
                    <Typography.Text type="secondary">
                      {t('members.targets.activeNote')}
                    </Typography.Text>
                  )}
                </Space>
              }
            />
            <Form.Item
              name="decision"
              label={t('members.targets.decision')}
              rules={[{ required: true, message: t('members.targets.required') }]}
            >
              <Radio.Group
                options={DECISIONS.map((d) => ({
                  value: d,
                  label: (
                    <span data-testid={`transfer-decision-${d}`}>{t(`members.targets.${d}`)}</span>
                  ),
                }))}
              />
            </Form.Item>
            {decision && (
              <Typography.Paragraph type="secondary">
                {t(`members.targets.${decision}Hint`)}
              </Typography.Paragraph>
            )}
            {decision === 'resplit' && (
              <Form.Item name="newUnitAmount" label={t('members.targets.newUnitAmount')}>
                <MoneyInput placeholder="0" data-testid="transfer-new-unit-amount" />
              </Form.Item>
            )}
          </div>
        )}
      </Form>
    </Modal>
  );
}
