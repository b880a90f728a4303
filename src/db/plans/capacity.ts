import { AppError } from '../../domain/errors.ts';
import {
  bottomUpCapacity,
  type CapacityRep,
  type TierProductivity,
} from '../../domain/planning/lenses.ts';
import type { MemberInfo } from './org.ts';

export interface CapacityAssumptions {
  productivity: Record<string, TierProductivity>;
  rampCurve?: number[];
  attritionBp?: number;
}

/** The bottom-up lens inputs stored on a version, if its lenses were computed. */
export function assumptionsFromLenses(lensesJson: string): CapacityAssumptions | null {
  const lenses = JSON.parse(lensesJson || '{}') as {
    inputs?: { bottomUp?: Partial<CapacityAssumptions> };
  };
  const b = lenses.inputs?.bottomUp;
  if (!b?.productivity) return null;
  return { productivity: b.productivity, ...(b.rampCurve ? { rampCurve: b.rampCurve } : {}) };
}

/** A member as the capacity lens sees them: hired inside the plan → ramps from the hire month. */
export function repOf(m: MemberInfo, months: readonly string[]): CapacityRep {
  const first = months[0] ?? '';
  const last = months[months.length - 1] ?? '';
  const start = m.hireDate.slice(0, 7);
  const end = m.leaveDate?.slice(0, 7);
  return {
    id: String(m.id),
    tier: m.tier,
    ...(start > first ? { startMonth: start } : {}),
    ...(end !== undefined && end <= last ? { endMonth: end } : {}),
  };
}

/**
 * Each member's capacity per month (fen), from the domain's bottom-up lens with the member as the
 * only rep — the weight of a capacity split (METHOD §3 People: "by tier and capacity").
 */
export function memberCapacity(
  members: readonly MemberInfo[],
  months: readonly string[],
  a: CapacityAssumptions | null,
): Map<number, number[]> {
  if (!a) {
    throw new AppError('PLANNING_INVALID', {
      reason:
        'a capacity split needs productivity by tier: compute the lenses first or pass inputs.productivity',
    });
  }
  const out = new Map<number, number[]>();
  for (const m of members) {
    const r = bottomUpCapacity({
      months,
      reps: [repOf(m, months)],
      productivity: a.productivity,
      ...(a.rampCurve ? { rampCurve: a.rampCurve } : {}),
      ...(a.attritionBp !== undefined ? { attritionBp: a.attritionBp } : {}),
    });
    out.set(
      m.id,
      r.monthly.map((x) => x.capacityFen),
    );
  }
  return out;
}
