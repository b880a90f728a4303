import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Form, Input, Row, Select, Space, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage, isApiError } from '../../api/client.ts';
import type { CustomerTier, Settings, SettingsSaved } from '../../api/types.ts';
import { Page } from '../../components/page.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { CustomerTierTag } from '../../components/tags.tsx';
import { MoneyInput, useMoneyRules, type MoneyValue } from '../../format/money.tsx';
import { monthName } from '../../format/months.ts';
import { useSettings } from '../../shell/app-shell.tsx';
import { useMutation } from '@tanstack/react-query';

const TIERS: CustomerTier[] = ['A', 'B', 'C'];

interface Values {
  companyNameZh: string;
  companyNameEn: string;
  fiscalYearStartMonth: number;
  rules: Record<CustomerTier, MoneyValue>;
}

export default function SettingsPage() {
  const { t } = useTranslation();
  const settings = useSettings();
  return (
    <Page title={t('settings.title')} testId="settings-page">
      <QueryState query={settings}>{(s) => <SettingsForm settings={s} />}</QueryState>
    </Page>
  );
}

function SettingsForm({ settings }: { settings: Settings }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const moneyRules = useMoneyRules(true);

  useEffect(() => {
    const rules = Object.fromEntries(
      TIERS.map((tier) => [
        tier,
        settings.customerTierRules.find((r) => r.tier === tier)?.minAnnualPurchase ?? null,
      ]),
    );
    form.setFieldsValue({ ...settings, rules: rules as Values['rules'] });
  }, [settings, form]);

  const save = useMutation({
    mutationFn: (v: Values) =>
      api.put<SettingsSaved>('/settings', {
        companyNameZh: v.companyNameZh,
        companyNameEn: v.companyNameEn,
        fiscalYearStartMonth: v.fiscalYearStartMonth,
        customerTierRules: TIERS.map((tier) => ({
          tier,
          minAnnualPurchase: Number(v.rules[tier] ?? 0),
        })),
        version: settings.version,
      }),
    onSuccess: (saved) => {
      void message.success(
        saved.reclassifiedCustomers > 0
          ? t('settings.savedReclassified', { count: saved.reclassifiedCustomers })
          : t('common.saved'),
      );
      void qc.invalidateQueries({ queryKey: ['settings'] });
      void qc.invalidateQueries({ queryKey: ['customers'] });
    },
    onError: (e) => {
      void message.error(errorMessage(e, t('common.networkError')), 6);
      if (isApiError(e) && e.code === 'VERSION_CONFLICT')
        void qc.invalidateQueries({ queryKey: ['settings'] });
    },
  });

  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={(v) => save.mutate(v)}
      data-testid="settings-form"
      style={{ maxWidth: 960 }}
    >
      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('settings.company')} style={{ marginBottom: 16 }}>
            <Form.Item name="companyNameZh" label={t('settings.companyNameZh')}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item name="companyNameEn" label={t('settings.companyNameEn')}>
              <Input maxLength={200} />
            </Form.Item>
          </Card>
          <Card size="small" title={t('settings.fiscal')} style={{ marginBottom: 16 }}>
            <Form.Item
              name="fiscalYearStartMonth"
              label={t('settings.fiscalYearStartMonth')}
              extra={t('settings.fiscalHint')}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <Select
                style={{ width: 160 }}
                options={Array.from({ length: 12 }, (_, i) => ({
                  value: i + 1,
                  label: monthName(i + 1, i18n.language),
                }))}
                data-testid="settings-fiscal-month"
              />
            </Form.Item>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('settings.tierRules')} style={{ marginBottom: 16 }}>
            <Typography.Paragraph type="secondary">
              {t('settings.tierRulesHint')}
            </Typography.Paragraph>
            {TIERS.map((tier) => (
              <Form.Item
                key={tier}
                name={['rules', tier]}
                label={
                  <Space>
                    <CustomerTierTag tier={tier} />
                    {t('settings.minAnnualPurchase')}
                  </Space>
                }
                rules={moneyRules}
              >
                <MoneyInput data-testid={`settings-tier-${tier}`} />
              </Form.Item>
            ))}
          </Card>
        </Col>
      </Row>
      <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="settings-save">
        {t('common.save')}
      </Button>
    </Form>
  );
}
