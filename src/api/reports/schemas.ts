import { z } from 'zod';
import { REPORT_METRICS } from '../../domain/reports/report-model.ts';
import { reportScheduleSchema } from '../../db/report-schedule.ts';
import { isoDate } from '../schemas.ts';

/**
 * The reports contract: the model (fen, basis points, counts, as the tracking contract) and the
 * same report rendered as markdown text in both languages (what the groups receive).
 */
const reportMetric = z.enum(REPORT_METRICS);
const amountUnit = z.enum(['fen', 'count']);

const unitSchema = z.object({
  id: z.number(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
});

const figuresSchema = z.object({
  metric: reportMetric,
  unit: amountUnit,
  actual: z.number(),
  hasTarget: z.boolean(),
  target: z.number(),
  attainmentBp: z.number().nullable(),
  timeProgressBp: z.number(),
  differenceBp: z.number().nullable(),
  gap: z.number(),
  requiredRunRate: z.number().nullable(),
});

const rankedLineSchema = z.object({
  rank: z.number(),
  id: z.number(),
  nameZh: z.string(),
  nameEn: z.string(),
  actual: z.number(),
  target: z.number(),
  attainmentBp: z.number().nullable(),
  gap: z.number(),
});

const leadersSchema = z.object({
  by: z.enum(['child_unit', 'member']),
  metric: reportMetric,
  top: z.array(rankedLineSchema),
  behind: rankedLineSchema.nullable(),
});

const renderedSchema = z.object({ title: z.string(), lines: z.array(z.string()) });
const textSchema = z.object({ 'zh-CN': renderedSchema, en: renderedSchema });

export const battleQuery = z.object({
  /** Default: the caller's own unit (the company, or the unit a manager manages). */
  unitId: z.coerce.number().int().positive().optional(),
  /** The day reported on; default yesterday (China). A day not over yet is refused. */
  date: isoDate.optional(),
});

export const battleReportSchema = z.object({
  report: z.object({
    kind: z.literal('battle_report'),
    unit: unitSchema,
    date: z.string(),
    month: z.string(),
    elapsedWorkingDays: z.number(),
    remainingWorkingDays: z.number(),
    day: z.array(z.object({ metric: reportMetric, unit: amountUnit, actual: z.number() })),
    monthToDate: z.array(figuresSchema),
    leaders: leadersSchema,
  }),
  text: textSchema,
});

export const weeklyQuery = z.object({
  unitId: z.coerce.number().int().positive().optional(),
  /** ISO week 'YYYY-Www'; default the week holding yesterday (China). */
  week: z.string().trim().max(10).optional(),
});

export const weeklySheetSchema = z.object({
  report: z.object({
    kind: z.literal('weekly_sheet'),
    unit: unitSchema,
    week: z.string(),
    start: z.string(),
    end: z.string(),
    asOf: z.string(),
    weekFigures: z.array(figuresSchema),
    month: z.string(),
    remainingWorkingDays: z.number(),
    monthToDate: z.array(figuresSchema),
    leaders: leadersSchema,
    /** Open alerts of the unit (empty until the alert engine is wired in). */
    openAlerts: z.array(
      z.object({
        severity: z.enum(['info', 'warning', 'critical']),
        textZh: z.string(),
        textEn: z.string(),
        link: z.string().nullable(),
      }),
    ),
  }),
  text: textSchema,
});

/** When the reports go out (minutes after midnight, China time; ISO weekday) and for which unit kinds. */
export const scheduleSchema = reportScheduleSchema.extend({ version: z.number() });
export const updateScheduleBody = reportScheduleSchema.extend({
  version: z.number().int().positive(),
});
