import { Badge, Card, Flex, List, Select, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { Me } from '../../api/types.ts';
import { QueryState } from '../../components/query-state.tsx';
import { useLocalName } from '../../format/names.ts';
import { useCurrentUser } from '../../session/use-me.ts';
import { AlertDrawer } from './alert-detail.tsx';
import { KindTag, SeverityTag, StateTag } from './alert-tags.tsx';
import {
  ALERT_RULE_KINDS,
  ALERT_SEVERITIES,
  STATE_FILTERS,
  useAlerts,
  useAlertSummary,
  type AlertFilters,
  type AlertItem,
  type AlertView,
} from './alerts-api.ts';

/**
 * The second tab: a manager's subtree, everything for the roles that see the whole company.
 * Reps have only their own alerts.
 */
export function teamView(me: Me): AlertView | null {
  if (me.scope.all) return 'all';
  if (me.role === 'manager' && me.scope.unitPaths.length > 0) return 'team';
  return null;
}

/** Whole days since an ISO time (the age of an alert). */
export function ageDays(iso: string, now: number = Date.now()): number {
  return Math.max(0, Math.floor((now - new Date(iso).getTime()) / 86_400_000));
}

/** 工作台: my alerts and my team's, filtered; a row opens the alert (also from '/?alert=<id>'). */
export function Inbox() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const second = teamView(me);
  // Without a member record nothing is about me or assigned to me: only the second tab.
  const hasMine = me.memberId !== null || second === null;
  const [view, setView] = useState<AlertView>(hasMine ? 'mine' : (second ?? 'mine'));
  const [filters, setFilters] = useState<AlertFilters>({ state: 'active' });
  const summary = useAlertSummary();
  const list = useAlerts(view, filters);
  const alertId = Number(params.get('alert')) || null;

  const open = (id: number | null) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (id === null) next.delete('alert');
        else next.set('alert', String(id));
        return next;
      },
      { replace: id === null },
    );

  const count = (n: number | undefined) =>
    n ? <Badge count={n} size="small" offset={[6, -2]} overflowCount={99} /> : null;
  const tabs = [
    ...(hasMine
      ? [
          {
            key: 'mine',
            label: (
              <span data-testid="inbox-tab-mine">
                {t('alerts.mine')}
                {count(summary.data?.mine)}
              </span>
            ),
          },
        ]
      : []),
    ...(second
      ? [
          {
            key: second,
            label: (
              <span data-testid="inbox-tab-team">
                {t(`alerts.${second}`)}
                {second === 'team' && count(summary.data?.team)}
              </span>
            ),
          },
        ]
      : []),
  ];

  return (
    <Card data-testid="inbox" styles={{ body: { paddingTop: 4 } }}>
      <Tabs activeKey={view} onChange={(k) => setView(k as AlertView)} items={tabs} />
      <Flex wrap gap={8} style={{ marginBottom: 12 }}>
        <Select
          data-testid="inbox-filter-state"
          aria-label={t('alerts.filterState')}
          value={filters.state}
          onChange={(state) => setFilters((f) => ({ ...f, state }))}
          options={STATE_FILTERS.map((s) => ({ value: s, label: t(`alerts.state.${s}`) }))}
          style={{ minWidth: 150 }}
        />
        <Select
          data-testid="inbox-filter-severity"
          aria-label={t('alerts.filterSeverity')}
          allowClear
          placeholder={t('alerts.anySeverity')}
          value={filters.severity}
          onChange={(severity) => setFilters((f) => ({ ...f, severity }))}
          options={ALERT_SEVERITIES.map((s) => ({ value: s, label: t(`alerts.severity.${s}`) }))}
          style={{ minWidth: 120 }}
        />
        <Select
          data-testid="inbox-filter-kind"
          aria-label={t('alerts.filterKind')}
          allowClear
          placeholder={t('alerts.anyKind')}
          value={filters.ruleKind}
          onChange={(ruleKind) => setFilters((f) => ({ ...f, ruleKind }))}
          options={ALERT_RULE_KINDS.map((k) => ({ value: k, label: t(`alerts.kind.${k}`) }))}
          style={{ minWidth: 150 }}
        />
      </Flex>
      <QueryState
        query={list}
        isEmpty={(d) => d.items.length === 0}
        empty={
          <Typography.Paragraph type="secondary" style={{ textAlign: 'center', padding: 24 }}>
            {filters.state === 'active' && !filters.severity && !filters.ruleKind
              ? t('alerts.emptyActive')
              : t('alerts.empty')}
          </Typography.Paragraph>
        }
      >
        {(d) => (
          <>
            <List
              data-testid="inbox-list"
              dataSource={d.items}
              rowKey="id"
              renderItem={(a) => <AlertRow alert={a} onOpen={() => open(a.id)} />}
            />
            {d.nextCursor && <Typography.Text type="secondary">{t('alerts.more')}</Typography.Text>}
          </>
        )}
      </QueryState>
      <AlertDrawer alertId={alertId} onClose={() => open(null)} />
    </Card>
  );
}

function AlertRow({ alert: a, onOpen }: { alert: AlertItem; onOpen: () => void }) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const age = ageDays(a.openedAt);
  const subject = localName(a.subject.nameZh, a.subject.nameEn);
  const unit = localName(a.subject.unitNameZh, a.subject.unitNameEn);
  return (
    <List.Item
      data-testid={`alert-row-${a.id}`}
      onClick={onOpen}
      style={{ cursor: 'pointer', display: 'block', paddingInline: 4 }}
    >
      <Flex justify="space-between" align="flex-start" gap={8}>
        <Flex vertical gap={4} style={{ minWidth: 0, flex: 1 }}>
          <Flex wrap gap={6} align="center">
            <SeverityTag severity={a.severity} />
            <KindTag kind={a.ruleKind} />
            {a.state !== 'open' && <StateTag state={a.state} />}
            <Typography.Text strong>{subject}</Typography.Text>
            {a.subject.type === 'member' && unit && (
              <Typography.Text type="secondary">{unit}</Typography.Text>
            )}
            <Typography.Text type="secondary">{a.period}</Typography.Text>
          </Flex>
          <Typography.Paragraph
            ellipsis={{ rows: 2, tooltip: a.summary }}
            style={{ margin: 0 }}
            data-testid="alert-summary"
          >
            {a.summary}
          </Typography.Paragraph>
        </Flex>
        <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }} title={a.openedAt}>
          {age === 0 ? t('alerts.ageToday') : t('alerts.ageDays', { count: age })}
        </Typography.Text>
      </Flex>
    </List.Item>
  );
}
