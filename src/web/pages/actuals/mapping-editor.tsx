import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Form, Input, Modal, Select, Space, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useSave } from '../../api/use-save.ts';
import {
  fieldOfHeader,
  useFactFields,
  mappingsKey,
  type ColumnMapping,
  type FactKind,
} from './facts-api.ts';

interface Row {
  header: string;
  field: string | null;
}
interface Values {
  name: string;
  rows: Row[];
  /** How the source system writes amounts and dates: applied when an import does not choose. */
  rounding: 'none' | 'half-up' | 'half-even';
  dateFormat: 'auto' | 'YMD' | 'MDY' | 'DMY';
}

const IGNORE = '__ignore__';

/**
 * A saved column mapping: which field each header of a system's export means (e.g. the CRM's
 * "成交金额" is the amount), or that a column is ignored. Headers matching the template need no
 * entry. `headers` pre-fills the rows from the chosen file when it is a CSV.
 */
export function MappingEditor({
  kind,
  open,
  mapping,
  headers,
  onClose,
  onSaved,
}: {
  kind: FactKind;
  open: boolean;
  mapping: ColumnMapping | null;
  headers: string[];
  onClose: () => void;
  onSaved: (m: ColumnMapping) => void;
}) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<Values>();
  const en = i18n.language === 'en';
  const fields = useFactFields(kind).data ?? [];
  const options = [
    { value: IGNORE, label: t('actuals.mapping.ignore') },
    ...fields.map((f) => ({
      value: f.field,
      label: `${en ? f.en : f.zh}${f.required ? ' *' : ''}`,
    })),
  ];

  useEffect(() => {
    if (!open) return;
    const rows: Row[] = mapping
      ? Object.entries(mapping.mapping).map(([header, field]) => ({
          header,
          field: field ?? IGNORE,
        }))
      : headers.map((header) => ({ header, field: fieldOfHeader(fields, header) }));
    form.setFieldsValue({
      name: mapping?.name ?? '',
      rows: rows.length ? rows : [{ header: '', field: null }],
      rounding: mapping?.options.rounding ?? 'none',
      dateFormat: mapping?.options.dateFormat ?? 'auto',
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reset when the dialog opens (or its fields arrive)
  }, [open, mapping, fields.length]);

  const save = useSave({
    mutationFn: (v: Values) => {
      const body = Object.fromEntries(
        v.rows
          .filter((r) => r.header?.trim() && r.field)
          .map((r) => [r.header.trim(), r.field === IGNORE ? null : r.field]),
      );
      const options = { rounding: v.rounding, dateFormat: v.dateFormat };
      return mapping
        ? api.put<ColumnMapping>(`/facts/mappings/${mapping.id}`, {
            name: v.name,
            mapping: body,
            options,
            version: mapping.version,
          })
        : api.post<ColumnMapping>('/facts/mappings', {
            kind,
            name: v.name,
            mapping: body,
            options,
          });
    },
    invalidate: [mappingsKey[0]],
    onSuccess: (m) => {
      onSaved(m);
      onClose();
    },
  });

  return (
    <Modal
      open={open}
      title={mapping ? t('actuals.mapping.editTitle') : t('actuals.mapping.newTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      width={640}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('actuals.mapping.hint')}</Typography.Paragraph>
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={(v) => save.mutate(v)}
        data-testid="mapping-form"
      >
        <Form.Item
          name="name"
          label={t('actuals.mapping.name')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Input maxLength={100} placeholder={t('actuals.mapping.namePlaceholder')} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="rounding" label={t('actuals.rounding.label')}>
            <Select
              style={{ width: 260 }}
              data-testid="mapping-rounding"
              options={[
                { value: 'none', label: t('actuals.rounding.none') },
                { value: 'half-up', label: t('actuals.rounding.halfUp') },
                { value: 'half-even', label: t('actuals.rounding.halfEven') },
              ]}
            />
          </Form.Item>
          <Form.Item name="dateFormat" label={t('actuals.dateFormat.label')}>
            <Select
              style={{ width: 260 }}
              data-testid="mapping-date-format"
              options={(['auto', 'YMD', 'MDY', 'DMY'] as const).map((f) => ({
                value: f,
                label: t(`actuals.dateFormat.${f}`),
              }))}
            />
          </Form.Item>
        </Space>
        <Form.List name="rows">
          {(items, { add, remove }) => (
            <>
              {items.map((item) => (
                <Space key={item.key} align="start" style={{ display: 'flex' }}>
                  <Form.Item name={[item.name, 'header']} style={{ width: 260, marginBottom: 8 }}>
                    <Input placeholder={t('actuals.mapping.header')} />
                  </Form.Item>
                  <Form.Item name={[item.name, 'field']} style={{ width: 240, marginBottom: 8 }}>
                    <Select
                      options={options}
                      placeholder={t('actuals.mapping.field')}
                      allowClear
                      showSearch={{ optionFilterProp: 'label' }}
                    />
                  </Form.Item>
                  <Button
                    type="text"
                    icon={<DeleteOutlined />}
                    onClick={() => remove(item.name)}
                    aria-label={t('common.delete')}
                  />
                </Space>
              ))}
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => add({ header: '', field: null })}
              >
                {t('actuals.mapping.addRow')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
