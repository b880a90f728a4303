import { EditOutlined, PlusOutlined, SwapOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Input, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { Member, Paged, Tier } from '../../api/types.ts';
import { ImportExportButtons } from '../../components/import-export-buttons.tsx';
import { OrgUnitSelect } from '../../components/org-unit-select.tsx';
import { Page } from '../../components/page.tsx';
import { EmptyState, LoadError } from '../../components/query-state.tsx';
import { TierTag } from '../../components/tags.tsx';
import { useLocalName } from '../../format/names.ts';
import { canEditMasterData, useCurrentUser } from '../../session/use-me.ts';
import { MemberDetailDrawer } from './member-detail.tsx';
import { MemberForm, TIERS } from './member-form.tsx';
import { TransferDialog } from './transfer-dialog.tsx';

interface Filters {
  q: string;
  tier?: Tier;
  unitId?: number;
  page: number;
  pageSize: number;
}

export default function MembersPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const localName = useLocalName();
  const editable = canEditMasterData(me.role);
  const [filters, setFilters] = useState<Filters>({ q: '', page: 1, pageSize: 20 });
  const [editing, setEditing] = useState<{ member: Member | null } | null>(null);
  const [transferring, setTransferring] = useState<Member | null>(null);
  const [detailId, setDetailId] = useState<number | null>(null);
  const patch = (p: Partial<Filters>) => setFilters((f) => ({ ...f, page: 1, ...p }));

  const members = useQuery({
    queryKey: ['members', 'list', filters],
    queryFn: () => api.get<Paged<Member>>('/members', { ...filters }),
    placeholderData: keepPreviousData,
  });

  return (
    <Page
      title={t('members.title')}
      testId="members-page"
      extra={
        <Space>
          <ImportExportButtons
            kind="members"
            invalidate={['members', 'org-units']}
            canImport={editable}
          />
          {editable && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setEditing({ member: null })}
              data-testid="member-add"
            >
              {t('common.add')}
            </Button>
          )}
        </Space>
      }
    >
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <Input.Search
            allowClear
            placeholder={t('common.searchPlaceholder')}
            onSearch={(q) => patch({ q })}
            style={{ width: 240 }}
            data-testid="member-search"
          />
          <Select<Tier>
            allowClear
            placeholder={t('members.tierFilter')}
            style={{ width: 140 }}
            value={filters.tier}
            onChange={(tier) => patch({ tier })}
            options={TIERS.map((x) => ({ value: x, label: t(`enums.tier.${x}`) }))}
            data-testid="member-tier-filter"
          />
          <OrgUnitSelect
            allowClear
            placeholder={t('members.unitFilter')}
            value={filters.unitId ?? null}
            onChange={(unitId) => patch({ unitId: unitId ?? undefined })}
            style={{ width: 220 }}
            data-testid="member-unit-filter"
          />
        </Space>
        {members.error ? (
          <LoadError error={members.error} onRetry={() => void members.refetch()} />
        ) : (
          <Table<Member>
            rowKey="id"
            size="middle"
            data-testid="members-table"
            loading={members.isFetching}
            dataSource={members.data?.items ?? []}
            locale={{ emptyText: <EmptyState description={t('members.empty')} /> }}
            pagination={{
              current: filters.page,
              pageSize: filters.pageSize,
              total: members.data?.total ?? 0,
              showSizeChanger: true,
              showTotal: (total) => t('common.total', { total }),
              onChange: (page, pageSize) => setFilters((f) => ({ ...f, page, pageSize })),
            }}
            onRow={(m) => ({ onDoubleClick: () => setDetailId(m.id) })}
            columns={[
              { title: t('common.code'), dataIndex: 'code', width: 110 },
              {
                title: t('common.name'),
                key: 'name',
                render: (_, m) => (
                  <a onClick={() => setDetailId(m.id)}>{localName(m.nameZh, m.nameEn)}</a>
                ),
              },
              {
                title: t('members.tier'),
                dataIndex: 'tier',
                width: 100,
                render: (_, m) => <TierTag tier={m.tier} />,
              },
              {
                title: t('members.unit'),
                key: 'unit',
                render: (_, m) => localName(m.unitNameZh, m.unitNameEn) || '—',
              },
              { title: t('members.hireDate'), dataIndex: 'hireDate', width: 120 },
              {
                title: t('members.status'),
                key: 'status',
                width: 100,
                render: (_, m) =>
                  m.leaveDate ? (
                    <Tag>{t('members.left')}</Tag>
                  ) : (
                    <Tag color="green">{t('members.active')}</Tag>
                  ),
              },
              {
                title: t('members.email'),
                dataIndex: 'email',
                render: (v: string | null) => v ?? '—',
              },
              ...(editable
                ? [
                    {
                      title: t('common.actions'),
                      key: 'actions',
                      width: 170,
                      render: (_: unknown, m: Member) => (
                        <Space size={0}>
                          <Button
                            type="link"
                            size="small"
                            icon={<EditOutlined />}
                            onClick={() => setEditing({ member: m })}
                          >
                            {t('common.edit')}
                          </Button>
                          <Button
                            type="link"
                            size="small"
                            icon={<SwapOutlined />}
                            onClick={() => setTransferring(m)}
                            data-testid={`member-transfer-${m.code}`}
                          >
                            {t('members.transfer')}
                          </Button>
                        </Space>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        )}
      </Card>
      <MemberForm
        open={editing !== null}
        member={editing?.member ?? null}
        onClose={() => setEditing(null)}
      />
      <TransferDialog member={transferring} onClose={() => setTransferring(null)} />
      <MemberDetailDrawer memberId={detailId} onClose={() => setDetailId(null)} />
    </Page>
  );
}
