import { Form, Input, InputNumber, Modal, Select } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { OrgKind, OrgUnit } from '../../api/types.ts';
import { useSave } from '../../api/use-save.ts';
import { MemberSelect } from '../../components/member-select.tsx';
import { OrgUnitSelect } from '../../components/org-unit-select.tsx';
import { useLocalName } from '../../format/names.ts';
import { subtreeIds, useOrgUnits } from './org-tree.ts';

const KINDS: OrgKind[] = ['company', 'region', 'branch', 'team'];

interface Values {
  code: string;
  nameZh: string;
  nameEn: string;
  kind: OrgKind;
  managerMemberId: number | null;
  sortOrder: number;
  parentId: number | null;
}

export type OrgFormMode =
  | { mode: 'create'; parent: OrgUnit }
  | { mode: 'edit'; unit: OrgUnit }
  | { mode: 'move'; unit: OrgUnit };

/** Create a sub-unit, edit a unit, or move it under another parent (all via the same versioned PUT). */
export function OrgUnitForm({
  state,
  onClose,
  onSaved,
}: {
  state: OrgFormMode | null;
  onClose: () => void;
  onSaved: (u: OrgUnit) => void;
}) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const units = useOrgUnits();
  const [form] = Form.useForm<Values>();

  useEffect(() => {
    if (!state) return;
    form.resetFields();
    if (state.mode === 'create') {
      const childKind =
        KINDS[Math.min(KINDS.indexOf(state.parent.kind) + 1, KINDS.length - 1)] ?? 'team';
      form.setFieldsValue({
        kind: childKind,
        sortOrder: 0,
        parentId: state.parent.id,
        managerMemberId: null,
      });
    } else {
      const u = state.unit;
      form.setFieldsValue({ ...u, parentId: u.parentId });
    }
  }, [state, form]);

  const save = useSave({
    mutationFn: (v: Values) =>
      state?.mode === 'create'
        ? api.post<OrgUnit>('/org-units', { ...v, parentId: state.parent.id })
        : api.put<OrgUnit>(`/org-units/${state!.unit.id}`, { ...v, version: state!.unit.version }),
    invalidate: ['org-units', 'members'],
    success:
      state?.mode === 'move'
        ? t('org.moved')
        : state?.mode === 'create'
          ? t('common.created')
          : undefined,
    onSuccess: (u) => {
      onSaved(u);
      onClose();
    },
    onConflict: onClose,
  });

  if (!state) return null;
  const title =
    state.mode === 'create'
      ? t('org.createTitle', { parent: localName(state.parent.nameZh, state.parent.nameEn) })
      : state.mode === 'move'
        ? t('org.moveTitle', { name: localName(state.unit.nameZh, state.unit.nameEn) })
        : t('org.editTitle');
  const exclude = state.mode !== 'create' ? subtreeIds(units.data ?? [], state.unit) : undefined;
  const required = [{ required: true, message: t('common.required') }];
  const hidden = state.mode === 'move';

  return (
    <Modal
      open
      title={title}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onCancel={onClose}
      onOk={() => void form.validateFields().then((v) => save.mutate(v))}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" data-testid="org-unit-form">
        {state.mode !== 'create' && (
          <Form.Item
            name="parentId"
            label={state.mode === 'move' ? t('org.newParent') : t('org.parent')}
            rules={state.unit.parentId === null ? [] : required}
          >
            <OrgUnitSelect exclude={exclude} data-testid="org-parent-select" />
          </Form.Item>
        )}
        <div style={{ display: hidden ? 'none' : undefined }}>
          <Form.Item name="code" label={t('common.code')} rules={required}>
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item name="nameZh" label={t('common.nameZh')} rules={required}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="nameEn" label={t('common.nameEn')} rules={required}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="kind" label={t('org.kind')} rules={required}>
            <Select options={KINDS.map((k) => ({ value: k, label: t(`enums.orgKind.${k}`) }))} />
          </Form.Item>
          <Form.Item name="managerMemberId" label={t('org.manager')}>
            <MemberSelect
              initialLabel={
                state.mode === 'create'
                  ? null
                  : localName(state.unit.managerNameZh, state.unit.managerNameEn)
              }
            />
          </Form.Item>
          <Form.Item name="sortOrder" label={t('common.sortOrder')}>
            <InputNumber precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </div>
      </Form>
    </Modal>
  );
}
