import { DiffOutlined, PlusOutlined, RightOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Typography,
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
  const money = useMoney();
  const localName = useLocalName();
  const navigate = useNavigate();
  const versions = [...plan.versions].sort((a, b) => b.number - a.number);
  const [a, setA] = useState<number | undefined>(versions[1]?.id);
  const [b, setB] = useState<number | undefined>(versions[0]?.id);
  const options = versions.map((v) => ({
    value: v.id,
    label: t('plans.versionNo', { number: v.number }),
  }));

  return (
    <Card
      size="small"
      data-testid={`plan-FY${plan.fiscalYear}`}
      title={
        <Space>
          <Typography.Text strong>
            {t('plans.fiscalYear', { year: plan.fiscalYear })}
          </Typography.Text>
          <Typography.Text type="secondary">{localName(plan.nameZh, plan.nameEn)}</Typography.Text>
        </Space>
      }
      extra={
        versions.length > 1 && (
          <Space size={4}>
            <Typography.Text type="secondary">{t('plans.compare.title')}</Typography.Text>
            <Select
              size="small"
              style={{ width: 110 }}
              value={a}
              onChange={setA}
              options={options}
            />
            <span>→</span>
            <Select
              size="small"
              style={{ width: 110 }}
              value={b}
              onChange={setB}
              options={options}
            />
            <Button
              size="small"
              icon={<DiffOutlined />}
              disabled={a === undefined || b === undefined || a === b}
              onClick={() => void navigate(`/plans/compare?a=${a}&b=${b}`)}
              data-testid={`plan-compare-${plan.fiscalYear}`}
            >
              {t('plans.compare.open')}
            </Button>
          </Space>
        )
      }
    >
      <Table<PlanVersion>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={versions}
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
    </Card>
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
