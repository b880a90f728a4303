import { DiffOutlined, PlusOutlined, RightOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Flex,
  Form,
  Grid,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Typography,
  theme,
} from 'antd';
import { useState } from 'react';
import type { ButtonProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api/client.ts';
import { useSave } from '../../api/use-save.ts';
import { Page } from '../../components/page.tsx';
import { EmptyState, QueryState } from '../../components/query-state.tsx';
import { useMoney } from '../../format/money.tsx';
import { useLocalName } from '../../format/names.ts';
import { useCurrentUser } from '../../session/use-me.ts';
import { looksLikeDirector, plansKey, usePlans, type Plan, type PlanVersion } from './plan-api.ts';
import { StatusTag, WorkflowButtons } from './workflow.tsx';

export default function PlansPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const plans = usePlans();
  const [creating, setCreating] = useState(false);
  const director = looksLikeDirector(me);

  return (
    <Page
      title={t('plans.title')}
      testId="plans-page"
      extra={
        director && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setCreating(true)}
            // The dialog proposes the first year without a plan: it needs the list first.
            disabled={!plans.data}
            data-testid="plan-create"
          >
            {t('plans.create')}
          </Button>
        )
      }
    >
      <QueryState
        query={plans}
        isEmpty={(p) => p.length === 0}
        empty={<EmptyState description={t('plans.noPlans')} />}
      >
        {(list) => (
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            {[...list]
              .sort((a, b) => b.fiscalYear - a.fiscalYear)
              .map((p) => (
                <PlanCard key={p.id} plan={p} />
              ))}
          </Space>
        )}
      </QueryState>
      <CreatePlanDialog
        open={creating}
        onClose={() => setCreating(false)}
        taken={new Set((plans.data ?? []).map((p) => p.fiscalYear))}
      />
    </Page>
  );
}

function PlanCard({ plan }: { plan: Plan }) {
  const { t } = useTranslation();
  const localName = useLocalName();
  // On a phone the versions are a list of small cards and the compare picker sits above them:
  // an eight-column table and a title bar sharing its row with two selects do not fit 390 px.
  const phone = !Grid.useBreakpoint().md;
  const versions = [...plan.versions].sort((a, b) => b.number - a.number);
  const compare = versions.length > 1 && <ComparePicker plan={plan} versions={versions} />;

  return (
    <Card
      size="small"
      data-testid={`plan-FY${plan.fiscalYear}`}
      title={
        <Space wrap size={[8, 0]}>
          <Typography.Text strong>
            {t('plans.fiscalYear', { year: plan.fiscalYear })}
          </Typography.Text>
          <Typography.Text type="secondary">{localName(plan.nameZh, plan.nameEn)}</Typography.Text>
        </Space>
      }
      extra={!phone && compare}
    >
      {phone ? (
        <Flex vertical gap={8}>
          {compare}
          {versions.map((v) => (
            <VersionItem key={v.id} plan={plan} v={v} />
          ))}
        </Flex>
      ) : (
        <VersionTable plan={plan} versions={versions} />
      )}
    </Card>
  );
}

/** Two versions of one plan to compare; the label never shrinks below its own width. */
function ComparePicker({ plan, versions }: { plan: Plan; versions: PlanVersion[] }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [a, setA] = useState<number | undefined>(versions[1]?.id);
  const [b, setB] = useState<number | undefined>(versions[0]?.id);
  const options = versions.map((v) => ({
    value: v.id,
    label: t('plans.versionNo', { number: v.number }),
  }));
  return (
    <Flex wrap align="center" gap={4} data-testid={`plan-compare-picker-${plan.fiscalYear}`}>
      <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
        {t('plans.compare.title')}
      </Typography.Text>
      <Flex align="center" gap={4}>
        <Select size="small" style={{ width: 96 }} value={a} onChange={setA} options={options} />
        <span>→</span>
        <Select size="small" style={{ width: 96 }} value={b} onChange={setB} options={options} />
      </Flex>
      <Button
        size="small"
        icon={<DiffOutlined />}
        disabled={a === undefined || b === undefined || a === b}
        onClick={() => void navigate(`/plans/compare?a=${a}&b=${b}`)}
        data-testid={`plan-compare-${plan.fiscalYear}`}
      >
        {t('plans.compare.open')}
      </Button>
    </Flex>
  );
}

/** One version on a phone: number, status and target on top, what it is based on below. */
function VersionItem({ plan, v }: { plan: Plan; v: PlanVersion }) {
  const { t } = useTranslation();
  const money = useMoney();
  const { token } = theme.useToken();
  const base = plan.versions.find((x) => x.id === v.basedOnId);
  return (
    <div
      data-testid={`version-item-${v.id}`}
      style={{
        border: `1px solid ${token.colorBorderSecondary}`,
        borderRadius: token.borderRadius,
        padding: '8px 12px',
      }}
    >
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Space size={8}>
          <Link to={`/plans/versions/${v.id}`} data-testid={`version-link-${v.id}`}>
            {t('plans.versionNo', { number: v.number })}
          </Link>
          <StatusTag status={v.status} />
        </Space>
        <Typography.Text strong style={{ whiteSpace: 'nowrap' }}>
          {v.committedTarget === null ? (
            <Typography.Text type="secondary">{t('plans.notCommitted')}</Typography.Text>
          ) : (
            money.format(v.committedTarget)
          )}
        </Typography.Text>
      </Flex>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {[
          base ? `${t('plans.basedOn')} ${t('plans.versionNo', { number: base.number })}` : null,
          v.frozenBefore ? `${t('plans.frozenBefore')} ${v.frozenBefore}` : null,
          `${t('plans.createdAt')} ${v.createdAt.slice(0, 10)}`,
        ]
          .filter(Boolean)
          .join(' · ')}
      </Typography.Text>
      {v.note && (
        <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: 0, fontSize: 12 }}>
          {v.note}
        </Typography.Paragraph>
      )}
      <Flex wrap gap={4} style={{ marginTop: 4 }}>
        <WorkflowButtons version={v} />
      </Flex>
    </div>
  );
}

