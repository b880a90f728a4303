import { Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../api/types.ts';

interface Row {
  field: string;
  before: unknown;
  after: unknown;
  changed: boolean;
}

function asRecord(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : null;
}

const show = (v: unknown) => (v === undefined ? '' : JSON.stringify(v));

/** Field-by-field before/after of one audit entry; changed fields first and highlighted. */
export function diffRows(entry: Pick<AuditEntry, 'before' | 'after'>): Row[] {
  const b = asRecord(entry.before);
  const a = asRecord(entry.after);
  if (!b && !a) return [];
  const keys = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])];
  const rows = keys.map((field) => {
    const before = b?.[field];
    const after = a?.[field];
    // Only a field present on both sides can be "unchanged"; a create or delete shows every field.
    const changed = !(b && a) || show(before) !== show(after);
    return { field, before, after, changed };
  });
  return rows.sort((x, y) => Number(y.changed) - Number(x.changed));
}

export function AuditDiff({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const rows = diffRows(entry);
  if (rows.length === 0) {
    const raw = entry.before ?? entry.after;
    return raw === null || raw === undefined ? (
      <Typography.Text type="secondary">{t('audit.noChanges')}</Typography.Text>
    ) : (
      <pre style={{ margin: 0 }}>{JSON.stringify(raw, null, 2)}</pre>
    );
  }
  const cell = (v: unknown, changed: boolean, side: 'before' | 'after') => (
    <code
      style={{
        whiteSpace: 'pre-wrap',
        wordBreak: 'break-all',
        background: changed ? (side === 'before' ? '#fff1f0' : '#f6ffed') : undefined,
        padding: '0 4px',
      }}
    >
      {show(v)}
    </code>
  );
  return (
    <Table<Row>
      size="small"
      rowKey="field"
      pagination={false}
      dataSource={rows}
      data-testid="audit-diff"
      columns={[
        {
          title: t('audit.field'),
          dataIndex: 'field',
          width: 200,
          render: (f: string, r) => (r.changed ? <strong>{f}</strong> : f),
        },
        {
          title: t('audit.before'),
          key: 'before',
          render: (_, r) => cell(r.before, r.changed, 'before'),
        },
        {
          title: t('audit.after'),
          key: 'after',
          render: (_, r) => cell(r.after, r.changed, 'after'),
        },
      ]}
    />
  );
}
