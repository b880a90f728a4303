import { PlusOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import {
  DIMENSIONS,
  type Dimension,
  type DimensionItem,
  type ImportKind,
} from '../../api/types.ts';
import { useSave } from '../../api/use-save.ts';
import { useDimension } from '../../components/dimension-select.tsx';
import { ImportExportButtons } from '../../components/import-export-buttons.tsx';
import { Page } from '../../components/page.tsx';
import { EmptyState, LoadError } from '../../components/query-state.tsx';
import { useLocalName } from '../../format/names.ts';
import { useCurrentUser } from '../../session/use-me.ts';
import { formatPercent } from '../../../domain/percent.ts';
import { attrFields, attrsOf, type AttrFields } from './dimension-attrs.ts';

const IMPORT_KIND: Record<Dimension, ImportKind> = {
  channel: 'channels',
  region: 'regions',
  segment: 'segments',
  customer_type: 'customer-types',
};

export default function DimensionsPage() {
  const { t } = useTranslation();
  const [active, setActive] = useState<Dimension>('channel');
  const editable = useCurrentUser().role === 'admin';
  return (
    <Page title={t('dimensions.title')} testId="dimensions-page">
      <Typography.Paragraph type="secondary">{t('dimensions.intro')}</Typography.Paragraph>
      <Card size="small">
        <Tabs
          activeKey={active}
          onChange={(k) => setActive(k as Dimension)}
          tabBarExtraContent={
            <ImportExportButtons
              key={active}
              kind={IMPORT_KIND[active]}
              invalidate={['dimensions', 'customers']}
              canImport={editable}
            />
          }
          items={DIMENSIONS.map((d) => ({
            key: d,
            label: <span data-testid={`dimension-tab-${d}`}>{t(`enums.dimension.${d}`)}</span>,
            children: <DimensionTable dimension={d} editable={editable} />,
          }))}
        />
      </Card>
    </Page>
  );
}

function AttrsCell({ item }: { item: DimensionItem }) {
  const { t } = useTranslation();
  const a = item.attrs as {
    kind?: string;
    monthlyLeadSupply?: number;
    leadToDealBp?: number;
    maturity?: string;
  };
  if (item.dimension === 'channel') {
    return (
      <Space size={4} wrap>
        {a.kind && <Tag>{t(`dimensions.channelKinds.${a.kind}`)}</Tag>}
        {a.monthlyLeadSupply !== undefined && (
          <span>{`${t('dimensions.monthlyLeadSupply')}: ${a.monthlyLeadSupply.toLocaleString()}`}</span>
        )}
        {a.leadToDealBp !== undefined && (
          <span>{`· ${t('dimensions.leadToDeal')}: ${formatPercent(a.leadToDealBp, 2)}`}</span>
        )}
      </Space>
    );
  }
  if (item.dimension === 'region' && a.maturity) {
    return (
      <Tag color={a.maturity === 'emerging' ? 'orange' : 'blue'}>
        {t(`dimensions.maturities.${a.maturity}`)}
      </Tag>
    );
  }
  return <>—</>;
}

function DimensionTable({ dimension, editable }: { dimension: Dimension; editable: boolean }) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const items = useDimension(dimension);
  const [editing, setEditing] = useState<{ item: DimensionItem | null } | null>(null);
  const remove = useSave({
    mutationFn: (d: DimensionItem) =>
      api.del(`/dimensions/${dimension}/${d.id}`, { version: d.version }),
    invalidate: ['dimensions'],
    success: t('common.deleted'),
  });
  const hasAttrs = dimension === 'channel' || dimension === 'region';
  const name = t(`enums.dimension.${dimension}`);

  if (items.error) return <LoadError error={items.error} onRetry={() => void items.refetch()} />;
  return (
    <>
      {editable && (
        <Button
          type="primary"
          icon={<PlusOutlined />}
          style={{ marginBottom: 12 }}
          onClick={() => setEditing({ item: null })}
        >
          {t('common.add')}
        </Button>
      )}
      <Table<DimensionItem>
        rowKey="id"
        size="middle"
        loading={items.isPending}
        dataSource={items.data ?? []}
        pagination={false}
        locale={{
          emptyText: <EmptyState description={t('dimensions.empty', { dimension: name })} />,
        }}
        columns={[
          { title: t('common.code'), dataIndex: 'code', width: 140 },
          { title: t('common.nameZh'), dataIndex: 'nameZh' },
          { title: t('common.nameEn'), dataIndex: 'nameEn' },
          ...(hasAttrs
            ? [
                {
                  title: t('dimensions.attrs'),
                  key: 'attrs',
                  render: (_: unknown, d: DimensionItem) => <AttrsCell item={d} />,
                },
              ]
            : []),
          { title: t('common.sortOrder'), dataIndex: 'sortOrder', width: 90 },
          ...(editable
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 150,
                  render: (_: unknown, d: DimensionItem) => (
                    <Space size={0}>
                      <Button type="link" size="small" onClick={() => setEditing({ item: d })}>
                        {t('common.edit')}
                      </Button>
                      <Popconfirm
                        title={t('common.confirmDelete', { name: localName(d.nameZh, d.nameEn) })}
                        okText={t('common.delete')}
                        cancelText={t('common.cancel')}
                        okButtonProps={{ danger: true }}
                        onConfirm={() => remove.mutate(d)}
                      >
                        <Button type="link" size="small" danger>
                          {t('common.delete')}
                        </Button>
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <DimensionForm dimension={dimension} state={editing} onClose={() => setEditing(null)} />
    </>
  );
}

interface Values extends AttrFields {
  code: string;
  nameZh: string;
  nameEn: string;
  sortOrder: number;
}

function DimensionForm({
  dimension,
  state,
  onClose,
}: {
  dimension: Dimension;
  state: { item: DimensionItem | null } | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const item = state?.item ?? null;
  useEffect(() => {
    if (!state) return;
    form.resetFields();
    if (state.item) form.setFieldsValue({ ...state.item, ...attrFields(state.item.attrs) });
    else
      form.setFieldsValue({
        sortOrder: 0,
        kind: dimension === 'channel' ? 'online' : undefined,
        maturity: dimension === 'region' ? 'mature' : undefined,
      });
  }, [state, form, dimension]);

  const save = useSave({
    mutationFn: (v: Values) => {
      const attrs = attrsOf(dimension, v);
      const body = {
        code: v.code,
        nameZh: v.nameZh,
        nameEn: v.nameEn,
        sortOrder: v.sortOrder,
        attrs,
      };
      return item
        ? api.put<DimensionItem>(`/dimensions/${dimension}/${item.id}`, {
            ...body,
            version: item.version,
          })
        : api.post<DimensionItem>(`/dimensions/${dimension}`, body);
    },
    invalidate: ['dimensions'],
    success: item ? undefined : t('common.created'),
    onSuccess: onClose,
    onConflict: onClose,
  });
  const required = [{ required: true, message: t('common.required') }];
  const name = t(`enums.dimension.${dimension}`);
  return (
    <Modal
      open={state !== null}
      title={
        item
          ? t('dimensions.editTitle', { dimension: name })
          : t('dimensions.createTitle', { dimension: name })
      }
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onCancel={onClose}
      onOk={() => void form.validateFields().then((v) => save.mutate(v))}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Form.Item name="code" label={t('common.code')} rules={required}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="nameZh" label={t('common.nameZh')} rules={required}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="nameEn" label={t('common.nameEn')} rules={required}>
          <Input maxLength={100} />
        </Form.Item>
        {dimension === 'channel' && (
          <>
            <Form.Item name="kind" label={t('dimensions.channelKind')} rules={required}>
              <Select
                options={['online', 'offline', 'partner'].map((k) => ({
                  value: k,
                  label: t(`dimensions.channelKinds.${k}`),
                }))}
              />
            </Form.Item>
            <Form.Item name="monthlyLeadSupply" label={t('dimensions.monthlyLeadSupply')}>
              <InputNumber min={0} precision={0} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="leadToDealPct" label={t('dimensions.leadToDeal')}>
              <InputNumber
                min={0}
                max={100}
                precision={2}
                suffix="%"
                style={{ width: '100%' }}
                data-testid="dimension-lead-to-deal"
              />
            </Form.Item>
          </>
        )}
        {dimension === 'region' && (
          <Form.Item name="maturity" label={t('dimensions.maturity')} rules={required}>
            <Select
              options={['mature', 'emerging'].map((k) => ({
                value: k,
                label: t(`dimensions.maturities.${k}`),
              }))}
            />
          </Form.Item>
        )}
        <Form.Item name="sortOrder" label={t('common.sortOrder')}>
          <InputNumber precision={0} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
