import { useQuery } from '@tanstack/react-query';
import { Descriptions, Drawer, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { MemberDetail } from '../../api/types.ts';
import { EmptyState, QueryState } from '../../components/query-state.tsx';
import { TierTag } from '../../components/tags.tsx';
import { useLocalName } from '../../format/names.ts';

export function MemberDetailDrawer({
  memberId,
  onClose,
}: {
  memberId: number | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const detail = useQuery({
    queryKey: ['members', 'detail', memberId],
    queryFn: () => api.get<MemberDetail>(`/members/${memberId}`),
    enabled: memberId !== null,
  });
  return (
    <Drawer
      open={memberId !== null}
      size={520}
      title={t('members.detailTitle')}
      onClose={onClose}
      destroyOnHidden
    >
      <div data-testid="member-detail">
        <QueryState query={detail}>
          {(m) => (
            <>
              <Descriptions
                column={1}
                size="small"
                bordered
                items={[
                  { key: 'code', label: t('common.code'), children: m.code },
                  { key: 'zh', label: t('common.nameZh'), children: m.nameZh },
                  { key: 'en', label: t('common.nameEn'), children: m.nameEn },
                  { key: 'tier', label: t('members.tier'), children: <TierTag tier={m.tier} /> },
                  {
                    key: 'unit',
                    label: t('members.unit'),
                    children: localName(m.unitNameZh, m.unitNameEn) || t('common.none'),
                  },
                  { key: 'hire', label: t('members.hireDate'), children: m.hireDate },
                  { key: 'leave', label: t('members.leaveDate'), children: m.leaveDate ?? '—' },
                  { key: 'email', label: t('members.email'), children: m.email ?? '—' },
                  {
                    key: 'dingtalkMobile',
                    label: t('members.dingtalkMobile'),
                    children: m.dingtalkMobile ?? '—',
                  },
                  {
                    key: 'wecomUserId',
                    label: t('members.wecomUserId'),
                    children: m.wecomUserId ?? '—',
                  },
                ]}
              />
              <Typography.Title level={5} style={{ marginTop: 24 }}>
                {t('members.history')}
              </Typography.Title>
              {m.memberships.length === 0 ? (
                <EmptyState description={t('members.noHistory')} />
              ) : (
                <Timeline
                  data-testid="member-history"
                  items={[...m.memberships]
                    .sort((a, b) => b.startDate.localeCompare(a.startDate))
                    .map((ms) => ({
                      key: ms.id,
                      color: ms.endDate ? 'gray' : 'green',
                      title: `${ms.startDate} → ${ms.endDate ?? t('members.current')}`,
                      content: localName(ms.unitNameZh, ms.unitNameEn),
                    }))}
                />
              )}
            </>
          )}
        </QueryState>
      </div>
    </Drawer>
  );
}
