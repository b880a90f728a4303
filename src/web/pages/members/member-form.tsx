import { DatePicker, Drawer, Form, Input, Select, Button, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { Member, MemberDetail, Tier } from '../../api/types.ts';
import { useSave } from '../../api/use-save.ts';
import { OrgUnitSelect } from '../../components/org-unit-select.tsx';

export const TIERS: Tier[] = ['senior', 'regular', 'new'];

interface Values {
  code: string;
  nameZh: string;
  nameEn: string;
  tier: Tier;
  hireDate: Dayjs;
  leaveDate?: Dayjs | null;
  email?: string | null;
  dingtalkMobile?: string | null;
  wecomUserId?: string | null;
  unitId?: number;
}

const iso = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : null);

/** Create (with the first unit) or edit a member; unit changes go through Transfer, not here. */
export function MemberForm({
  open,
  member,
  onClose,
}: {
  open: boolean;
  member: Member | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (member) {
      form.setFieldsValue({
        code: member.code,
        nameZh: member.nameZh,
        nameEn: member.nameEn,
        tier: member.tier,
        email: member.email,
        dingtalkMobile: member.dingtalkMobile,
        wecomUserId: member.wecomUserId,
        hireDate: dayjs(member.hireDate),
        leaveDate: member.leaveDate ? dayjs(member.leaveDate) : null,
      });
    } else {
      form.setFieldsValue({ tier: 'regular', hireDate: dayjs() });
    }
  }, [open, member, form]);

  const save = useSave({
    mutationFn: (v: Values) => {
      const body = {
        code: v.code,
        nameZh: v.nameZh,
        nameEn: v.nameEn,
        tier: v.tier,
        hireDate: iso(v.hireDate),
        leaveDate: iso(v.leaveDate),
        email: v.email?.trim() || null,
        dingtalkMobile: v.dingtalkMobile?.trim() || null,
        wecomUserId: v.wecomUserId?.trim() || null,
      };
      return member
        ? api.put<MemberDetail>(`/members/${member.id}`, { ...body, version: member.version })
        : api.post<MemberDetail>('/members', { ...body, unitId: v.unitId });
    },
    invalidate: ['members', 'org-units'],
    success: member ? undefined : t('common.created'),
    onSuccess: onClose,
    onConflict: onClose,
  });
  const required = [{ required: true, message: t('common.required') }];

  return (
    <Drawer
      open={open}
      size={480}
      title={member ? t('members.editTitle') : t('members.createTitle')}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={save.isPending}
            onClick={() => void form.validateFields().then((v) => save.mutate(v))}
            data-testid="member-save"
          >
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" data-testid="member-form">
        <Form.Item name="code" label={t('common.code')} rules={required}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="nameZh" label={t('common.nameZh')} rules={required}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="nameEn" label={t('common.nameEn')} rules={required}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="tier" label={t('members.tier')} rules={required}>
          <Select options={TIERS.map((x) => ({ value: x, label: t(`enums.tier.${x}`) }))} />
        </Form.Item>
        {!member && (
          <Form.Item name="unitId" label={t('members.unit')} rules={required}>
            <OrgUnitSelect />
          </Form.Item>
        )}
        <Form.Item name="hireDate" label={t('members.hireDate')} rules={required}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="leaveDate" label={t('members.leaveDate')}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          name="email"
          label={t('members.email')}
          rules={[{ type: 'email', message: t('members.emailInvalid') }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item
          name="dingtalkMobile"
          label={t('members.dingtalkMobile')}
          extra={t('members.mentionHint')}
          rules={[{ pattern: /^\+?[0-9-]{5,20}$/, message: t('members.mobileInvalid') }]}
        >
          <Input maxLength={20} inputMode="tel" />
        </Form.Item>
        <Form.Item name="wecomUserId" label={t('members.wecomUserId')}>
          <Input maxLength={64} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
