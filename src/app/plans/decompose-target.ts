import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { cascadePlan, type CascadeRequest } from '../../db/plans/cascade.ts';
import {
  decomposeCell,
  type SplitContext,
  type WrittenChild,
} from '../../db/plans/decompose-cell.ts';
import { withDims, type Dims } from '../../db/plans/keys.ts';
import { metricByCode } from '../../db/plans/metrics.ts';
import type { Axis } from '../../db/plans/splits.ts';
import { assertDraft, getVersion, touchVersion } from '../../db/plans/versions.ts';
import type { OwnerType } from '../../db/schema.ts';
import { getSetting } from '../../db/settings.ts';
import { AppError } from '../../domain/errors.ts';
import type { Actor } from '../actor.ts';
import { assertDirector, assertTargetWritable } from './access.ts';
import { readUnitShapes } from './read-unit-shapes.ts';

export interface DecomposeTargetInput {
  versionId: number;
  version?: number;
  metricCode: string;
  parent: { ownerType: OwnerType; ownerId: number; period: string; dims?: Partial<Dims> };
  /** 'single' splits one parent over one axis; 'cascade' builds the whole plan. */
  mode: 'single' | 'cascade';
  axis: Axis;
  method: string;
  inputs: Record<string, unknown>;
  /** 'own': every unit's months follow its own history blended toward its parent's (`readUnitShapes`). */
  org?: Omit<CascadeRequest['org'], 'unitShapes'> & { seasonality?: 'company' | 'own' };
  productLines?: CascadeRequest['productLines'];
}

export interface DecomposeTargetResult {
  mode: 'single' | 'cascade';
  splitId: number | null;
  parentCellId: number;
  parentValue: number;
  children: WrittenChild[];
  months: { period: string; value: number }[];
  cellsWritten: number;
  splitsWritten: number;
  version: number;
}

/**
 * Splits a parent cell over an axis and records the split as provenance, or (mode cascade, the
 * director only) builds the whole plan from the committed target. A manager splits only a parent
 * of their subtree. One transaction (large plans take a while; all or nothing), audited; a
 * whole-version write: it moves the version's `version`.
 */
export async function decomposeTarget(
  db: Db,
  actor: Actor,
  input: DecomposeTargetInput,
  now: Date,
): Promise<DecomposeTargetResult> {
  const fiscalStartMonth = await getSetting(db, 'fiscalYearStartMonth');
  const parent = withDims(
    {
      ownerType: input.parent.ownerType,
      ownerId: input.parent.ownerId,
      period: input.parent.period,
    },
    input.parent.dims,
  );
  // Read before the write transaction: the rollups of every unit's past years.
  const unitShapes =
    input.mode === 'cascade' && input.org?.seasonality === 'own'
      ? (
          await readUnitShapes(
            db,
            {
              fiscalYear: (await getVersion(db, input.versionId)).plan.fiscal_year,
              fiscalStartMonth,
              metricCode: input.metricCode,
            },
            now,
          )
        ).shapes
      : undefined;
  return db.transaction().execute(async (trx) => {
    if (input.mode === 'cascade') await assertDirector(trx, actor);
    // Splitting a parent writes its children: the parent must be the caller's to split.
    else await assertTargetWritable(trx, actor, parent, parent);
    const { version: v } = await getVersion(trx, input.versionId);
    assertDraft(v);
    const metric = await metricByCode(trx, input.metricCode);
    if (metric.kind !== 'additive')
      throw new AppError('METRIC_NOT_SPLITTABLE', { code: metric.code, kind: metric.kind });
    const ctx: SplitContext = {
      versionId: v.id,
      metricId: metric.id,
      frozenBefore: v.frozen_before,
      fiscalStartMonth,
      lensesJson: v.lenses,
      userId: actor.id,
      now,
    };
    const next = await touchVersion(trx, v, input.version);
    if (input.mode === 'cascade') {
      if (!input.org)
        throw new AppError('PLANNING_INVALID', {
          reason: 'a cascade needs org: { method, inputs }',
        });
      const r = await cascadePlan(trx, ctx, {
        parent,
        time: { method: input.method, inputs: input.inputs },
        org: {
          method: input.org.method,
          inputs: input.org.inputs,
          ...(unitShapes ? { unitShapes } : {}),
        },
        ...(input.productLines ? { productLines: input.productLines } : {}),
      });
      await audit(trx, now, {
        userId: actor.id,
        action: 'decompose',
        entity: 'plan_version',
        entityId: v.id,
        after: {
          mode: 'cascade',
          metric: metric.code,
          time: { method: input.method, inputs: input.inputs },
          org: input.org,
          productLines: input.productLines ?? null,
          cells: r.cellsWritten,
        },
      });
      return {
        mode: 'cascade',
        splitId: null,
        parentCellId: 0,
        parentValue: r.months.reduce((a, m) => a + m.value, 0),
        children: [],
        months: r.months,
        cellsWritten: r.cellsWritten,
        splitsWritten: r.splitsWritten,
        version: next,
      };
    }
    const r = await decomposeCell(trx, ctx, {
      parent,
      axis: input.axis,
      method: input.method,
      inputs: input.inputs,
    });
    await audit(trx, now, {
      userId: actor.id,
      action: 'decompose',
      entity: 'plan_version',
      entityId: v.id,
      after: {
        metric: metric.code,
        parent,
        axis: input.axis,
        method: input.method,
        inputs: input.inputs,
        splitId: r.splitId,
        children: r.children.map((c) => [c.ref, c.value]),
      },
    });
    return {
      mode: 'single',
      splitId: r.splitId,
      parentCellId: r.parentCellId,
      parentValue: r.parentValue,
      children: r.children,
      months: [],
      cellsWritten: r.children.length + r.respread,
      splitsWritten: 1,
      version: next,
    };
  });
}
