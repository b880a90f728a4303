import type { Db } from '../../db/connect.ts';
import {
  getVersion,
  listPlans,
  settingsOf,
  type PlanRow,
  type VersionRow,
  type VersionSettings,
} from '../../db/plans/versions.ts';
import { storedMethods, type StoredMethod } from '../../db/plans/stored-methods.ts';
import { getSetting } from '../../db/settings.ts';
import { monthsOfFiscalYear } from '../../domain/periods.ts';
import { targetTiers, type TargetTiers } from '../../domain/tiers.ts';
import type { Actor } from '../actor.ts';
import { isDirector } from './access.ts';

export interface PlanVersionView {
  id: number;
  planId: number;
  number: number;
  status: VersionRow['status'];
  label: string;
  settings: VersionSettings;
  committedTarget: number | null;
  note: string;
  basedOnId: number | null;
  frozenBefore: string | null;
  createdBy: number | null;
  createdAt: string;
  submittedBy: number | null;
  submittedAt: string | null;
  approvedBy: number | null;
  approvedAt: string | null;
  activatedAt: string | null;
  supersededAt: string | null;
  version: number;
  cellsRev: number;
}

export interface PlanView {
  id: number;
  fiscalYear: number;
  nameZh: string;
  nameEn: string;
  createdAt: string;
  versions: PlanVersionView[];
}

export interface VersionDetailView extends PlanVersionView {
  plan: { id: number; fiscalYear: number; nameZh: string; nameEn: string };
  months: string[];
  lenses: Record<string, unknown>;
  tiers: TargetTiers | null;
  canApprove: boolean;
  /** How the stored revenue plan was decomposed at the top: year → months, first month → org. */
  decomposedBy: { time: StoredMethod | null; org: StoredMethod | null };
}

export function versionView(v: VersionRow): PlanVersionView {
  return {
    id: v.id,
    planId: v.plan_id,
    number: v.number,
    status: v.status,
    label: v.label,
    settings: settingsOf(v),
    committedTarget: v.committed_target,
    note: v.note,
    basedOnId: v.based_on_id,
    frozenBefore: v.frozen_before,
    createdBy: v.created_by,
    createdAt: v.created_at,
    submittedBy: v.submitted_by,
    submittedAt: v.submitted_at,
    approvedBy: v.approved_by,
    approvedAt: v.approved_at,
    activatedAt: v.activated_at,
    supersededAt: v.superseded_at,
    version: v.version,
    cellsRev: v.cells_rev,
  };
}

export function planView(plan: PlanRow, versions: readonly VersionRow[]): PlanView {
  return {
    id: plan.id,
    fiscalYear: plan.fiscal_year,
    nameZh: plan.name_zh,
    nameEn: plan.name_en,
    createdAt: plan.created_at,
    versions: versions.map(versionView),
  };
}

/** Plans by fiscal year with every version (everyone signed in reads them). */
export async function readPlans(db: Db): Promise<PlanView[]> {
  return (await listPlans(db)).map(({ plan, versions }) => planView(plan, versions));
}

/** One version with its plan, months, lenses and tiers; `canApprove` says what the actor may do. */
export async function readVersionDetail(
  db: Db,
  actor: Actor,
  versionId: number,
): Promise<VersionDetailView> {
  const { plan, version } = await getVersion(db, versionId);
  const fsm = await getSetting(db, 'fiscalYearStartMonth');
  const months = monthsOfFiscalYear(plan.fiscal_year, fsm);
  const revenue = await db
    .selectFrom('metrics')
    .select('id')
    .where('code', '=', 'revenue')
    .executeTakeFirst();
  return {
    ...versionView(version),
    plan: { id: plan.id, fiscalYear: plan.fiscal_year, nameZh: plan.name_zh, nameEn: plan.name_en },
    months,
    lenses: JSON.parse(version.lenses || '{}') as Record<string, unknown>,
    tiers:
      version.committed_target === null
        ? null
        : targetTiers(version.committed_target, settingsOf(version)),
    canApprove: await isDirector(db, actor),
    decomposedBy: revenue
      ? await storedMethods(db, version.id, revenue.id, `FY${plan.fiscal_year}`, months[0] ?? '')
      : { time: null, org: null },
  };
}
