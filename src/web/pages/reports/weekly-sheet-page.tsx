import { Card, DatePicker, Flex, List, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { addDays } from '../../../domain/dates.ts';
import { isoWeekOf, periodRange } from '../../../domain/periods.ts';
import { OrgUnitSelect } from '../../components/org-unit-select.tsx';
import { Page } from '../../components/page.tsx';
import { LoadError, Loading } from '../../components/query-state.tsx';
import { useLocalName } from '../../format/names.ts';
import { chinaToday } from '../tracking/period.ts';
import { pct } from '../tracking/use-metric-format.ts';
import { CopyTextButton, FiguresRow, LeadersCard, MessagePreview } from './report-parts.tsx';
import { useWeeklySheet } from './reports-api.ts';

const positiveInt = (s: string | null) => {
  const n = Number(s);
  return s && Number.isSafeInteger(n) && n > 0 ? n : undefined;
};

const SEVERITY_COLOR = { info: 'blue', warning: 'orange', critical: 'red' } as const;

/**
 * 周会: the sheet for the weekly review meeting — the week against its target, the month to the
 * week's last counted day, the week's top three and who is behind, and the unit's open alerts
 * (the section appears when there are any).
 */
export default function WeeklySheetPage() {
  const { t, i18n } = useTranslation();
  const name = useLocalName();
  const [params, setParams] = useSearchParams();
  const unitId = positiveInt(params.get('unit'));
  const weekParam = params.get('week');
  const week = weekParam && /^\d{4}-W\d{2}$/.test(weekParam) ? weekParam : undefined;
  const yesterday = addDays(chinaToday(), -1);
  const q = useWeeklySheet(unitId, week);
  const s = q.data?.report;

  const set = (next: { unit?: number; week?: string }) => {
    const p: Record<string, string> = {};
    const u = next.unit ?? unitId;
    const w = next.week ?? week;
    if (u) p.unit = String(u);
    if (w) p.week = w;
    setParams(p);
  };
  const shownWeek = week ?? s?.week ?? isoWeekOf(yesterday);

  return (
    <Page
      title={t('reports.weeklyTitle')}
      testId="weekly-sheet-page"
      extra={
        <Space wrap>
          <OrgUnitSelect
            data-testid="report-unit"
            value={unitId ?? s?.unit.id ?? null}
            onChange={(u) => u && set({ unit: u })}
          />
          <DatePicker
            data-testid="report-week"
            picker="week"
            allowClear={false}
            value={dayjs(periodRange(shownWeek).start)}
            format={(d) => isoWeekOf(d.format('YYYY-MM-DD'))}
            disabledDate={(d) => d.format('YYYY-MM-DD') > yesterday}
            onChange={(d) => d && set({ week: isoWeekOf(d.format('YYYY-MM-DD')) })}
          />
          {q.data && <CopyTextButton text={q.data.text} />}
        </Space>
      }
    >
      {q.isPending ? (
        <Loading />
      ) : q.error || !q.data || !s ? (
        <LoadError error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <Flex vertical gap={16} style={{ opacity: q.isPlaceholderData ? 0.6 : 1 }}>
          <Typography.Text type="secondary" data-testid="report-heading">
            {t('reports.weeklyHeading', {
              unit: name(s.unit.nameZh, s.unit.nameEn),
              week: s.week,
              start: s.start,
              end: s.end,
            })}
            {s.asOf < s.end && ` ${t('reports.countedTo', { date: s.asOf })}`}
          </Typography.Text>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('reports.thisWeek', { time: pct(s.weekFigures[0]?.timeProgressBp) })}
          </Typography.Title>
          <FiguresRow figures={s.weekFigures} prefix="week" />
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('reports.monthToDate', {
              month: s.month,
              time: pct(s.monthToDate[0]?.timeProgressBp),
              days: s.remainingWorkingDays,
            })}
          </Typography.Title>
          <FiguresRow figures={s.monthToDate} prefix="mtd" />
          <LeadersCard leaders={s.leaders} title={t(`reports.weekTopThree.${s.leaders.by}`)} />
          {s.openAlerts.length > 0 && (
            <Card size="small" title={t('reports.openAlerts', { n: s.openAlerts.length })}>
              <List
                size="small"
                dataSource={s.openAlerts}
                renderItem={(a) => (
                  <List.Item>
                    <Space>
                      <Tag color={SEVERITY_COLOR[a.severity]}>
                        {t(`reports.severity.${a.severity}`)}
                      </Tag>
                      {a.link ? (
                        <a href={a.link}>{name(a.textZh, a.textEn)}</a>
                      ) : (
                        name(a.textZh, a.textEn)
                      )}
                    </Space>
                  </List.Item>
                )}
              />
            </Card>
          )}
          <MessagePreview text={q.data.text[i18n.language === 'en' ? 'en' : 'zh-CN']} />
        </Flex>
      )}
    </Page>
  );
}
