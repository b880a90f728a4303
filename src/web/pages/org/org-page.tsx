import {
  DeleteOutlined,
  DragOutlined,
  EditOutlined,
  PlusOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Button,
  Card,
  Col,
  Descriptions,
  Input,
  Popconfirm,
  Row,
  Space,
  Table,
  Tree,
  Typography,
  type TreeDataNode,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { Member, OrgUnit, Paged } from '../../api/types.ts';
import { useSave } from '../../api/use-save.ts';
import { ImportExportButtons } from '../../components/import-export-buttons.tsx';
import { Page } from '../../components/page.tsx';
import { EmptyState, LoadError, Loading } from '../../components/query-state.tsx';
import { KindTag, TierTag } from '../../components/tags.tsx';
import { useLocalName } from '../../format/names.ts';
import { canEditMasterData, useCurrentUser } from '../../session/use-me.ts';
import { OrgUnitForm, type OrgFormMode } from './org-unit-form.tsx';
import { buildTree, useOrgUnits, type TreeNode } from './org-tree.ts';

export default function OrgPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const units = useOrgUnits();
  const localName = useLocalName();
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [filter, setFilter] = useState('');
  const [form, setForm] = useState<OrgFormMode | null>(null);
  const editable = canEditMasterData(me.role);

  const list = useMemo(() => units.data ?? [], [units.data]);
  const selected = list.find((u) => u.id === selectedId) ?? list[0] ?? null;

  const treeData = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const matches = (u: OrgUnit) =>
      !needle || [u.code, u.nameZh, u.nameEn].some((s) => s.toLowerCase().includes(needle));
    const toNode = (n: TreeNode<OrgUnit>): TreeDataNode | null => {
      const children = n.children.map(toNode).filter((c): c is TreeDataNode => c !== null);
      if (!matches(n.item) && children.length === 0) return null;
      const manager = localName(n.item.managerNameZh, n.item.managerNameEn);
      return {
        key: n.item.id,
        title: (
          <Space size={6} data-testid={`org-node-${n.item.code}`}>
            <span>{localName(n.item.nameZh, n.item.nameEn)}</span>
            <KindTag kind={n.item.kind} />
            {manager && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                <UserOutlined /> {manager}
              </Typography.Text>
            )}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              <TeamOutlined /> {n.item.memberCount}
            </Typography.Text>
          </Space>
        ),
        children,
      };
    };
    return buildTree(list)
      .map(toNode)
      .filter((n): n is TreeDataNode => n !== null);
  }, [list, filter, localName]);

  const remove = useSave({
    mutationFn: (u: OrgUnit) => api.del(`/org-units/${u.id}`, { version: u.version }),
    invalidate: ['org-units'],
    success: t('common.deleted'),
    onSuccess: () => setSelectedId(null),
  });

  let body;
  if (units.isPending) body = <Loading />;
  else if (units.error)
    body = <LoadError error={units.error} onRetry={() => void units.refetch()} />;
  else if (list.length === 0) body = <EmptyState description={t('org.noUnits')} />;
  else
    body = (
      <Row gutter={16}>
        <Col xs={24} lg={10}>
          <Card
            size="small"
            title={
              <Input.Search
                allowClear
                placeholder={t('org.searchTree')}
                onChange={(e) => setFilter(e.target.value)}
              />
            }
          >
            <div data-testid="org-tree">
              <Tree
                blockNode
                defaultExpandAll
                showLine
                treeData={treeData}
                selectedKeys={selected ? [selected.id] : []}
                onSelect={(keys) => keys[0] !== undefined && setSelectedId(Number(keys[0]))}
              />
            </div>
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          {selected ? (
            <Space orientation="vertical" style={{ width: '100%' }} size={16}>
              <Card
                size="small"
                data-testid="org-detail"
                title={
                  <Space>
                    {localName(selected.nameZh, selected.nameEn)}
                    <KindTag kind={selected.kind} />
                  </Space>
                }
                extra={
                  editable && (
                    <Space wrap>
                      <Button
                        size="small"
                        icon={<PlusOutlined />}
                        onClick={() => setForm({ mode: 'create', parent: selected })}
                        data-testid="org-add-child"
                      >
                        {t('org.addChild')}
                      </Button>
                      <Button
                        size="small"
                        icon={<EditOutlined />}
                        onClick={() => setForm({ mode: 'edit', unit: selected })}
                        data-testid="org-edit"
                      >
                        {t('common.edit')}
                      </Button>
                      {selected.parentId !== null && (
                        <Button
                          size="small"
                          icon={<DragOutlined />}
                          onClick={() => setForm({ mode: 'move', unit: selected })}
                          data-testid="org-move"
                        >
                          {t('org.move')}
                        </Button>
                      )}
                      {selected.parentId !== null && (
                        <Popconfirm
                          title={t('common.confirmDelete', {
                            name: localName(selected.nameZh, selected.nameEn),
                          })}
                          description={t('org.deleteHint')}
                          okText={t('common.delete')}
                          cancelText={t('common.cancel')}
                          okButtonProps={{ danger: true }}
                          onConfirm={() => remove.mutate(selected)}
                        >
                          <Button
                            size="small"
                            danger
                            icon={<DeleteOutlined />}
                            loading={remove.isPending}
                            data-testid="org-delete"
                          >
                            {t('common.delete')}
                          </Button>
                        </Popconfirm>
                      )}
                    </Space>
                  )
                }
              >
                <Descriptions
                  size="small"
                  column={2}
                  items={[
                    { key: 'code', label: t('common.code'), children: selected.code },
                    {
                      key: 'kind',
                      label: t('org.kind'),
                      children: t(`enums.orgKind.${selected.kind}`),
                    },
                    { key: 'zh', label: t('common.nameZh'), children: selected.nameZh },
                    { key: 'en', label: t('common.nameEn'), children: selected.nameEn },
                    {
                      key: 'manager',
                      label: t('org.manager'),
                      children:
                        localName(selected.managerNameZh, selected.managerNameEn) ||
                        t('common.none'),
                    },
                    {
                      key: 'count',
                      label: t('org.memberCount'),
                      children: t('org.memberCountValue', { count: selected.memberCount }),
                    },
                    {
                      key: 'parent',
                      label: t('org.parent'),
                      children: (() => {
                        const p = list.find((u) => u.id === selected.parentId);
                        return p ? localName(p.nameZh, p.nameEn) : t('common.none');
                      })(),
                    },
                    { key: 'version', label: t('common.version'), children: selected.version },
                  ]}
                />
              </Card>
              <UnitMembers unit={selected} />
            </Space>
          ) : (
            <EmptyState description={t('org.selectHint')} />
          )}
        </Col>
      </Row>
    );

  return (
    <Page
      title={t('org.title')}
      testId="org-page"
      extra={
        <ImportExportButtons
          kind="org-units"
          invalidate={['org-units', 'members']}
          canImport={editable}
        />
      }
    >
      {body}
      <OrgUnitForm
        state={form}
        onClose={() => setForm(null)}
        onSaved={(u) => setSelectedId(u.id)}
      />
    </Page>
  );
}

