import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { repOf } from '../../db/plans/capacity.ts';
import { loadOrg } from '../../db/plans/org.ts';
import { assertDraft, fiscalYearId, getVersion, touchVersion } from '../../db/plans/versions.ts';
import { getSetting } from '../../db/settings.ts';
import type { BottomUpInput, CapacityRep } from '../../domain/planning/lens-capacity.ts';
import {
  evaluateLenses,
  type LensesEvaluation,
  type LensesInput,
  type ReconcileResult,
} from '../../domain/planning/lenses.ts';
import { monthsOfFiscalYear, periodRange } from '../../domain/periods.ts';
import type { Actor } from '../actor.ts';
import { assertDirector } from './access.ts';

export interface ComputeLensesInput extends Omit<LensesInput, 'bottomUp'> {
  versionId: number;
  /** The version's `version` as read: required, a stale one is VERSION_CONFLICT. */
  version: number;
  /** The capacity model; `reps` default to the members on the org during the fiscal year. */
  bottomUp: Omit<BottomUpInput, 'months' | 'reps'> & { reps?: CapacityRep[] };
}

export interface LensesView {
  topDown: number;
  bottomUp: number;
  funnel: number | null;
  gaps: ReconcileResult['gaps'];
  achievable: number;
  excessFen: number;
  excessBp: number | null;
  verdict: ReconcileResult['verdict'];
  notApplicable: ReconcileResult['notApplicable'];
  details: LensesEvaluation['details'];
  version: number;
}

/**
 * The three lenses (top-down, bottom-up capacity, funnel) of a draft: computed, stored on the
 * version with their inputs and audited. The director only; a whole-version write.
 */
export async function computeLenses(
  db: Db,
  actor: Actor,
  input: ComputeLensesInput,
  now: Date,
): Promise<LensesView> {
  await assertDirector(db, actor);
  const { versionId, version: expected, ...inputs } = input;
  return db.transaction().execute(async (trx) => {
    const { plan, version: v } = await getVersion(trx, versionId);
    assertDraft(v);
    const fsm = await getSetting(trx, 'fiscalYearStartMonth');
    const months = monthsOfFiscalYear(plan.fiscal_year, fsm);
    let reps = inputs.bottomUp.reps;
    if (!reps) {
      const org = await loadOrg(trx, periodRange(fiscalYearId(plan.fiscal_year), fsm));
      reps = [...org.members.values()].map((m) => repOf(m, months));
    }
    const { result, details } = evaluateLenses({
      topDown: inputs.topDown,
      bottomUp: { ...inputs.bottomUp, months, reps },
      funnel: inputs.funnel ?? null,
      thresholds: inputs.thresholds ?? {},
    });
    const stored = {
      inputs: { ...inputs, bottomUp: { ...inputs.bottomUp, reps } },
      results: { ...result, details },
      computedAt: now.toISOString(),
    };
    const next = await touchVersion(trx, v, expected, { lenses: JSON.stringify(stored) });
    await audit(trx, now, {
      userId: actor.id,
      action: 'lenses',
      entity: 'plan_version',
      entityId: v.id,
      after: { inputs, verdict: result.verdict },
    });
    return {
      topDown: result.lenses.topDown,
      bottomUp: result.lenses.bottomUp,
      funnel: result.lenses.funnel,
      gaps: result.gaps,
      achievable: result.achievable,
      excessFen: result.excessFen,
      excessBp: result.excessBp,
      verdict: result.verdict,
      notApplicable: result.notApplicable,
      details,
      version: next,
    };
  });
}
