import type { Db } from '../../db/connect.ts';
import { emitEvent } from '../../db/outbox.ts';
import { claimReportEmission, reportEmitted } from '../../db/report-emissions.ts';
import { getReportSchedule } from '../../db/report-schedule.ts';
import type { NotifyRequest } from '../../domain/notify/notify-request.ts';
import { dueReports } from '../../domain/reports/report-schedule.ts';
import { systemActor } from '../actor.ts';
import { chinaToday } from '../clock.ts';
import { readBattleReport, type RenderedReport } from './read-battle-report.ts';
import { readWeeklySheet } from './read-weekly-sheet.ts';

/**
 * Whether anything is due at `now` that has not been sent: the recurring job is queued only
 * then, so the job list holds a row per report run, not one per quarter hour.
 */
export async function reportsPending(db: Db, now: Date): Promise<boolean> {
  const schedule = await getReportSchedule(db);
  const today = chinaToday(now);
  const china = new Date(now.getTime() + 8 * 3600_000);
  const due = dueReports(schedule, today, china.getUTCHours() * 60 + china.getUTCMinutes());
  const keys: string[] = [];
  const add = async (kind: string, kinds: readonly string[], slot: string | null) => {
    if (slot === null || kinds.length === 0) return;
    const units = await db
      .selectFrom('org_units')
      .select('id')
      .where('kind', 'in', kinds as never)
      .execute();
    for (const { id } of units) keys.push(`${kind}:${id}:${slot}`);
  };
  await add('battle_report', schedule.battle.kinds, due.battle);
  await add('weekly_sheet', schedule.weekly.kinds, due.weekly);
  if (keys.length === 0) return false;
  const sent = await db
    .selectFrom('report_emissions')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('dedupe_key', 'in', keys)
    .executeTakeFirstOrThrow();
  return Number(sent.n) < keys.length;
}

export interface EmittedReports {
  battle: number;
  weekly: number;
}

/**
 * Emits what the schedule says is due at `now`: one `notify.message` per unit of the chosen
 * kinds for the daily battle report ('battle_report:<unitId>:<date>') and, on the meeting's
 * weekday, the weekly sheet ('weekly_sheet:<unitId>:<week>'). Each event is written in one
 * transaction with its row in `report_emissions`, keyed by the dedupe key, so however often
 * this runs (every quarter hour, on every instance) a unit gets each report once. The channels
 * (DingTalk, WeCom, webhooks) subscribe to the topic and deliver it; nothing is sent from here.
 */
export async function emitScheduledReports(db: Db, now: Date): Promise<EmittedReports> {
  const schedule = await getReportSchedule(db);
  const today = chinaToday(now);
  const china = new Date(now.getTime() + 8 * 3600_000);
  const due = dueReports(schedule, today, china.getUTCHours() * 60 + china.getUTCMinutes());
  const actor = systemActor();
  const out: EmittedReports = { battle: 0, weekly: 0 };
  const unitsOf = (kinds: readonly string[]) =>
    kinds.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('org_units')
          .select('id')
          .where('kind', 'in', kinds as never)
          .orderBy('path')
          .execute();

  const emit = async (
    kind: NotifyRequest['kind'] & ('battle_report' | 'weekly_sheet'),
    unitId: number,
    slot: string,
    read: () => Promise<RenderedReport<unknown>>,
    link: string,
  ): Promise<boolean> => {
    const dedupeKey = `${kind}:${unitId}:${slot}`;
    // Reading a report is the expensive part: skip it when the slot went out already.
    if (await reportEmitted(db, dedupeKey)) return false;
    const { text } = await read();
    const request: NotifyRequest = {
      kind,
      unitId,
      dedupeKey,
      mentionMemberIds: [],
      text,
      link,
      at: now.toISOString(),
    };
    return db.transaction().execute(async (trx) => {
      if (
        !(await claimReportEmission(trx, { dedupe_key: dedupeKey, kind, org_unit_id: unitId }, now))
      )
        return false;
      await emitEvent(trx, 'notify.message', request, now);
      return true;
    });
  };

  if (due.battle !== null) {
    const date = due.battle;
    for (const { id } of await unitsOf(schedule.battle.kinds)) {
      const read = () => readBattleReport(db, actor, { unitId: id, date }, today);
      if (await emit('battle_report', id, date, read, `/reports/battle?unit=${id}&date=${date}`))
        out.battle += 1;
    }
  }
  if (due.weekly !== null) {
    const week = due.weekly;
    for (const { id } of await unitsOf(schedule.weekly.kinds)) {
      // The open alerts are wired in with the alert engine; until then the section is empty.
      const read = () => readWeeklySheet(db, actor, { unitId: id, week }, today);
      if (await emit('weekly_sheet', id, week, read, `/reports/weekly?unit=${id}&week=${week}`))
        out.weekly += 1;
    }
  }
  return out;
}