function VersionTable({ plan, versions }: { plan: Plan; versions: PlanVersion[] }) {
  const { t } = useTranslation();
  const money = useMoney();
  const navigate = useNavigate();
  return (
    <Table<PlanVersion>
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={versions}
      // Between a phone and a wide screen the table scrolls inside its card, not the page.
      scroll={{ x: 1010 }}
      columns={[
        {
          title: t('plans.version'),
          key: 'number',
          width: 110,
          render: (_, v) => (
            <Link to={`/plans/versions/${v.id}`} data-testid={`version-link-${v.id}`}>
              {t('plans.versionNo', { number: v.number })}
            </Link>
          ),
        },
        {
          title: t('plans.statusLabel'),
          key: 'status',
          width: 100,
          render: (_, v) => <StatusTag status={v.status} />,
        },
        {
          title: `${t('plans.committedTarget')}`,
          key: 'target',
          align: 'right',
          width: 160,
          render: (_, v) =>
            v.committedTarget === null ? (
              <Typography.Text type="secondary">{t('plans.notCommitted')}</Typography.Text>
            ) : (
              money.format(v.committedTarget)
            ),
        },
        {
          title: t('plans.basedOn'),
          key: 'based',
          width: 110,
          render: (_, v) => {
            const base = plan.versions.find((x) => x.id === v.basedOnId);
            return base ? t('plans.versionNo', { number: base.number }) : '—';
          },
        },
        {
          title: t('plans.frozenBefore'),
          key: 'frozen',
          width: 110,
          render: (_, v) => v.frozenBefore ?? '—',
        },
        {
          title: t('plans.createdAt'),
          key: 'created',
          width: 120,
          render: (_, v) => v.createdAt.slice(0, 10),
        },
        {
          title: t('plans.note'),
          dataIndex: 'note',
          ellipsis: true,
          render: (n: string) => n || '—',
        },
        {
          title: t('common.actions'),
          key: 'actions',
          width: 300,
          render: (_, v) => (
            <Space size={4} wrap>
              <WorkflowButtons version={v} />
              <Button
                size="small"
                type="link"
                onClick={() => void navigate(`/plans/versions/${v.id}`)}
                data-testid={`version-open-${v.id}`}
              >
                {t('plans.open')} <RightOutlined />
              </Button>
            </Space>
          ),
        },
      ]}
    />
  );
}

interface CreateValues {
  fiscalYear: number;
  nameZh: string;
  nameEn: string;
}

function CreatePlanDialog({
  open,
  onClose,
  taken,
}: {
  open: boolean;
  onClose: () => void;
  taken: Set<number>;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [form] = Form.useForm<CreateValues>();
  // The first year from this one on without a plan.
  let year = new Date().getFullYear();
  while (taken.has(year)) year++;

  const save = useSave({
    mutationFn: (v: CreateValues) => api.post<Plan>('/plans', v),
    invalidate: [plansKey],
    success: t('common.created'),
    onSuccess: (p) => {
      onClose();
      const v = p.versions[0];
      if (v) void navigate(`/plans/versions/${v.id}`);
    },
  });

  const syncNames = (fy: number | null) => {
    if (!fy) return;
    form.setFieldsValue({
      nameZh: t('plans.defaultNameZh', { year: fy }),
      nameEn: t('plans.defaultNameEn', { year: fy }),
    });
  };

  return (
    <Modal
      open={open}
      title={t('plans.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('plans.createOk')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'plan-create-ok' } as ButtonProps}
    >
      <Form<CreateValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{
          fiscalYear: year,
          nameZh: t('plans.defaultNameZh', { year }),
          nameEn: t('plans.defaultNameEn', { year }),
        }}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item
          name="fiscalYear"
          label={t('plans.fiscalYearLabel')}
          rules={[
            { required: true, message: t('common.required') },
            {
              validator: async (_, v: number) => {
                if (taken.has(v)) throw new Error(t('plans.yearTaken', { year: v }));
              },
            },
          ]}
        >
          <InputNumber
            min={2000}
            max={2100}
            precision={0}
            style={{ width: 160 }}
            onChange={(v) => syncNames(v)}
            data-testid="plan-year"
          />
        </Form.Item>
        <Form.Item
          name="nameZh"
          label={t('common.nameZh')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="nameEn"
          label={t('common.nameEn')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Input maxLength={100} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
