import {
  CalculatorOutlined,
  CheckCircleOutlined,
  DeleteOutlined,
  PlusOutlined,
} from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Col,
  Divider,
  Flex,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Statistic,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/client.ts';
import type { DimensionItem } from '../../api/types.ts';
import { useDimension } from '../../components/dimension-select.tsx';
import { useLocalName } from '../../format/names.ts';
import { useMoney } from '../../format/money.tsx';
import { MoneyInput } from '../../format/money.tsx';
import { EChart } from '../../components/echart.tsx';
import {
  channelsFromDimension,
  hasStoredInputs,
  lensFormOf,
  storedOutcome,
  TIER_CODES,
  toLensesBody,
  type CapacityDetail,
  type FunnelBackDetail,
  type LensForm,
  type LensOutcome,
} from './lens-inputs.ts';
import {
  bpText,
  monthLabel,
  PLAN_KEYS,
  useHistory,
  type History,
  type LensesResult,
  type VersionDetail,
} from './plan-api.ts';
import { CommitPanel } from './commit-panel.tsx';

/** Years of history fetched once and shared with the decompose tab's seasonality (same query key). */
export const HISTORY_YEARS = 3;

const VERDICT_COLORS = {
  feasible: 'success',
  stretch: 'warning',
  infeasible: 'error',
  not_applicable: 'default',
} as const;

