import { Button, Drawer, Form, Input, InputNumber, Space, TreeSelect } from 'antd';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { Product } from '../../api/types.ts';
import { useSave } from '../../api/use-save.ts';
import { MoneyInput, useMoneyRules, type MoneyValue } from '../../format/money.tsx';
import { useLocalName } from '../../format/names.ts';
import { treeOptions } from '../org/org-tree.ts';
import { useProductLines } from './product-lines.ts';

interface Values {
  code: string;
  nameZh: string;
  nameEn: string;
  productLineId: number;
  /** Percent as typed (35.5); sent as basis points. */
  marginPercent: number;
  listPrice: MoneyValue;
}

export function ProductForm({
  state,
  onClose,
}: {
  state: { product: Product | null; lineId: number | null } | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const lines = useProductLines();
  const moneyRules = useMoneyRules(false);
  const [form] = Form.useForm<Values>();
  const product = state?.product ?? null;

  useEffect(() => {
    if (!state) return;
    form.resetFields();
    if (state.product) {
      const p = state.product;
      form.setFieldsValue({ ...p, marginPercent: p.grossMarginBp / 100, listPrice: p.listPrice });
    } else {
      form.setFieldsValue({ productLineId: state.lineId ?? undefined, listPrice: null });
    }
  }, [state, form]);

  const treeData = useMemo(
    () => treeOptions(lines.data ?? [], (l) => localName(l.nameZh, l.nameEn)),
    [lines.data, localName],
  );

  const save = useSave({
    mutationFn: (v: Values) => {
      const body = {
        code: v.code,
        nameZh: v.nameZh,
        nameEn: v.nameEn,
        productLineId: v.productLineId,
        // Percent with at most 2 decimals → whole basis points; Math.round drops float noise (35.1 × 100).
        grossMarginBp: Math.round(v.marginPercent * 100),
        listPrice: typeof v.listPrice === 'number' ? v.listPrice : null,
      };
      return product
        ? api.put<Product>(`/products/${product.id}`, { ...body, version: product.version })
        : api.post<Product>('/products', body);
    },
    invalidate: ['products', 'product-lines'],
    success: product ? undefined : t('common.created'),
    onSuccess: onClose,
    onConflict: onClose,
  });
  const required = [{ required: true, message: t('common.required') }];

  return (
    <Drawer
      open={state !== null}
      size={480}
      title={product ? t('products.editTitle') : t('products.createTitle')}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={save.isPending}
            onClick={() => void form.validateFields().then((v) => save.mutate(v))}
          >
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" data-testid="product-form">
        <Form.Item name="code" label={t('common.code')} rules={required}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="nameZh" label={t('common.nameZh')} rules={required}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="nameEn" label={t('common.nameEn')} rules={required}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="productLineId" label={t('products.productLine')} rules={required}>
          <TreeSelect
            treeDefaultExpandAll
            treeData={treeData}
            placeholder={t('common.selectPlaceholder')}
          />
        </Form.Item>
        <Form.Item
          name="marginPercent"
          label={t('products.grossMargin')}
          rules={required}
          extra={t('products.marginHint')}
        >
          <InputNumber min={0} max={100} precision={2} suffix="%" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="listPrice" label={t('products.listPrice')} rules={moneyRules}>
          <MoneyInput />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
