import { Alert, Card, DatePicker, Flex, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { OrgUnitSelect } from '../../components/org-unit-select.tsx';
import { Page } from '../../components/page.tsx';
import { LoadError, Loading } from '../../components/query-state.tsx';
import { useLocalName } from '../../format/names.ts';
import { useMe } from '../../session/use-me.ts';
import { chinaToday } from '../tracking/period.ts';
import { pct } from '../tracking/use-metric-format.ts';
import {
  CopyTextButton,
  DayStatistics,
  FiguresRow,
  LeadersCard,
  MessagePreview,
} from './report-parts.tsx';
import { useBattleReport } from './reports-api.ts';
import { ScheduleButton } from './schedule-dialog.tsx';

const positiveInt = (s: string | null) => {
  const n = Number(s);
  return s && Number.isSafeInteger(n) && n > 0 ? n : undefined;
};

/**
 * 每日战报: what a unit's group receives every morning, as a page — the day, the month to date
 * against time progress with the gap and the run-rate needed, the top three and who is behind.
 * Unit and day live in the URL (the message links here).
 */
export default function BattleReportPage() {
  const { t, i18n } = useTranslation();
  const name = useLocalName();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const unitId = positiveInt(params.get('unit'));
  const dateParam = params.get('date');
  const date = dateParam && /^\d{4}-\d{2}-\d{2}$/.test(dateParam) ? dateParam : undefined;
  const today = chinaToday();
  const q = useBattleReport(unitId, date);
  const r = q.data?.report;

  const set = (next: { unit?: number; date?: string }) => {
    const p: Record<string, string> = {};
    const u = next.unit ?? unitId;
    const d = next.date ?? date;
    if (u) p.unit = String(u);
    if (d) p.date = d;
    setParams(p);
  };

  return (
    <Page
      title={t('reports.battleTitle')}
      testId="battle-report-page"
      extra={
        <Space wrap>
          <OrgUnitSelect
            data-testid="report-unit"
            value={unitId ?? r?.unit.id ?? null}
            onChange={(u) => u && set({ unit: u })}
          />
          <DatePicker
            data-testid="report-date"
            allowClear={false}
            value={dayjs(date ?? r?.date ?? today)}
            disabledDate={(d) => d.format('YYYY-MM-DD') >= today}
            onChange={(d) => d && set({ date: d.format('YYYY-MM-DD') })}
          />
          {q.data && <CopyTextButton text={q.data.text} />}
          {me.data?.role === 'admin' && <ScheduleButton />}
        </Space>
      }
    >
      {q.isPending ? (
        <Loading />
      ) : q.error || !q.data || !r ? (
        <LoadError error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <Flex vertical gap={16} style={{ opacity: q.isPlaceholderData ? 0.6 : 1 }}>
          <Typography.Text type="secondary" data-testid="report-heading">
            {t('reports.battleHeading', {
              unit: name(r.unit.nameZh, r.unit.nameEn),
              date: r.date,
            })}
          </Typography.Text>
          <Card size="small" title={t('reports.day', { date: r.date })}>
            <DayStatistics day={r.day} />
          </Card>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('reports.monthToDate', {
              month: r.month,
              time: pct(r.monthToDate[0]?.timeProgressBp),
              days: r.remainingWorkingDays,
            })}
          </Typography.Title>
          <FiguresRow figures={r.monthToDate} prefix="mtd" />
          {r.leaders.top.length === 0 && !r.leaders.behind ? (
            <Alert type="info" showIcon title={t('reports.noRanking')} />
          ) : (
            <LeadersCard leaders={r.leaders} title={t(`reports.topThree.${r.leaders.by}`)} />
          )}
          <MessagePreview text={q.data.text[i18n.language === 'en' ? 'en' : 'zh-CN']} />
        </Flex>
      )}
    </Page>
  );
}