/** "Set the number": three lenses side by side, the gaps and the verdict, then the committed target. */
export function LensesTab({ v }: { v: VersionDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<LensForm>();
  const [outcome, setOutcome] = useState<LensOutcome | null>(() => storedOutcome(v));
  const [adopted, setAdopted] = useState<{ value: number; seq: number } | null>(null);
  const adopt = (value: number) => setAdopted((a) => ({ value, seq: (a?.seq ?? 0) + 1 }));
  const editable = v.status === 'draft' && v.canApprove;
  const initial = useMemo(() => lensFormOf(v), [v]);
  // A fresh version starts from the data: last year's actual (rollups) and the channels' funnel attrs.
  const fresh = editable && !hasStoredInputs(v);
  const history = useHistory(v.id, HISTORY_YEARS, editable);
  const channelDims = useDimension('channel');
  const fromChannels = useMemo(
    () => (channelDims.data ? channelsFromDimension(channelDims.data) : null),
    [channelDims.data],
  );
  useEffect(() => {
    const last = history.data?.lastYearActual;
    if (
      !fresh ||
      !last ||
      form.isFieldTouched('lastYearActual') ||
      form.getFieldValue('lastYearActual') !== null
    )
      return;
    form.setFieldsValue({ lastYearActual: last });
  }, [fresh, history.data, form]);
  useEffect(() => {
    if (!fresh || !fromChannels || form.isFieldsTouched(['channels', 'monthlySupply'])) return;
    form.setFieldsValue({
      channels: fromChannels.channels,
      ...(fromChannels.monthlySupply === null ? {} : { monthlySupply: fromChannels.monthlySupply }),
    });
  }, [fresh, fromChannels, form]);

  const compute = useMutation({
    mutationFn: (f: LensForm) =>
      api.post<LensesResult>(`/plan-versions/${v.id}/lenses`, toLensesBody(f, v.version)),
    onSuccess: async (r) => {
      setOutcome(r);
      void message.success(t('plans.lenses.computed'));
      await Promise.all(PLAN_KEYS.map((k) => qc.invalidateQueries({ queryKey: [k] })));
    },
    onError: async (e) => {
      void message.error(errorMessage(e, t('common.networkError')), 6);
      await qc.invalidateQueries({ queryKey: ['plan-version'] });
    },
  });

  return (
    <div data-testid="lenses-tab">
      <Form<LensForm>
        form={form}
        layout="vertical"
        size="small"
        initialValues={initial}
        disabled={!editable}
        onFinish={(f) => compute.mutate(f)}
      >
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={8}>
            <TopDownCard
              value={outcome?.topDown ?? null}
              onAdopt={adopt}
              editable={editable}
              history={history.data ?? null}
            />
          </Col>
          <Col xs={24} xl={8}>
            <BottomUpCard v={v} outcome={outcome} onAdopt={adopt} editable={editable} />
          </Col>
          <Col xs={24} xl={8}>
            <FunnelCard
              outcome={outcome}
              onAdopt={adopt}
              editable={editable}
              channelCodes={fromChannels?.channels.map((c) => c.code) ?? null}
              channelItems={channelDims.data ?? []}
            />
          </Col>
        </Row>
        <Flex justify="center" style={{ margin: '16px 0' }}>
          <Button
            type="primary"
            size="large"
            htmlType="submit"
            icon={<CalculatorOutlined />}
            loading={compute.isPending}
            disabled={!editable}
            data-testid="lenses-compute"
          >
            {t('plans.lenses.compute')}
          </Button>
        </Flex>
      </Form>
      {outcome && <Reconciliation outcome={outcome} onAdopt={adopt} editable={editable} />}
      <CommitPanel v={v} adopted={adopted} />
    </div>
  );
}

function LensResult({
  title,
  value,
  onAdopt,
  editable,
  testId,
  notApplicable = false,
}: {
  title: string;
  value: number | null;
  onAdopt: (v: number) => void;
  editable: boolean;
  testId: string;
  /** The lens does not apply (no reps): say so instead of showing 0. */
  notApplicable?: boolean;
}) {
  const { t } = useTranslation();
  const money = useMoney();
  return (
    <Flex justify="space-between" align="end" style={{ marginTop: 8 }}>
      <Statistic
        title={title}
        value={
          notApplicable
            ? t('plans.lenses.notApplicable')
            : value === null
              ? '—'
              : money.format(value)
        }
        styles={{ content: { fontSize: 22 } }}
        data-testid={testId}
      />
      {value !== null && editable && !notApplicable && (
        <Button size="small" onClick={() => onAdopt(value)} data-testid={`${testId}-adopt`}>
          {t('plans.lenses.adopt')}
        </Button>
      )}
    </Flex>
  );
}

function TopDownCard({
  value,
  onAdopt,
  editable,
  history,
}: {
  value: number | null;
  onAdopt: (v: number) => void;
  editable: boolean;
  history: History | null;
}) {
  const { t } = useTranslation();
  const mode = Form.useWatch('topMode') as LensForm['topMode'] | undefined;
  const last = Form.useWatch('lastYearActual') as LensForm['lastYearActual'] | undefined;
  const fromHistory =
    history !== null && history.lastYearActual > 0 && last === history.lastYearActual;
  return (
    <Card
      title={<LensTitle title={t('plans.lenses.topDown')} hint={t('plans.lenses.topDownHint')} />}
      style={{ height: '100%' }}
    >
      <Form.Item name="topMode">
        <Radio.Group
          optionType="button"
          options={[
            { value: 'growth', label: t('plans.lenses.byGrowth') },
            { value: 'market', label: t('plans.lenses.byMarket') },
          ]}
        />
      </Form.Item>
      {mode !== 'market' ? (
        <Row gutter={8}>
          <Col span={14}>
            <Form.Item
              name="lastYearActual"
              label={t('plans.lenses.lastYearActual')}
              rules={[{ required: true, message: t('common.required') }]}
              extra={
                fromHistory ? (
                  <span data-testid="lens-last-year-note">
                    {t(
                      history.years[0]?.complete === false
                        ? 'plans.lenses.fromLastYearToDate'
                        : 'plans.lenses.fromLastYear',
                      { fy: history.years[0]?.fiscalYear ?? '' },
                    )}
                  </span>
                ) : undefined
              }
            >
              <MoneyInput data-testid="lens-last-year" />
            </Form.Item>
          </Col>
          <Col span={10}>
            <Form.Item name="growthPct" label={t('plans.lenses.growth')}>
              <InputNumber
                min={-100}
                max={1000}
                step={1}
                suffix="%"
                style={{ width: '100%' }}
                data-testid="lens-growth"
              />
            </Form.Item>
          </Col>
        </Row>
      ) : (
        <Row gutter={8}>
          <Col span={14}>
            <Form.Item
              name="marketSize"
              label={t('plans.lenses.marketSize')}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <MoneyInput />
            </Form.Item>
          </Col>
          <Col span={10}>
            <Form.Item name="sharePct" label={t('plans.lenses.share')}>
              <InputNumber min={0} max={100} suffix="%" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
      )}
      <Divider style={{ margin: '8px 0' }} />
      <LensResult
        title={t('plans.lenses.topDownResult')}
        value={value}
        onAdopt={onAdopt}
        editable={editable}
        testId="lens-topdown-value"
      />
    </Card>
  );
}

function BottomUpCard({
  v,
  outcome,
  onAdopt,
  editable,
}: {
  v: VersionDetail;
  outcome: LensOutcome | null;
  onAdopt: (v: number) => void;
  editable: boolean;
}) {
  const { t, i18n } = useTranslation();
  const tierOptions = TIER_CODES.map((c) => ({ value: c, label: t(`enums.tier.${c}`) }));
  const monthOptions = v.months.map((m) => ({ value: m, label: m }));
  const capacity = outcome?.details.bottomUp as CapacityDetail | undefined;
  return (
    <Card
      title={<LensTitle title={t('plans.lenses.bottomUp')} hint={t('plans.lenses.bottomUpHint')} />}
      style={{ height: '100%' }}
    >
      <Typography.Text strong>{t('plans.lenses.productivity')}</Typography.Text>
      <Form.List name="productivity">
        {(fields) => (
          <Table
            size="small"
            pagination={false}
            rowKey="key"
            dataSource={fields}
            style={{ marginBottom: 8 }}
            columns={[
              {
                title: t('plans.lenses.tier'),
                key: 'tier',
                width: 80,
                render: (_, f) => (
                  <Form.Item name={[f.name, 'tier']} noStyle>
                    <TierText />
                  </Form.Item>
                ),
              },
              {
                title: t('plans.lenses.dealsPerMonth'),
                key: 'deals',
                width: 100,
                render: (_, f) => (
                  <Form.Item name={[f.name, 'dealsPerMonth']} noStyle>
                    <InputNumber min={0} step={0.5} style={{ width: '100%' }} />
                  </Form.Item>
                ),
              },
              {
                title: t('plans.lenses.aov'),
                key: 'aov',
                render: (_, f) => (
                  <Form.Item name={[f.name, 'aov']} noStyle>
                    <MoneyInput />
                  </Form.Item>
                ),
              },
            ]}
          />
        )}
      </Form.List>
      <Form.Item
        label={t('plans.lenses.ramp')}
        tooltip={t('plans.lenses.rampHint')}
        style={{ marginBottom: 8 }}
      >
        <Form.List name="ramp">
          {(fields, { add, remove }) => (
            <Space wrap size={4}>
              {fields.map((f, i) => (
                <Space.Compact key={f.key}>
                  <Form.Item name={f.name} noStyle>
                    <InputNumber
                      min={0}
                      max={100}
                      suffix="%"
                      style={{ width: 86 }}
                      aria-label={t('plans.lenses.rampMonth', { n: i + 1 })}
                    />
                  </Form.Item>
                  {fields.length > 1 && i === fields.length - 1 && (
                    <Button
                      icon={<DeleteOutlined />}
                      onClick={() => remove(f.name)}
                      aria-label={t('common.delete')}
                    />
                  )}
                </Space.Compact>
              ))}
              <Button
                icon={<PlusOutlined />}
                onClick={() => add(100)}
                aria-label={t('plans.lenses.rampAdd')}
              />
            </Space>
          )}
        </Form.List>
      </Form.Item>
      <Typography.Text strong>{t('plans.lenses.hires')}</Typography.Text>
      <Form.List name="hires">
        {(fields, { add, remove }) => (
          <div style={{ marginBottom: 8 }}>
            {fields.map((f) => (
              <Space key={f.key} size={4} style={{ display: 'flex', marginTop: 4 }}>
                <Form.Item name={[f.name, 'count']} noStyle>
                  <InputNumber
                    min={0}
                    precision={0}
                    style={{ width: 70 }}
                    aria-label={t('plans.lenses.hireCount')}
                  />
                </Form.Item>
                <Form.Item name={[f.name, 'tier']} noStyle>
                  <Select options={tierOptions} style={{ width: 90 }} />
                </Form.Item>
                <Form.Item name={[f.name, 'startMonth']} noStyle>
                  <Select
                    options={monthOptions}
                    style={{ width: 110 }}
                    aria-label={t('plans.lenses.hireStart')}
                  />
                </Form.Item>
                <Button
                  icon={<DeleteOutlined />}
                  onClick={() => remove(f.name)}
                  aria-label={t('common.delete')}
                />
              </Space>
            ))}
            <Button
              type="dashed"
              size="small"
              icon={<PlusOutlined />}
              onClick={() => add({ tier: 'new', count: 1, startMonth: v.months[0] })}
              style={{ marginTop: 4 }}
            >
              {t('plans.lenses.addHire')}
            </Button>
          </div>
        )}
      </Form.List>
      <Form.Item
        name="attritionPct"
        label={t('plans.lenses.attrition')}
        tooltip={t('plans.lenses.attritionHint')}
      >
        <InputNumber min={0} max={100} suffix="%" style={{ width: 120 }} />
      </Form.Item>
      {capacity && <CapacityChart capacity={capacity} lang={i18n.language} />}
      <Divider style={{ margin: '8px 0' }} />
      <LensResult
        title={t('plans.lenses.bottomUpResult')}
        value={outcome?.bottomUp ?? null}
        onAdopt={onAdopt}
        editable={editable}
        testId="lens-bottomup-value"
        notApplicable={outcome?.notApplicable.includes('bottomUp') ?? false}
      />
      {outcome?.notApplicable.includes('bottomUp') && (
        <Typography.Text type="secondary" data-testid="lens-bottomup-na">
          {t('plans.lenses.bottomUpNotApplicable')}
        </Typography.Text>
      )}
    </Card>
  );
}

function TierText({ value }: { value?: string }) {
  const { t } = useTranslation();
  return <Tag>{t(`enums.tier.${value ?? ''}`, { defaultValue: value })}</Tag>;
}

/** fen per display unit, for chart axes (values shown in the user's 元 / 万 / 亿). */
function CapacityChart({ capacity, lang }: { capacity: CapacityDetail; lang: string }) {
  const { t } = useTranslation();
  const money = useMoney();
  const div = money.perUnit;
  const tiers = Object.keys(capacity.byTier);
  const option = useMemo(
    () => ({
      tooltip: {
        trigger: 'axis',
        valueFormatter: (x: number) => money.format(Math.round(x * div)),
      },
      // The legend on the right of the top line, the axis unit on the left: they no longer overlap.
      legend: { top: 0, right: 0 },
      grid: { left: 48, right: 8, top: 36, bottom: 24 },
      xAxis: { type: 'category', data: capacity.monthly.map((m) => monthLabel(m.month, lang)) },
      yAxis: { type: 'value', name: money.label, nameLocation: 'end', nameGap: 12 },
      series: tiers.map((tier) => ({
        type: 'bar',
        stack: 'cap',
        name: t(`enums.tier.${tier}`, { defaultValue: tier }),
        data: capacity.monthly.map((m) => (m.byTier[tier] ?? 0) / div),
      })),
    }),
    [capacity, tiers, div, money, lang, t],
  );
  return (
    <div>
      <Typography.Text strong>{t('plans.lenses.capacityChart')}</Typography.Text>
      <EChart option={option} height={200} testId="capacity-chart" />
    </div>
  );
}

function FunnelCard({
  outcome,
  onAdopt,
  editable,
  channelCodes,
  channelItems,
}: {
  outcome: LensOutcome | null;
  onAdopt: (v: number) => void;
  editable: boolean;
  channelCodes: string[] | null;
  /** The channel catalogue: channels show by name, picked from it. */
  channelItems: readonly DimensionItem[];
}) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const channelOptions = channelItems.map((c) => ({
    value: c.code,
    label: localName(c.nameZh, c.nameEn) || c.code,
  }));
  const channelName = (code: string) => {
    const c = channelItems.find((x) => x.code === code);
    return c ? localName(c.nameZh, c.nameEn) || code : code;
  };
  const on = Form.useWatch('funnelOn') as boolean | undefined;
  const channels = Form.useWatch('channels') as LensForm['channels'] | undefined;
  const fromDims =
    channelCodes !== null &&
    channels !== undefined &&
    channels.length > 0 &&
    channels.every((c) => channelCodes.includes(c?.code ?? ''));
  const back = outcome?.details.funnelBackCalc as FunnelBackDetail | null | undefined;
  return (
    <Card
      title={t('plans.lenses.funnel')}
      extra={
        <Form.Item name="funnelOn" valuePropName="checked" noStyle>
          <Switch size="small" />
        </Form.Item>
      }
      style={{ height: '100%' }}
    >
      {on === false ? (
        <Typography.Text type="secondary">{t('plans.lenses.funnelOff')}</Typography.Text>
      ) : (
        <>
          <Typography.Text strong>{t('plans.lenses.stages')}</Typography.Text>
          <Form.List name="stages">
            {(fields, { add, remove }) => (
              <div style={{ marginBottom: 8 }}>
                {fields.map((f, i) => (
                  <Space key={f.key} size={4} style={{ display: 'flex', marginTop: 4 }}>
                    <Form.Item name={[f.name, 'code']} noStyle>
                      <StageCodeField />
                    </Form.Item>
                    <span>
                      →{' '}
                      {i === fields.length - 1
                        ? t('plans.lenses.deal')
                        : t('plans.lenses.nextStage')}
                    </span>
                    <Form.Item name={[f.name, 'conversionPct']} noStyle>
                      <InputNumber
                        min={0.01}
                        max={100}
                        suffix="%"
                        style={{ width: 96 }}
                        aria-label={t('plans.lenses.conversion')}
                      />
                    </Form.Item>
                    {fields.length > 1 && (
                      <Button
                        icon={<DeleteOutlined />}
                        onClick={() => remove(f.name)}
                        aria-label={t('common.delete')}
                      />
                    )}
                  </Space>
                ))}
                <Button
                  type="dashed"
                  size="small"
                  icon={<PlusOutlined />}
                  onClick={() => add({ code: '', conversionPct: 50 }, 0)}
                  style={{ marginTop: 4 }}
                >
                  {t('plans.lenses.addStage')}
                </Button>
              </div>
            )}
          </Form.List>
          <Row gutter={8}>
            <Col span={12}>
              <Form.Item name="funnelAov" label={t('plans.lenses.aov')}>
                <MoneyInput />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item
                name="monthlySupply"
                label={t('plans.lenses.monthlySupply')}
                tooltip={t('plans.lenses.monthlySupplyHint')}
              >
                <InputNumber min={0} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </Row>
          <Typography.Text strong>{t('plans.lenses.channels')}</Typography.Text>
          <Form.List name="channels">
            {(fields, { add, remove }) => (
              <div style={{ marginBottom: 8 }}>
                {fields.map((f) => (
                  <Space key={f.key} size={4} style={{ display: 'flex', marginTop: 4 }}>
                    <Form.Item name={[f.name, 'code']} noStyle>
                      <Select
                        style={{ width: 130 }}
                        options={channelOptions}
                        showSearch={{ optionFilterProp: 'label' }}
                        placeholder={t('plans.lenses.channelCode')}
                        aria-label={t('plans.lenses.channel')}
                        data-testid={`lens-channel-${f.name}`}
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, 'leadToDealPct']} noStyle>
                      <InputNumber
                        min={0.01}
                        max={100}
                        suffix="%"
                        style={{ width: 90 }}
                        aria-label={t('plans.lenses.leadToDeal')}
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, 'monthlySupply']} noStyle>
                      <InputNumber
                        min={0}
                        precision={0}
                        style={{ width: 110 }}
                        placeholder={t('plans.lenses.unlimited')}
                        aria-label={t('plans.lenses.channelSupply')}
                      />
                    </Form.Item>
                    <Button
                      icon={<DeleteOutlined />}
                      onClick={() => remove(f.name)}
                      aria-label={t('common.delete')}
                    />
                  </Space>
                ))}
                <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
                  {t('plans.lenses.channelColumns')}
                  {fromDims && (
                    <span data-testid="lens-channels-note">
                      {' '}
                      · {t('plans.lenses.fromChannels')}
                    </span>
                  )}
                </Typography.Text>
                <Button
                  type="dashed"
                  size="small"
                  icon={<PlusOutlined />}
                  onClick={() => add({ code: '', leadToDealPct: 5, monthlySupply: null })}
                >
                  {t('plans.lenses.addChannel')}
                </Button>
              </div>
            )}
          </Form.List>
          {back && <FunnelBackCalc back={back} channelName={channelName} />}
        </>
      )}
      <Divider style={{ margin: '8px 0' }} />
      <LensResult
        title={t('plans.lenses.funnelResult')}
        value={outcome?.funnel ?? null}
        onAdopt={onAdopt}
        editable={editable}
        testId="lens-funnel-value"
      />
    </Card>
  );
}

