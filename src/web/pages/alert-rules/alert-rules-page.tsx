import { EditOutlined, HistoryOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useSave } from '../../api/use-save.ts';
import { Page } from '../../components/page.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { useLocalName } from '../../format/names.ts';
import { SeverityTag } from '../inbox/alert-tags.tsx';
import { useOrgUnits } from '../org/org-tree.ts';
import { RuleForm } from './rule-form.tsx';
import { useJoin, useThresholdText } from './rule-text.ts';
import { RuleVersions } from './rule-versions.tsx';
import { rulesKey, toInput, useAlertRules, type AlertRule } from './rules-api.ts';

/** 预警规则 (admins): every rule with its settings, switched on and off in place, edited in a form. */
export default function AlertRulesPage() {
  const { t } = useTranslation();
  const localName = useLocalName();
  const units = useOrgUnits();
  const rules = useAlertRules();
  const thresholdText = useThresholdText();
  const join = useJoin();
  const [editing, setEditing] = useState<AlertRule | 'new' | null>(null);
  const [history, setHistory] = useState<AlertRule | null>(null);
  const toggle = useSave<AlertRule, AlertRule>({
    mutationFn: (r) =>
      api.put<AlertRule>(`/alert-rules/${r.id}`, {
        ...toInput(r),
        enabled: !r.enabled,
        version: r.version,
      }),
    invalidate: [rulesKey],
  });
  const unitName = (id: number | null) => {
    if (id === null) return t('alerts.rules.scopeCompany');
    const u = units.data?.find((x) => x.id === id);
    return u ? localName(u.nameZh, u.nameEn) : `#${id}`;
  };

  return (
    <Page
      title={t('alerts.rules.title')}
      testId="alert-rules-page"
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          data-testid="alert-rule-add"
          onClick={() => setEditing('new')}
        >
          {t('alerts.rules.add')}
        </Button>
      }
    >
      <QueryState query={rules}>
        {(list) => (
          <Table<AlertRule>
            data-testid="alert-rules-table"
            rowKey="id"
            size="middle"
            dataSource={list}
            pagination={false}
            scroll={{ x: 1100 }}
            columns={[
              {
                key: 'name',
                title: t('alerts.rules.name'),
                width: 240,
                render: (_, r) => (
                  <Space orientation="vertical" size={2}>
                    <Typography.Text strong>{localName(r.nameZh, r.nameEn)}</Typography.Text>
                    <Space size={4} wrap>
                      <Tooltip title={t(`alerts.kindHelp.${r.kind}`)}>
                        <Tag>{t(`alerts.kind.${r.kind}`)}</Tag>
                      </Tooltip>
                      {!r.available && (
                        <Tooltip title={t('alerts.rules.notAvailableHelp')}>
                          <Tag color="default" data-testid={`alert-rule-unavailable-${r.id}`}>
                            {t('alerts.rules.notAvailable')}
                          </Tag>
                        </Tooltip>
                      )}
                    </Space>
                  </Space>
                ),
              },
              {
                key: 'metric',
                title: `${t('alerts.rules.metric')} · ${t('alerts.rules.periodKind')}`,
                render: (_, r) =>
                  `${t(`alerts.rules.metricName.${r.metric}`, { defaultValue: r.metric })} · ${t(`alerts.rules.period.${r.periodKind}`)}`,
              },
              {
                key: 'threshold',
                title: t('alerts.rules.threshold'),
                render: (_, r) => (
                  <Tooltip title={t(`alerts.rules.thresholdLabel.${r.kind}`)}>
                    <span data-testid={`alert-rule-threshold-${r.id}`}>
                      {thresholdText(r.kind, r.threshold, r.thresholdUnit)}
                    </span>
                    {r.consecutivePeriods > 1 && (
                      <Typography.Text type="secondary">
                        {' × '}
                        {r.consecutivePeriods}
                      </Typography.Text>
                    )}
                  </Tooltip>
                ),
              },
              {
                key: 'scope',
                title: `${t('alerts.rules.scope')} · ${t('alerts.rules.subjects')}`,
                width: 150,
                render: (_, r) =>
                  `${unitName(r.scopeUnitId)} · ${t(`alerts.rules.subject.${r.subjects}`)}`,
              },
              {
                key: 'severity',
                title: t('alerts.rules.severity'),
                render: (_, r) => <SeverityTag severity={r.severity} />,
              },
              {
                key: 'notify',
                title: `${t('alerts.rules.recipients')} · ${t('alerts.rules.channels')}`,
                width: 220,
                render: (_, r) => (
                  <Space orientation="vertical" size={0}>
                    {join(r.recipients.map((x) => t(`alerts.rules.recipient.${x}`)))}
                    <Typography.Text type="secondary">
                      {join(r.channels.map((x) => t(`alerts.rules.channel.${x}`))) || '—'}
                    </Typography.Text>
                  </Space>
                ),
              },
              {
                key: 'escalate',
                title: t('alerts.rules.escalateAfterDays'),
                render: (_, r) =>
                  r.escalateAfterDays === null
                    ? t('alerts.rules.escalateNever')
                    : t('alerts.rules.thresholdDays', { value: r.escalateAfterDays }),
              },
              {
                key: 'enabled',
                title: t('alerts.rules.enabled'),
                render: (_, r) => (
                  <Switch
                    checked={r.enabled}
                    loading={toggle.isPending && toggle.variables?.id === r.id}
                    onChange={() => toggle.mutate(r)}
                    data-testid={`alert-rule-enabled-${r.id}`}
                    aria-label={t('alerts.rules.enabled')}
                  />
                ),
              },
              {
                key: 'actions',
                title: t('common.actions'),
                render: (_, r) => (
                  <Space size={0}>
                    <Button
                      type="link"
                      icon={<EditOutlined />}
                      data-testid={`alert-rule-edit-${r.id}`}
                      onClick={() => setEditing(r)}
                    >
                      {t('common.edit')}
                    </Button>
                    <Button
                      type="link"
                      icon={<HistoryOutlined />}
                      data-testid={`alert-rule-history-${r.id}`}
                      onClick={() => setHistory(r)}
                    >
                      {t('alerts.rules.history')}
                    </Button>
                  </Space>
                ),
              },
            ]}
          />
        )}
      </QueryState>
      {editing && (
        <RuleForm rule={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      )}
      <RuleVersions rule={history} onClose={() => setHistory(null)} />
    </Page>
  );
}
