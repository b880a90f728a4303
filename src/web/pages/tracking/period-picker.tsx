import { DatePicker, Select, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { isoWeekOf, periodRange } from '../../../domain/periods.ts';
import { currentPeriod, type PeriodPick, type PeriodValue } from './period.ts';

const PICKS: PeriodPick[] = ['year', 'quarter', 'month', 'week', 'custom'];
const DATE = 'YYYY-MM-DD';

/**
 * Year and quarter are fiscal (FY2026 starts in the company's fiscal start month), so they are
 * chosen from lists rather than antd's calendar-year/quarter pickers; months, ISO weeks and
 * custom ranges use the date pickers.
 */
export function PeriodPicker({
  value,
  onChange,
  today,
  fiscalStartMonth,
}: {
  value: PeriodValue;
  onChange: (v: PeriodValue) => void;
  today: string;
  fiscalStartMonth: number;
}) {
  const { t } = useTranslation();
  const currentFy = fyNumber(today, fiscalStartMonth);
  const years = [currentFy + 1, currentFy, currentFy - 1, currentFy - 2, currentFy - 3];

  const control = () => {
    switch (value.pick) {
      case 'year':
        return (
          <Select
            data-testid="period-year"
            value={value.period}
            style={{ width: 120 }}
            onChange={(period) => onChange({ pick: 'year', period })}
            options={years.map((y) => ({
              value: `FY${y}`,
              label: t('tracking.period.fy', { year: y }),
            }))}
          />
        );
      case 'quarter':
        return (
          <Select
            data-testid="period-quarter"
            value={value.period}
            style={{ width: 160 }}
            onChange={(period) => onChange({ pick: 'quarter', period })}
            options={years.flatMap((y) =>
              [1, 2, 3, 4].map((q) => ({
                value: `FY${y}-Q${q}`,
                label: t('tracking.period.fq', { year: y, quarter: q }),
              })),
            )}
          />
        );
      case 'month':
        return (
          <DatePicker
            data-testid="period-month"
            picker="month"
            allowClear={false}
            value={dayjs(`${value.period}-01`)}
            onChange={(d: Dayjs | null) =>
              d && onChange({ pick: 'month', period: d.format('YYYY-MM') })
            }
          />
        );
      case 'week':
        return (
          <DatePicker
            data-testid="period-week"
            picker="week"
            allowClear={false}
            value={dayjs(periodRange(value.period).start)}
            format={() => value.period}
            // Whatever day of the week was clicked (Sunday-first in English), a day after the locale's week start is inside the ISO week shown.
            onChange={(d: Dayjs | null) =>
              d &&
              onChange({
                pick: 'week',
                period: isoWeekOf(d.startOf('week').add(1, 'day').format(DATE)),
              })
            }
          />
        );
      default:
        return (
          <DatePicker.RangePicker
            data-testid="period-range"
            allowClear={false}
            value={[dayjs(value.start), dayjs(value.end)]}
            onChange={(r) => {
              const [a, b] = r ?? [];
              if (a && b) onChange({ pick: 'custom', start: a.format(DATE), end: b.format(DATE) });
            }}
          />
        );
    }
  };

  return (
    <Space wrap data-testid="period-picker">
      <Select<PeriodPick>
        data-testid="period-kind"
        value={value.pick}
        style={{ width: 100 }}
        onChange={(pick) => onChange(currentPeriod(pick, today, fiscalStartMonth))}
        options={PICKS.map((p) => ({ value: p, label: t(`tracking.period.${p}`) }))}
      />
      {control()}
    </Space>
  );
}

function fyNumber(today: string, fiscalStartMonth: number): number {
  const month = Number(today.slice(5, 7));
  const year = Number(today.slice(0, 4));
  return month >= fiscalStartMonth ? year : year - 1;
}
