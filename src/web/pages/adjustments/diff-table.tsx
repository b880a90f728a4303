import { Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMoney } from '../../format/money.tsx';
import { useLocalName } from '../../format/names.ts';
import type { DiffRow } from './adjustment-api.ts';

/** Every cell a change touches, before and after: the asked ones first, then those that follow. */
export function DiffTable({ rows, money: isMoney = true }: { rows: DiffRow[]; money?: boolean }) {
  const { t } = useTranslation();
  const money = useMoney();
  const localName = useLocalName();
  const fmt = (v: number) => (isMoney ? money.format(v) : String(v));
  const [dims, setDims] = useState(false);
  const hidden = rows.filter((r) => r.dimensional).length;
  const shown = dims ? rows : rows.filter((r) => !r.dimensional);
  return (
    <>
      {hidden > 0 && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          <Switch size="small" checked={dims} onChange={setDims} />{' '}
          {t('adjustments.dimensionCells', { n: hidden })}
        </Typography.Paragraph>
      )}
      <Table<DiffRow>
        data-testid="adjustment-diff"
        size="small"
        rowKey="cellId"
        dataSource={shown}
        pagination={shown.length > 20 ? { pageSize: 20 } : false}
        scroll={{ x: 'max-content' }}
        columns={[
          {
            title: t('adjustments.col.owner'),
            render: (_, r) => localName(r.nameZh, r.nameEn),
          },
          { title: t('adjustments.col.period'), dataIndex: 'period' },
          {
            title: t('adjustments.col.before'),
            align: 'right',
            render: (_, r) => fmt(r.before),
          },
          {
            title: t('adjustments.col.after'),
            align: 'right',
            render: (_, r) => <strong>{fmt(r.after)}</strong>,
          },
          {
            title: t('adjustments.col.change'),
            align: 'right',
            render: (_, r) => {
              const d = r.after - r.before;
              return (
                <span style={{ color: d < 0 ? '#cf1322' : '#389e0d' }}>
                  {d > 0 ? '+' : ''}
                  {fmt(d)}
                </span>
              );
            },
          },
          {
            title: t('adjustments.col.kind'),
            render: (_, r) =>
              r.requested ? (
                <Tag color="blue">{t('adjustments.requested')}</Tag>
              ) : (
                <Tag>{t('adjustments.absorbed')}</Tag>
              ),
          },
        ]}
      />
    </>
  );
}
