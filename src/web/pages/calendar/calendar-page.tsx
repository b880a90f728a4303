import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  Flex,
  Form,
  Input,
  Modal,
  Radio,
  Row,
  Space,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { CalendarDay, CalendarYear, DayKind, OverrideKind } from '../../api/types.ts';
import { useSave } from '../../api/use-save.ts';
import { Page } from '../../components/page.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { monthName } from '../../format/months.ts';

const KIND_STYLE: Record<DayKind, { background: string; color: string }> = {
  workday: { background: '#ffffff', color: 'rgba(0,0,0,0.88)' },
  weekend: { background: '#f0f0f0', color: 'rgba(0,0,0,0.45)' },
  holiday: { background: '#fff1f0', color: '#cf1322' },
  makeup: { background: '#fff7e6', color: '#d46b08' },
};
const KINDS: DayKind[] = ['workday', 'weekend', 'holiday', 'makeup'];
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export default function CalendarPage() {
  const { t } = useTranslation();
  const [year, setYear] = useState(() => dayjs().year());
  const [editing, setEditing] = useState<CalendarDay | null>(null);
  const calendar = useQuery({
    queryKey: ['calendar', year],
    queryFn: () => api.get<CalendarYear>(`/calendar/${year}`),
  });

  return (
    <Page
      title={t('calendar.title')}
      testId="calendar-page"
      extra={
        <Space>
          <Button
            icon={<LeftOutlined />}
            onClick={() => setYear((y) => y - 1)}
            aria-label={String(year - 1)}
          />
          <Typography.Text strong style={{ fontSize: 16 }} data-testid="calendar-year">
            {year}
          </Typography.Text>
          <Button
            icon={<RightOutlined />}
            onClick={() => setYear((y) => y + 1)}
            aria-label={String(year + 1)}
          />
        </Space>
      }
    >
      <QueryState query={calendar}>
        {(cal) => (
          <Space orientation="vertical" style={{ width: '100%' }} size={16}>
            {!cal.hasOfficialData && (
              <Alert
                type="warning"
                showIcon
                title={t('calendar.noOfficial', { year: cal.year })}
                description={t('calendar.noOfficialHint')}
                data-testid="calendar-no-official"
              />
            )}
            <Card size="small">
              <Flex justify="space-between" wrap gap={12}>
                <Space wrap>
                  <Typography.Text type="secondary">{t('calendar.legend')}:</Typography.Text>
                  {KINDS.map((k) => (
                    <Tag key={k} style={{ ...KIND_STYLE[k], borderColor: '#d9d9d9' }}>
                      {t(`enums.dayKind.${k}`)}
                    </Tag>
                  ))}
                  <Tag style={{ borderStyle: 'dashed', borderColor: '#1f5fd6' }}>
                    {t('calendar.overridden')}
                  </Tag>
                </Space>
                <Space>
                  <Typography.Text strong>
                    {t('calendar.workingDays', { count: cal.workingDays })}
                  </Typography.Text>
                  <Typography.Text type="secondary">{t('calendar.clickHint')}</Typography.Text>
                </Space>
              </Flex>
            </Card>
            <YearGrid cal={cal} onPick={setEditing} />
          </Space>
        )}
      </QueryState>
      <OverrideDialog day={editing} year={year} onClose={() => setEditing(null)} />
    </Page>
  );
}

function YearGrid({ cal, onPick }: { cal: CalendarYear; onPick: (d: CalendarDay) => void }) {
  const byMonth = useMemo(() => {
    const months: CalendarDay[][] = Array.from({ length: 12 }, () => []);
    for (const d of cal.days) months[Number(d.date.slice(5, 7)) - 1]?.push(d);
    return months;
  }, [cal.days]);
  return (
    <Row gutter={[16, 16]}>
      {byMonth.map((days, i) => (
        <Col xs={24} sm={12} lg={8} xl={6} key={i}>
          <MonthCard month={i + 1} days={days} onPick={onPick} />
        </Col>
      ))}
    </Row>
  );
}

