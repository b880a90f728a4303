import { ExportOutlined, SaveOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Progress, Select, Space, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, withQuery } from '../../api/client.ts';
import { useSave } from '../../api/use-save.ts';
import { LoadError, Loading } from '../../components/query-state.tsx';
import { MoneyInput, useMoney, type MoneyValue } from '../../format/money.tsx';
import { useLocalName } from '../../format/names.ts';
import { useCurrentUser } from '../../session/use-me.ts';
import {
  bpText,
  canPlan,
  PLAN_KEYS,
  proposalsKey,
  type Proposal,
  type ProposalNode,
  type Proposals,
  type VersionDetail,
} from './plan-api.ts';

interface TreeNode {
  key: string;
  node: ProposalNode;
  children?: TreeNode[];
}

function toTree(nodes: ProposalNode[]): TreeNode[] {
  const byRef = new Map<string, TreeNode>();
  const roots: TreeNode[] = [];
  for (const n of nodes) {
    const t: TreeNode = { key: n.ref, node: n };
    byRef.set(n.ref, t);
    const parent = n.parentRef ? byRef.get(n.parentRef) : undefined;
    if (parent) (parent.children ??= []).push(t);
    else roots.push(t);
  }
  return roots;
}

/**
 * Top-down meets bottom-up (METHOD §3): each node's assigned number against the roll-up of its
 * subordinates' proposals, the gap to negotiate and how much of the subtree has proposed.
 * Managers propose for their subtree, reps for themselves, while the version is a draft.
 */
export function ProposalsView({ v }: { v: VersionDetail }) {
  const { t, i18n } = useTranslation();
  const me = useCurrentUser();
  const money = useMoney();
  const localName = useLocalName();
  const fy = `FY${v.plan.fiscalYear}`;
  const [period, setPeriod] = useState(fy);
  const [drafts, setDrafts] = useState<Record<string, MoneyValue>>({});
  const proposals = useQuery({
    queryKey: [proposalsKey, v.id, period],
    queryFn: () =>
      api.get<Proposals>(`/plan-versions/${v.id}/proposals`, { metric: 'revenue', period }),
  });
  const tree = useMemo(() => toTree(proposals.data?.nodes ?? []), [proposals.data]);
  const draft = v.status === 'draft';
  const mayPropose = (n: ProposalNode) =>
    draft && (canPlan(me) || (n.ownerType === 'member' && n.ownerId === me.memberId));

  const save = useSave({
    mutationFn: (n: ProposalNode) =>
      api.put<Proposal>(`/plan-versions/${v.id}/proposals`, {
        metricCode: 'revenue',
        ownerType: n.ownerType,
        ownerId: n.ownerId,
        period,
        value: drafts[n.ref] as number,
        note: '',
      }),
    invalidate: PLAN_KEYS,
    onSuccess: (_, n) => setDrafts(({ [n.ref]: _drop, ...rest }) => rest),
  });

  return (
    <Card size="small" data-testid="proposals-view">
      <Space style={{ marginBottom: 8 }} wrap>
        <span>{t('plans.proposals.period')}</span>
        <Select
          value={period}
          onChange={setPeriod}
          style={{ width: 140 }}
          options={[fy, ...v.months].map((p) => ({ value: p, label: p }))}
        />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('plans.proposals.hint')} · {money.label}
        </Typography.Text>
        <Button
          size="small"
          icon={<ExportOutlined />}
          href={withQuery(`/plan-versions/${v.id}/proposals.xlsx`, {
            metric: 'revenue',
            period,
            lang: i18n.language,
          })}
          download
          data-testid="proposals-export"
        >
          {t('common.exportXlsx')}
        </Button>
      </Space>
      {proposals.isPending ? (
        <Loading />
      ) : proposals.error ? (
        <LoadError error={proposals.error} onRetry={() => void proposals.refetch()} />
      ) : (
        <Table<TreeNode>
          size="small"
          bordered
          pagination={false}
          dataSource={tree}
          scroll={{ x: 1000, y: 620 }}
          expandable={{ defaultExpandedRowKeys: tree.map((n) => n.key), indentSize: 14 }}
          columns={[
            {
              title: t('plans.grid.owner'),
              key: 'owner',
              fixed: 'left',
              width: 220,
              render: (_, r) => localName(r.node.nameZh, r.node.nameEn),
            },
            {
              title: t('plans.proposals.assigned'),
              key: 'assigned',
              align: 'right',
              width: 130,
              render: (_, r) => money.format(r.node.assigned),
            },
            {
              title: t('plans.proposals.proposed'),
              key: 'proposed',
              align: 'right',
              width: 130,
              render: (_, r) => money.format(r.node.proposed),
            },
            {
              title: t('plans.proposals.gap'),
              key: 'gap',
              align: 'right',
              width: 130,
              render: (_, r) =>
                r.node.gap === null ? (
                  '—'
                ) : (
                  <Typography.Text
                    type={r.node.gap > 0 ? 'danger' : r.node.gap < 0 ? 'success' : undefined}
                    strong={r.node.gap !== 0}
                  >
                    {r.node.gap > 0 ? '+' : r.node.gap < 0 ? '−' : ''}
                    {money.format(Math.abs(r.node.gap))}
                  </Typography.Text>
                ),
            },
            {
              title: t('plans.proposals.coverage'),
              key: 'coverage',
              width: 150,
              render: (_, r) => (
                <Space size={4}>
                  <Progress
                    percent={
                      r.node.leaves ? Math.round((r.node.leavesProposed / r.node.leaves) * 100) : 0
                    }
                    size="small"
                    style={{ width: 60 }}
                    showInfo={false}
                  />
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {r.node.leavesProposed}/{r.node.leaves}
                    {r.node.coverageBp !== null && ` · ${bpText(r.node.coverageBp)}`}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: t('plans.proposals.own'),
              key: 'own',
              width: 230,
              render: (_, r) =>
                mayPropose(r.node) ? (
                  <Space.Compact style={{ width: '100%' }}>
                    <div style={{ flex: 1 }}>
                      <MoneyInput
                        value={drafts[r.node.ref] ?? r.node.ownProposal}
                        onChange={(x) => setDrafts((d) => ({ ...d, [r.node.ref]: x }))}
                        placeholder={t('plans.proposals.none')}
                      />
                    </div>
                    <Button
                      icon={<SaveOutlined />}
                      disabled={typeof drafts[r.node.ref] !== 'number'}
                      loading={save.isPending && save.variables.ref === r.node.ref}
                      onClick={() => save.mutate(r.node)}
                      aria-label={t('common.save')}
                    />
                  </Space.Compact>
                ) : (
                  money.format(r.node.ownProposal)
                ),
            },
          ]}
        />
      )}
    </Card>
  );
}
