import { useQuery } from '@tanstack/react-query';
import { Alert } from 'antd';
import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import { useCurrentUser } from '../../session/use-me.ts';
import type { VersionDetail } from './plan-api.ts';

interface CalendarYears {
  year: number;
  official: boolean;
  overrides: number;
}

/** Calendar years the plan's months touch that have neither the published holidays nor an admin's overrides. */
export function yearsWithoutHolidays(
  months: readonly string[],
  known: readonly CalendarYears[],
): number[] {
  const years = [...new Set(months.map((m) => Number(m.slice(0, 4))))].sort((a, b) => a - b);
  return years.filter((y) => {
    const k = known.find((x) => x.year === y);
    return !k || (!k.official && k.overrides === 0);
  });
}

/**
 * Working days (and the working-day split) follow the public-holiday calendar; without the year's
 * data Spring Festival and Golden Week count as working days and seasonality is wrong. Warn, and
 * send an admin to the calendar page to load or override the year.
 */
export function CalendarWarning({ v, style }: { v: VersionDetail; style?: CSSProperties }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const years = useQuery({
    queryKey: ['calendar-years'],
    queryFn: () => api.get<CalendarYears[]>('/calendar/years'),
    staleTime: 300_000,
  });
  if (!years.data) return null;
  const missing = yearsWithoutHolidays(v.months, years.data);
  if (missing.length === 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      style={style}
      data-testid="calendar-warning"
      title={t('plans.calendarWarning.title', { years: missing.join(', ') })}
      description={
        <>
          {t('plans.calendarWarning.description')}{' '}
          {me.role === 'admin' ? (
            <Link to="/calendar">{t('plans.calendarWarning.link')}</Link>
          ) : (
            t('plans.calendarWarning.askAdmin')
          )}
        </>
      }
    />
  );
}