function MonthCard({
  month,
  days,
  onPick,
}: {
  month: number;
  days: CalendarDay[];
  onPick: (d: CalendarDay) => void;
}) {
  const { t, i18n } = useTranslation();
  const first = days[0];
  // Weeks start on Monday in China; pad the first row up to the month's first weekday.
  const lead = first ? (dayjs(first.date).day() + 6) % 7 : 0;
  const working = days.filter((d) => d.working).length;
  return (
    <Card
      size="small"
      title={monthName(month, i18n.language)}
      extra={<Typography.Text type="secondary">{working}</Typography.Text>}
      data-testid={`calendar-month-${month}`}
    >
      <div
        style={{
          display: 'grid',
          gridTemplateColumns: 'repeat(7, 1fr)',
          gap: 2,
          textAlign: 'center',
          fontSize: 12,
        }}
      >
        {WEEKDAYS.map((w) => (
          <div key={w} style={{ color: 'rgba(0,0,0,0.45)', paddingBottom: 2 }}>
            {t(`calendar.weekdays.${w}`)}
          </div>
        ))}
        {Array.from({ length: lead }, (_, i) => (
          <div key={`pad-${i}`} />
        ))}
        {days.map((d) => (
          <Tooltip
            key={d.date}
            title={[t(`enums.dayKind.${d.kind}`), d.name].filter(Boolean).join(' · ')}
          >
            <button
              type="button"
              onClick={() => onPick(d)}
              data-testid={`day-${d.date}`}
              style={{
                ...KIND_STYLE[d.kind],
                border: d.overridden ? '1px dashed #1f5fd6' : '1px solid transparent',
                borderRadius: 4,
                padding: '3px 0',
                cursor: 'pointer',
                fontWeight: d.kind === 'holiday' || d.kind === 'makeup' ? 600 : 400,
                font: 'inherit',
              }}
            >
              {Number(d.date.slice(8))}
            </button>
          </Tooltip>
        ))}
      </div>
    </Card>
  );
}

function OverrideDialog({
  day,
  year,
  onClose,
}: {
  day: CalendarDay | null;
  year: number;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ kind: OverrideKind; name: string }>();
  useEffect(() => {
    if (day)
      form.setFieldsValue({ kind: day.working ? 'holiday' : 'workday', name: day.name ?? '' });
  }, [day, form]);
  const save = useSave({
    mutationFn: (v: { kind: OverrideKind; name: string }) =>
      api.put(`/calendar/overrides/${day!.date}`, v),
    invalidate: ['calendar'],
    success: t('calendar.overrideSaved'),
    onSuccess: onClose,
  });
  const remove = useSave({
    mutationFn: () => api.del(`/calendar/overrides/${day!.date}`),
    invalidate: ['calendar'],
    success: t('calendar.overrideRemoved'),
    onSuccess: onClose,
  });
  return (
    <Modal
      open={day !== null}
      title={day ? t('calendar.editDay', { date: day.date }) : ''}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Space>
          {day?.overridden && (
            <Button
              danger
              loading={remove.isPending}
              onClick={() => remove.mutate(undefined)}
              data-testid="override-remove"
            >
              {t('calendar.removeOverride')}
            </Button>
          )}
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={save.isPending}
            onClick={() => void form.validateFields().then((v) => save.mutate(v))}
            data-testid="override-save"
          >
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {day && (
        <Form form={form} layout="vertical" key={`${year}-${day.date}`}>
          <Typography.Paragraph type="secondary">
            {t('calendar.dayKindNow', { kind: t(`enums.dayKind.${day.kind}`) })}
            {day.name ? ` · ${day.name}` : ''}
          </Typography.Paragraph>
          <Form.Item name="kind" label={t('calendar.markAs')}>
            <Radio.Group
              options={[
                { value: 'holiday', label: t('calendar.markHoliday') },
                { value: 'workday', label: t('calendar.markWorkday') },
              ]}
            />
          </Form.Item>
          <Form.Item name="name" label={t('calendar.dayName')}>
            <Input maxLength={100} placeholder={t('calendar.dayNamePlaceholder')} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
