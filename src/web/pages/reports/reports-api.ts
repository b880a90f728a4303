/**
 * The reports API as the report pages use it; wire types inferred from the server's schemas.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  battleReportSchema,
  scheduleSchema,
  updateScheduleBody,
  weeklySheetSchema,
} from '../../../api/reports/schemas.ts';
import { api } from '../../api/client.ts';
import { TRACKING_KEY } from '../tracking/tracking-api.ts';

export type BattleReportAnswer = z.infer<typeof battleReportSchema>;
export type WeeklySheetAnswer = z.infer<typeof weeklySheetSchema>;
export type Figures = BattleReportAnswer['report']['monthToDate'][number];
export type Leaders = BattleReportAnswer['report']['leaders'];
export type RenderedText = BattleReportAnswer['text']['en'];
export type Schedule = z.infer<typeof scheduleSchema>;
export type ScheduleUpdate = z.infer<typeof updateScheduleBody>;

const smooth = { placeholderData: keepPreviousData };

// Under the tracking key: an import that refreshes the dashboards refreshes the reports too.
export function useBattleReport(unitId: number | undefined, date: string | undefined) {
  return useQuery({
    queryKey: [TRACKING_KEY, 'report-battle', unitId ?? null, date ?? null],
    queryFn: () => api.get<BattleReportAnswer>('/reports/battle', { unitId, date }),
    ...smooth,
  });
}

export function useWeeklySheet(unitId: number | undefined, week: string | undefined) {
  return useQuery({
    queryKey: [TRACKING_KEY, 'report-weekly', unitId ?? null, week ?? null],
    queryFn: () => api.get<WeeklySheetAnswer>('/reports/weekly', { unitId, week }),
    ...smooth,
  });
}

export const SCHEDULE_KEY = 'report-schedule';

export function useReportSchedule(enabled: boolean) {
  return useQuery({
    queryKey: [SCHEDULE_KEY],
    queryFn: () => api.get<Schedule>('/reports/schedule'),
    enabled,
  });
}
