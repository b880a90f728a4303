import { Alert, DatePicker, Form, Modal } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { Member, MemberDetail } from '../../api/types.ts';
import { useSave } from '../../api/use-save.ts';
import { OrgUnitSelect } from '../../components/org-unit-select.tsx';
import { useLocalName } from '../../format/names.ts';

export function TransferDialog({
  member,
  onClose,
}: {
  member: Member | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const [form] = Form.useForm<{ unitId: number; date: Dayjs }>();
  useEffect(() => {
    if (member) form.setFieldsValue({ unitId: undefined, date: dayjs() });
  }, [member, form]);
  const save = useSave({
    mutationFn: (v: { unitId: number; date: Dayjs }) =>
      api.post<MemberDetail>(`/members/${member!.id}/transfer`, {
        unitId: v.unitId,
        date: v.date.format('YYYY-MM-DD'),
        version: member!.version,
      }),
    invalidate: ['members', 'org-units'],
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
      onCancel={onClose}
      onOk={() => void form.validateFields().then((v) => save.mutate(v))}
      destroyOnHidden
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
      </Form>
    </Modal>
  );
}
