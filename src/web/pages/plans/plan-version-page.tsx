import { ArrowLeftOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Space, Tabs } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { Page } from '../../components/page.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { useMoney } from '../../format/money.tsx';
import { useLocalName } from '../../format/names.ts';
import { useCurrentUser } from '../../session/use-me.ts';
import { CalendarWarning } from './calendar-warning.tsx';
import { DecomposeTab } from './decompose-tab.tsx';
import { LensesTab } from './lenses-tab.tsx';
import { MonthlyTableTab } from './monthly-table-tab.tsx';
import { useVersion, type VersionDetail } from './plan-api.ts';
import { GridTab } from './target-grid.tsx';
import { StatusTag, WorkflowButtons } from './workflow.tsx';

const TABS = ['set', 'decompose', 'grid', 'monthly'] as const;
type TabKey = (typeof TABS)[number];

/** One plan version: set the number, decompose it, edit the grid, the monthly target table. */
export default function PlanVersionPage() {
  const { id } = useParams();
  const versionId = Number(id);
  const version = useVersion(versionId);
  return <QueryState query={version}>{(v) => <VersionScreen v={v} />}</QueryState>;
}

function VersionScreen({ v }: { v: VersionDetail }) {
  const { t } = useTranslation();
  const money = useMoney();
  const localName = useLocalName();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  // A rep reads his own targets: setting the number and decomposing it are not his to do.
  const rep = useCurrentUser().role === 'rep';
  const tabs: readonly TabKey[] = rep ? ['grid', 'monthly'] : TABS;
  // Without a tab in the address: start where the work is, and stay there while the version changes.
  const [fallback] = useState<TabKey>(v.committedTarget === null && !rep ? 'set' : 'grid');
  const tab: TabKey = (tabs as readonly string[]).includes(params.get('tab') ?? '')
    ? (params.get('tab') as TabKey)
    : fallback;
  const setTab = (k: string) =>
    setParams((p) => ({ ...Object.fromEntries(p), tab: k }), { replace: true });
  const draft = v.status === 'draft';

  return (
    <Page
      testId="plan-version-page"
      title={
        <Space>
          <Button
            type="text"
            icon={<ArrowLeftOutlined />}
            onClick={() => void navigate('/plans')}
            aria-label={t('plans.backToList')}
          />
          {localName(v.plan.nameZh, v.plan.nameEn)}
          <span>· {t('plans.versionNo', { number: v.number })}</span>
          <StatusTag status={v.status} />
        </Space>
      }
      extra={<WorkflowButtons version={v} canApprove={v.canApprove} size="middle" />}
    >
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions
          size="small"
          column={{ xs: 1, md: 3, xl: 6 }}
          items={[
            {
              key: 'fy',
              label: t('plans.fiscalYearLabel'),
              children: `FY${v.plan.fiscalYear} (${v.months[0] ?? ''} – ${v.months.at(-1) ?? ''})`,
            },
            {
              key: 'target',
              label: t('plans.committedTarget'),
              children: (
                <strong data-testid="header-committed">
                  {v.committedTarget === null
                    ? t('plans.notCommitted')
                    : money.format(v.committedTarget)}
                </strong>
              ),
            },
            {
              key: 'sprint',
              label: t('plans.tiers.sprint'),
              children: v.tiers ? money.format(v.tiers.sprint) : '—',
            },
            {
              key: 'frozen',
              label: t('plans.frozenBefore'),
              children: v.frozenBefore ?? t('common.none'),
            },
            // The optimistic-lock `version` is not shown: next to "第 2 版" it read as a second
            // version number. It travels with every write, never on screen.
            { key: 'note', label: t('plans.note'), children: v.note || '—' },
          ]}
        />
        {!draft && (
          <Alert
            style={{ marginTop: 8 }}
            type="info"
            showIcon
            title={t(v.canApprove ? 'plans.readOnlyHint' : 'plans.readOnlyHintReader', {
              status: t(`plans.status.${v.status}`),
            })}
          />
        )}
        {v.frozenBefore && draft && (
          <Alert
            style={{ marginTop: 8 }}
            type="warning"
            showIcon
            title={t('plans.frozenHint', { month: v.frozenBefore })}
          />
        )}
        <CalendarWarning v={v} style={{ marginTop: 8 }} />
      </Card>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyOnHidden
        items={[
          {
            key: 'set' as const,
            label: <span data-testid="tab-set">{t('plans.tabs.set')}</span>,
            children: <LensesTab v={v} />,
          },
          {
            key: 'decompose' as const,
            label: <span data-testid="tab-decompose">{t('plans.tabs.decompose')}</span>,
            children: <DecomposeTab v={v} onBuilt={() => setTab('grid')} />,
          },
          {
            key: 'grid' as const,
            label: <span data-testid="tab-grid">{t('plans.tabs.grid')}</span>,
            children: <GridTab v={v} />,
          },
          {
            key: 'monthly' as const,
            label: <span data-testid="tab-monthly">{t('plans.tabs.monthly')}</span>,
            children: <MonthlyTableTab v={v} />,
          },
        ].filter((item) => tabs.includes(item.key))}
      />
    </Page>
  );
}
