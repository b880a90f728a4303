import { useQuery } from '@tanstack/react-query';
import { Button, Segmented, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api/client.ts';
import { Page } from '../../components/page.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { useMoney } from '../../format/money.tsx';
import { useCurrentUser } from '../../session/use-me.ts';
import { STATE_COLOR, type AdjustmentSummary } from './adjustment-api.ts';

type Box = 'awaiting' | 'mine' | 'all';

/** 目标调整: requests awaiting my decision, my own, and all I may read. */
export default function AdjustmentsPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const money = useMoney();
  const navigate = useNavigate();
  const canRequest = me.role === 'manager' || me.role === 'rep';
  const [box, setBox] = useState<Box>(canRequest && me.role === 'rep' ? 'mine' : 'awaiting');
  const list = useQuery({
    queryKey: ['adjustments', box],
    queryFn: () => api.get<AdjustmentSummary[]>('/adjustments', { box }),
  });
  return (
    <Page
      title={t('adjustments.title')}
      testId="adjustments-page"
      extra={
        canRequest && (
          <Button type="primary" onClick={() => void navigate('/adjustments/new')}>
            {t('adjustments.newRequest')}
          </Button>
        )
      }
    >
      <Segmented<Box>
        style={{ marginBottom: 12 }}
        value={box}
        onChange={setBox}
        options={(['awaiting', 'mine', 'all'] as const).map((b) => ({
          value: b,
          label: t(`adjustments.boxes.${b}`),
        }))}
      />
      <QueryState query={list}>
        {(rows) => (
          <Table<AdjustmentSummary>
            data-testid="adjustments-list"
            size="small"
            rowKey="id"
            dataSource={rows}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: t('adjustments.empty') }}
            columns={[
              {
                title: t('adjustments.col.id'),
                render: (_, r) => <Link to={`/adjustments/${r.id}`}>#{r.id}</Link>,
              },
              {
                title: t('adjustments.col.state'),
                render: (_, r) => (
                  <Tag color={STATE_COLOR[r.state]}>{t(`adjustments.states.${r.state}`)}</Tag>
                ),
              },
              { title: t('adjustments.col.requester'), dataIndex: 'requester' },
              {
                title: t('adjustments.col.reason'),
                render: (_, r) => t(`adjustments.reasons.${r.reasonCategory}`),
              },
              {
                title: t('adjustments.col.delta'),
                align: 'right',
                render: (_, r) => money.format(r.delta),
              },
              {
                title: t('adjustments.col.step'),
                render: (_, r) =>
                  r.steps === 0 ? '—' : `${Math.min(r.currentStep, r.steps)}/${r.steps}`,
              },
              {
                title: t('adjustments.col.created'),
                render: (_, r) => r.createdAt.slice(0, 16).replace('T', ' '),
              },
            ]}
          />
        )}
      </QueryState>
    </Page>
  );
}