function UnitMembers({ unit }: { unit: OrgUnit }) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const [page, setPage] = useState(1);
  const [prevUnit, setPrevUnit] = useState(unit.id);
  if (prevUnit !== unit.id) {
    setPrevUnit(unit.id);
    setPage(1);
  }
  const members = useQuery({
    queryKey: ['members', { unitId: unit.id, page }],
    queryFn: () => api.get<Paged<Member>>('/members', { unitId: unit.id, page, pageSize: 10 }),
    placeholderData: (prev) => prev,
  });
  return (
    <Card size="small" title={t('org.members')} data-testid="org-unit-members">
      {members.error ? (
        <LoadError error={members.error} onRetry={() => void members.refetch()} />
      ) : (
        <Table<Member>
          size="small"
          rowKey="id"
          loading={members.isFetching}
          dataSource={members.data?.items ?? []}
          locale={{ emptyText: <EmptyState description={t('org.noMembers')} /> }}
          pagination={{
            current: page,
            pageSize: 10,
            total: members.data?.total ?? 0,
            onChange: setPage,
            size: 'small',
            hideOnSinglePage: true,
          }}
          columns={[
            { title: t('common.code'), dataIndex: 'code', width: 100 },
            {
              title: t('common.name'),
              key: 'name',
              render: (_, m) => localName(m.nameZh, m.nameEn),
            },
            {
              title: t('members.tier'),
              dataIndex: 'tier',
              render: (_, m) => <TierTag tier={m.tier} />,
            },
            {
              title: t('members.unit'),
              key: 'unit',
              render: (_, m) => localName(m.unitNameZh, m.unitNameEn),
            },
          ]}
        />
      )}
    </Card>
  );
}