const num = (n: number) => n.toLocaleString();

/**
 * A funnel stage's code: the stages the product knows (leads, opportunities…) show by their
 * name in the user's language; a stage the planner adds is typed as a code.
 */
function StageCodeField({
  value,
  onChange,
}: {
  value?: string;
  onChange?: (code: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const key = `plans.lenses.stageCodes.${value ?? ''}`;
  if (value && i18n.exists(key))
    return (
      <Input
        style={{ width: 130 }}
        value={t(key)}
        readOnly
        title={value}
        aria-label={t('plans.lenses.stageCode')}
        data-testid={`lens-stage-${value}`}
      />
    );
  return (
    <Input
      style={{ width: 130 }}
      value={value ?? ''}
      onChange={(e) => onChange?.(e.target.value)}
      aria-label={t('plans.lenses.stageCode')}
    />
  );
}

function FunnelBackCalc({
  back,
  channelName,
}: {
  back: FunnelBackDetail;
  channelName: (code: string) => string;
}) {
  const { t } = useTranslation();
  const stageName = (code: string) => t(`plans.lenses.stageCodes.${code}`, { defaultValue: code });
  return (
    <div data-testid="funnel-backcalc">
      <Typography.Text strong>
        {t('plans.lenses.backCalc', { deals: num(back.deals) })}
      </Typography.Text>
      <Table
        size="small"
        pagination={false}
        rowKey="code"
        dataSource={back.stages}
        columns={[
          { title: t('plans.lenses.stage'), dataIndex: 'code', render: stageName },
          {
            title: t('plans.lenses.conversion'),
            dataIndex: 'conversionBp',
            align: 'right',
            render: bpText,
          },
          { title: t('plans.lenses.required'), dataIndex: 'required', align: 'right', render: num },
          { title: t('plans.lenses.perMonth'), dataIndex: 'perMonth', align: 'right', render: num },
        ]}
      />
      {back.supply && (
        <Typography.Paragraph
          type={back.supply.feasible ? 'success' : 'danger'}
          style={{ margin: '4px 0' }}
          data-testid="funnel-supply"
        >
          {back.supply.feasible
            ? t('plans.lenses.supplyOk', {
                need: num(back.supply.perMonthRequired),
                have: num(back.supply.perMonthSupply),
              })
            : t('plans.lenses.supplyShort', {
                need: num(back.supply.perMonthRequired),
                have: num(back.supply.perMonthSupply),
                short: num(back.supply.shortfall),
              })}
        </Typography.Paragraph>
      )}
      {back.channels && (
        <Table
          size="small"
          pagination={false}
          rowKey="code"
          data-testid="funnel-channels"
          dataSource={back.channels.channels}
          onRow={(c) => ({ style: c.feasible ? undefined : { background: '#fff1f0' } })}
          columns={[
            { title: t('plans.lenses.channel'), dataIndex: 'code', render: channelName },
            {
              title: t('plans.lenses.leadToDeal'),
              dataIndex: 'leadToDealBp',
              align: 'right',
              render: bpText,
            },
            {
              title: t('plans.lenses.leadsPerMonth'),
              dataIndex: 'perMonth',
              align: 'right',
              render: num,
            },
            {
              title: t('plans.lenses.channelSupply'),
              dataIndex: 'monthlySupply',
              align: 'right',
              render: (s?: number) => (s === undefined ? t('plans.lenses.unlimited') : num(s)),
            },
            {
              title: t('plans.lenses.shortfall'),
              dataIndex: 'shortfallLeads',
              align: 'right',
              render: (s: number) =>
                s > 0 ? (
                  <Typography.Text type="danger" strong>
                    −{num(s)}
                  </Typography.Text>
                ) : (
                  <CheckCircleOutlined style={{ color: '#52c41a' }} />
                ),
            },
          ]}
        />
      )}
      {back.channels && !back.channels.feasible && (
        <Typography.Text type="danger" strong>
          {t('plans.lenses.dealsShort', { n: num(back.channels.shortfallDeals) })}
        </Typography.Text>
      )}
    </div>
  );
}

function Reconciliation({
  outcome,
  onAdopt,
  editable,
}: {
  outcome: LensOutcome;
  onAdopt: (v: number) => void;
  editable: boolean;
}) {
  const { t } = useTranslation();
  const money = useMoney();
  const lensName = (n: string) => t(`plans.lenses.name.${n}`);
  const signed = (fen: number) =>
    (fen > 0 ? '+' : fen < 0 ? '−' : '') + money.format(Math.abs(fen));
  return (
    <Card
      style={{
        marginBottom: 16,
        borderColor:
          outcome.verdict === 'infeasible'
            ? '#ff4d4f'
            : outcome.verdict === 'stretch'
              ? '#faad14'
              : outcome.verdict === 'not_applicable'
                ? '#d9d9d9'
                : '#52c41a',
      }}
      data-testid="lenses-verdict"
    >
      <Row gutter={[24, 16]} align="middle">
        <Col xs={24} md={6}>
          <Space orientation="vertical" size={4}>
            <Typography.Text type="secondary">{t('plans.lenses.verdict')}</Typography.Text>
            <Tag
              color={VERDICT_COLORS[outcome.verdict]}
              style={{ fontSize: 18, padding: '6px 14px' }}
              data-testid={`verdict-${outcome.verdict}`}
            >
              {t(`plans.lenses.verdicts.${outcome.verdict}`)}
            </Tag>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t(`plans.lenses.verdictHint.${outcome.verdict}`)}
            </Typography.Text>
          </Space>
        </Col>
        <Col xs={24} md={6}>
          <Statistic
            title={t('plans.lenses.achievable')}
            value={outcome.verdict === 'not_applicable' ? '—' : money.format(outcome.achievable)}
          />
          {editable && outcome.verdict !== 'not_applicable' && (
            <Button
              size="small"
              onClick={() => onAdopt(outcome.achievable)}
              style={{ marginTop: 4 }}
              data-testid="lens-achievable-adopt"
            >
              {t('plans.lenses.adopt')}
            </Button>
          )}
        </Col>
        <Col xs={24} md={12}>
          <Typography.Text strong>{t('plans.lenses.gaps')}</Typography.Text>
          <Table
            size="small"
            pagination={false}
            rowKey={(g) => `${g.from}-${g.to}`}
            dataSource={outcome.gaps}
            columns={[
              {
                title: t('plans.lenses.between'),
                key: 'pair',
                render: (_, g) => `${lensName(g.from)} − ${lensName(g.to)}`,
              },
              {
                title: t('plans.lenses.gap'),
                key: 'gap',
                align: 'right',
                render: (_, g) => (
                  <Typography.Text
                    type={g.gapFen > 0 && g.from === 'topDown' ? 'danger' : undefined}
                  >
                    {signed(g.gapFen)}
                  </Typography.Text>
                ),
              },
              {
                title: '%',
                key: 'pct',
                align: 'right',
                width: 80,
                render: (_, g) => (g.gapBp === null ? '—' : bpText(g.gapBp)),
              },
            ]}
          />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('plans.lenses.excess', {
              amount: signed(outcome.excessFen),
              pct: outcome.excessBp === null ? '—' : bpText(outcome.excessBp),
            })}
          </Typography.Text>
        </Col>
      </Row>
    </Card>
  );
}

/** A lens card's name over its one-line method, which wraps instead of cutting the name short. */
function LensTitle({ title, hint }: { title: string; hint: string }) {
  return (
    <div style={{ whiteSpace: 'normal', padding: '8px 0' }}>
      <div>{title}</div>
      <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
        {hint}
      </Typography.Text>
    </div>
  );
}
