import { Form, Input, InputNumber, Modal, TreeSelect } from 'antd';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { ProductLine } from '../../api/types.ts';
import { useSave } from '../../api/use-save.ts';
import { useLocalName } from '../../format/names.ts';
import { subtreeIds, treeOptions } from '../org/org-tree.ts';
import { useProductLines } from './product-lines.ts';

interface Values {
  parentId: number | null;
  code: string;
  nameZh: string;
  nameEn: string;
  sortOrder: number;
}

export type LineFormState =
  { mode: 'create'; parentId: number | null } | { mode: 'edit'; line: ProductLine };

export function ProductLineForm({
  state,
  onClose,
}: {
  state: LineFormState | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const lines = useProductLines();
  const [form] = Form.useForm<Values>();
  useEffect(() => {
    if (!state) return;
    form.resetFields();
    form.setFieldsValue(
      state.mode === 'create' ? { parentId: state.parentId, sortOrder: 0 } : state.line,
    );
  }, [state, form]);

  const exclude = useMemo(
    () => (state?.mode === 'edit' ? subtreeIds(lines.data ?? [], state.line) : new Set<number>()),
    [state, lines.data],
  );
  const treeData = useMemo(
    () => treeOptions(lines.data ?? [], (l) => localName(l.nameZh, l.nameEn), exclude),
    [lines.data, exclude, localName],
  );

  const save = useSave({
    mutationFn: (v: Values) => {
      const body = { ...v, parentId: v.parentId ?? null };
      return state?.mode === 'edit'
        ? api.put<ProductLine>(`/product-lines/${state.line.id}`, {
            ...body,
            version: state.line.version,
          })
        : api.post<ProductLine>('/product-lines', body);
    },
    invalidate: ['product-lines', 'products'],
    success: state?.mode === 'create' ? t('common.created') : undefined,
    onSuccess: onClose,
    onConflict: onClose,
  });
  if (!state) return null;
  const required = [{ required: true, message: t('common.required') }];
  return (
    <Modal
      open
      title={state.mode === 'edit' ? t('products.editLine') : t('products.addLine')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onCancel={onClose}
      onOk={() => void form.validateFields().then((v) => save.mutate(v))}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Form.Item name="parentId" label={t('products.parentLine')}>
          <TreeSelect
            allowClear
            treeDefaultExpandAll
            treeData={treeData}
            placeholder={t('products.topLevel')}
          />
        </Form.Item>
        <Form.Item name="code" label={t('common.code')} rules={required}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="nameZh" label={t('common.nameZh')} rules={required}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="nameEn" label={t('common.nameEn')} rules={required}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="sortOrder" label={t('common.sortOrder')}>
          <InputNumber precision={0} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
