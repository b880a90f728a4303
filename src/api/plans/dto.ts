import type { VersionRow } from '../../db/plans/versions.ts';
import { settingsOf } from '../../db/plans/versions.ts';
import type { PlanVersionDto } from './schemas.ts';

export function toVersionDto(v: VersionRow): PlanVersionDto {
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
  };
}
