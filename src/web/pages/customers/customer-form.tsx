import { Alert, Button, Drawer, Form, Input, Space } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { Customer } from '../../api/types.ts';
import { useSave } from '../../api/use-save.ts';
import { DimensionSelect } from '../../components/dimension-select.tsx';
import { MemberSelect } from '../../components/member-select.tsx';
import { MoneyInput, useMoneyRules, type MoneyValue } from '../../format/money.tsx';
import { useLocalName } from '../../format/names.ts';

interface Values {
  code: string;
  nameZh: string;
  nameEn: string;
  segmentId: number | null;
  customerTypeId: number | null;
  regionId: number | null;
  ownerMemberId: number | null;
  annualPurchase: MoneyValue;
}

export function CustomerForm({
  state,
  onClose,
}: {
  state: { customer: Customer | null } | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const moneyRules = useMoneyRules(true);
  const [form] = Form.useForm<Values>();
  const customer = state?.customer ?? null;
  useEffect(() => {
    if (!state) return;
    form.resetFields();
    if (state.customer) form.setFieldsValue(state.customer);
    else form.setFieldsValue({ annualPurchase: null });
  }, [state, form]);

  const save = useSave({
    mutationFn: (v: Values) => {
      const body = {
        code: v.code,
        nameZh: v.nameZh,
        nameEn: v.nameEn,
        segmentId: v.segmentId ?? null,
        customerTypeId: v.customerTypeId ?? null,
        regionId: v.regionId ?? null,
        ownerMemberId: v.ownerMemberId ?? null,
        annualPurchase: typeof v.annualPurchase === 'number' ? v.annualPurchase : 0,
      };
      return customer
        ? api.put<Customer>(`/customers/${customer.id}`, { ...body, version: customer.version })
        : api.post<Customer>('/customers', body);
    },
    invalidate: ['customers'],
    success: customer ? undefined : t('common.created'),
    onSuccess: onClose,
    onConflict: onClose,
  });
  const required = [{ required: true, message: t('common.required') }];
  return (
    <Drawer
      open={state !== null}
      size={480}
      title={customer ? t('customers.editTitle') : t('customers.createTitle')}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={save.isPending}
            onClick={() => void form.validateFields().then((v) => save.mutate(v))}
            data-testid="customer-save"
          >
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" data-testid="customer-form">
        <Form.Item name="code" label={t('common.code')} rules={required}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="nameZh" label={t('common.nameZh')} rules={required}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="nameEn" label={t('common.nameEn')} rules={required}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="segmentId" label={t('customers.segment')}>
          <DimensionSelect dimension="segment" />
        </Form.Item>
        <Form.Item name="customerTypeId" label={t('customers.customerType')}>
          <DimensionSelect dimension="customer_type" />
        </Form.Item>
        <Form.Item name="regionId" label={t('customers.region')}>
          <DimensionSelect dimension="region" />
        </Form.Item>
        <Form.Item name="ownerMemberId" label={t('customers.owner')}>
          <MemberSelect
            initialLabel={customer ? localName(customer.ownerNameZh, customer.ownerNameEn) : null}
          />
        </Form.Item>
        <Form.Item name="annualPurchase" label={t('customers.annualPurchase')} rules={moneyRules}>
          <MoneyInput data-testid="customer-annual-purchase" />
        </Form.Item>
        <Alert type="info" showIcon title={t('customers.tierAuto')} />
      </Form>
    </Drawer>
  );
}
