import { z } from 'zod';
import { localeSchema } from '../schemas.ts';

const fen = z.number().int().safe();
const bp = z.number().int().min(0).max(100_000);
const planStatus = z.enum(['draft', 'submitted', 'approved', 'active', 'superseded']);
export const ownerTypeSchema = z.enum(['unit', 'member']);
export const axisSchema = z.enum([
  'time',
  'org',
  'product_line',
  'region',
  'segment',
  'channel',
  'lifecycle',
]);
export const methodSchema = z.enum([
  'even',
  'weights',
  'history',
  'capacity',
  'manual',
  'seasonality',
  'working_days',
]);
const period = z
  .string()
  .regex(/^(FY\d{4}(-Q[1-4])?|\d{4}-\d{2})$/, 'FY2026, FY2026-Q1 or YYYY-MM');
const month = z.string().regex(/^\d{4}-\d{2}$/, 'YYYY-MM');

export const versionSettingsSchema = z.object({ basePct: bp, challengePct: bp, bufferPct: bp });
export const tiersSchema = z.object({ base: fen, target: fen, challenge: fen, sprint: fen });

export const planVersionSchema = z.object({
  id: z.number(),
  planId: z.number(),
  number: z.number(),
  status: planStatus,
  label: z.string(),
  settings: versionSettingsSchema,
  committedTarget: fen.nullable(),
  note: z.string(),
  basedOnId: z.number().nullable(),
  /** Months before this one ('YYYY-MM') are frozen in this revision. */
  frozenBefore: z.string().nullable(),
  createdBy: z.number().nullable(),
  createdAt: z.string(),
  submittedBy: z.number().nullable(),
  submittedAt: z.string().nullable(),
  approvedBy: z.number().nullable(),
  approvedAt: z.string().nullable(),
  activatedAt: z.string().nullable(),
  supersededAt: z.string().nullable(),
  /** Whole-version operations (transitions, settings, lenses, commit, decompose, matrix fit) move it. */
  version: z.number(),
  /** Cell edits (the grid, its Excel import) move it; an edit sends back the one it read. */
  cellsRev: z.number(),
});
export type PlanVersionDto = z.infer<typeof planVersionSchema>;

export const planSchema = z.object({
  id: z.number(),
  fiscalYear: z.number(),
  nameZh: z.string(),
  nameEn: z.string(),
  createdAt: z.string(),
  versions: z.array(planVersionSchema),
});

export const versionDetailSchema = planVersionSchema.extend({
  plan: z.object({
    id: z.number(),
    fiscalYear: z.number(),
    nameZh: z.string(),
    nameEn: z.string(),
  }),
  /** The fiscal year's months, in order. */
  months: z.array(z.string()),
  /** Inputs and results of the three lenses as last computed ({} before). */
  lenses: z.record(z.string(), z.unknown()),
  tiers: tiersSchema.nullable(),
  /** The caller may approve/activate (admin or director). */
  canApprove: z.boolean(),
  /**
   * How the stored revenue plan was decomposed at the top (year → months, first month → org):
   * the method and its settings (never per-child amounts); null where nothing was split yet.
   */
  decomposedBy: z.object({
    time: z.object({ method: z.string(), inputs: z.record(z.string(), z.unknown()) }).nullable(),
    org: z.object({ method: z.string(), inputs: z.record(z.string(), z.unknown()) }).nullable(),
  }),
});

export const createPlanBody = z.object({
  fiscalYear: z.number().int().min(2000).max(2100),
  nameZh: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().min(1).max(100),
});

export const settingsBody = versionSettingsSchema.extend({ version: z.number().int().positive() });
export const transitionBody = z.object({
  version: z.number().int().positive(),
  note: z.string().max(2000).optional(),
  /**
   * Whoever submitted a version cannot approve or activate it; an administrator may, only with
   * a written reason, which the audit keeps.
   */
  overrideReason: z.string().trim().min(1).max(2000).optional(),
});

const productivity = z.record(
  z.string(),
  z.object({ dealsPerMonth: z.number().min(0), aov: fen.min(0) }),
);
const funnelStage = z.object({
  code: z.string().min(1),
  conversionBp: z.number().int().min(0).max(10_000),
});

export const lensesBody = z.object({
  version: z.number().int().positive(),
  topDown: z.union([
    z.object({ lastYearActual: fen.min(0), growthBp: z.number().int().min(-10_000) }),
    z.object({ marketSize: fen.min(0), shareBp: z.number().int().min(0).max(10_000) }),
  ]),
  bottomUp: z.object({
    productivity,
    /** Default: the members on the org during the fiscal year, hired/leaving months from their dates. */
    reps: z
      .array(
        z.object({
          id: z.string(),
          tier: z.string(),
          startMonth: month.optional(),
          endMonth: month.optional(),
        }),
      )
      .optional(),
    plannedHires: z
      .array(z.object({ tier: z.string(), count: z.number().int().min(0), startMonth: month }))
      .optional(),
    rampCurve: z.array(z.number().int().min(0).max(10_000)).optional(),
    attritionBp: z.number().int().min(0).max(10_000).optional(),
  }),
  /** What the lead supply yields (forward), and optionally the back-calculation of the top-down number. */
  funnel: z
    .object({
      monthlySupply: z.number().int().min(0),
      stages: z.array(funnelStage).min(1),
      aov: fen.min(1),
      channels: z
        .array(
          z.object({
            code: z.string(),
            leadToDealBp: z.number().int().min(1).max(10_000),
            monthlySupply: z.number().int().min(0).optional(),
            shareBp: z.number().int().min(0).max(10_000).optional(),
          }),
        )
        .optional(),
    })
    .optional(),
  thresholds: z
    .object({
      feasibleMaxBp: z.number().int().optional(),
      stretchMaxBp: z.number().int().optional(),
    })
    .optional(),
});

export const lensesResponse = z.object({
  topDown: fen,
  bottomUp: fen,
  funnel: fen.nullable(),
  gaps: z.array(
    z.object({ from: z.string(), to: z.string(), gapFen: fen, gapBp: z.number().nullable() }),
  ),
  achievable: fen,
  excessFen: fen,
  excessBp: z.number().nullable(),
  /** 'not_applicable': no constraint lens applies (no reps nor planned hires, no funnel). */
  verdict: z.enum(['feasible', 'stretch', 'infeasible', 'not_applicable']),
  /** Lenses that do not apply: 'bottomUp' when nobody is in the capacity model (its number is then 0 and means nothing). */
  notApplicable: z.array(z.enum(['topDown', 'bottomUp', 'funnel'])),
  /** The lens functions' full results: top-down breakdown, capacity by month and tier, funnel stages. */
  details: z.record(z.string(), z.unknown()),
  version: z.number(),
});

export const commitBody = z.object({
  version: z.number().int().positive(),
  target: fen.min(0),
  metric: z.string().default('revenue'),
});
export const commitResponse = z.object({
  committedTarget: fen,
  metric: z.string(),
  period: z.string(),
  cellId: z.number(),
  tiers: tiersSchema,
  version: z.number(),
});

export const dimsSchema = z.object({
  productLineId: z.number().int().min(0).optional(),
  regionId: z.number().int().min(0).optional(),
  segmentId: z.number().int().min(0).optional(),
  channelId: z.number().int().min(0).optional(),
  lifecycle: z.enum(['', 'new', 'existing', 'referral']).optional(),
});
const fullDims = z.object({
  productLineId: z.number(),
  regionId: z.number(),
  segmentId: z.number(),
  channelId: z.number(),
  lifecycle: z.string(),
});
export const cellKeySchema = fullDims.extend({
  ownerType: ownerTypeSchema,
  ownerId: z.number(),
  period: z.string(),
});

export const decomposeBody = z.object({
  version: z.number().int().positive().optional(),
  metricCode: z.string().default('revenue'),
  parent: z.object({
    ownerType: ownerTypeSchema,
    ownerId: z.number().int().positive(),
    period,
    dims: dimsSchema.optional(),
  }),
  /** 'single' splits one parent over one axis; 'cascade' builds the whole plan (year → months → org [→ product lines]). */
  mode: z.enum(['single', 'cascade']).default('single'),
  axis: axisSchema.default('time'),
  method: methodSchema,
  /** Method inputs; see the README of the planning API (per-child maps are keyed 'unit:12', 'member:5', a dimension id, or a lifecycle). */
  inputs: z.record(z.string(), z.unknown()).default({}),
  /** mode 'cascade': how each month is split down the org. */
  org: z
    .object({
      method: z.enum(['even', 'weights', 'history', 'capacity']),
      inputs: z.record(z.string(), z.unknown()).default({}),
    })
    .optional(),
  /** mode 'cascade': optionally each member's month over the top-level product lines. */
  productLines: z
    .object({
      method: z.enum(['even', 'weights', 'history']),
      inputs: z.record(z.string(), z.unknown()).default({}),
    })
    .optional(),
});

export const decomposeResponse = z.object({
  mode: z.enum(['single', 'cascade']),
  splitId: z.number().nullable(),
  parentCellId: z.number(),
  parentValue: fen,
  children: z.array(
    z.object({
      cellId: z.number(),
      ref: z.string(),
      key: cellKeySchema,
      value: fen,
      locked: z.boolean(),
    }),
  ),
  /** Cascade: the root's months. */
  months: z.array(z.object({ period: z.string(), value: fen })),
  cellsWritten: z.number(),
  splitsWritten: z.number(),
  version: z.number(),
});

const gridCell = z.object({
  value: fen,
  locked: z.boolean(),
  cellId: z.number(),
  /** The split that made the cell; cells sharing it are siblings (the grid previews a rebalance by it). */
  splitId: z.number().nullable(),
  note: z.string().nullable(),
});
export const gridQuery = z.object({
  metric: z.string().default('revenue'),
  unitId: z.coerce.number().int().positive().optional(),
  /** Unit levels below the start unit (0 = only it); members show under the deepest units shown. */
  depth: z.coerce.number().int().min(0).max(20).optional(),
  /** e.g. 'productLineId:3,regionId:2'; default: cells not split by any dimension. */
  dims: z.string().max(200).optional(),
});
export const gridSchema = z.object({
  metric: z.string(),
  /** The version's `version` and `cellsRev`, read before the cells: an edit of these cells sends both. */
  version: z.number(),
  cellsRev: z.number(),
  /** The fiscal year's months then the year ('FY2026'). */
  periods: z.array(z.string()),
  rows: z.array(
    z.object({
      ownerType: ownerTypeSchema,
      ownerId: z.number(),
      code: z.string(),
      nameZh: z.string(),
      nameEn: z.string(),
      /** 'unit:12' of the row above in the tree; null for a top row. */
      parentRef: z.string().nullable(),
      ref: z.string(),
      depth: z.number(),
      cells: z.record(z.string(), gridCell.nullable()),
      /** Σ of the month cells. */
      total: fen,
      /** Some period where this row's children do not add up to it (or its months not to its year). */
      check: z.boolean(),
      mismatches: z.array(z.string()),
    }),
  ),
});

export const whySchema = z.object({
  cellId: z.number(),
  committedTarget: fen.nullable(),
  /** From this cell up to the top (the committed target): each step says how its number was made. */
  chain: z.array(
    z.object({
      cellId: z.number().nullable(),
      key: cellKeySchema,
      ownerNameZh: z.string(),
      ownerNameEn: z.string(),
      metric: z.string(),
      value: fen.nullable(),
      locked: z.boolean(),
      note: z.string().nullable(),
      /**
       * Hand edits of this cell since its split was written, oldest first: `typed` is a value a
       * person typed in the grid, `imported` one from an Excel import, `absorbed` a change made
       * when a sibling was typed, `adjusted` a value set by an approved adjustment request
       * (`adjustmentId`); `value` is the value the cell got.
       */
      edits: z.array(
        z.object({
          kind: z.enum(['typed', 'imported', 'absorbed', 'adjusted']),
          value: fen,
          before: fen.nullable(),
          by: z.string().nullable(),
          at: z.string(),
          adjustmentId: z.number().nullable(),
        }),
      ),
      split: z
        .object({
          id: z.number(),
          axis: z.string(),
          method: z.string(),
          /** The method's inputs; per-child maps are narrowed to this cell's entry for callers without full read access. */
          inputs: z.record(z.string(), z.unknown()),
          /** This cell's weight in the split, when the method had weights. */
          weight: z.number().nullable(),
          parentKey: cellKeySchema,
          parentValue: fen.nullable(),
          siblings: z.number(),
          createdBy: z.string().nullable(),
          createdAt: z.string(),
        })
        .nullable(),
    }),
  ),
});

export const compareQuery = z.object({
  a: z.coerce.number().int().positive(),
  b: z.coerce.number().int().positive(),
  metric: z.string().default('revenue'),
});
export const compareSchema = z.object({
  metric: z.string(),
  rows: z.array(
    z.object({
      key: cellKeySchema,
      ownerNameZh: z.string(),
      ownerNameEn: z.string(),
      a: fen.nullable(),
      b: fen.nullable(),
      /** b − a (missing counts as 0). */
      diff: fen,
      /** The row above in the org tree ('unit:3'): a unit's parent, a member's unit in that period. */
      parentRef: z.string().nullable(),
      /** The owner's place in the org tree (units depth-first, then members by code). */
      order: z.number(),
    }),
  ),
});

export const editCellsBody = z.object({
  /** The whole-version `version` the grid was read at. */
  version: z.number().int().positive(),
  /**
   * The `cellsRev` the grid was read at: the edit is refused (409) if a cell it writes — the edited
   * cell, its re-balanced siblings, the cells re-spread below — was edited since; edits of other
   * subtrees of the draft do not stop it.
   */
  cellsRev: z.number().int().min(0),
  edits: z
    .array(
      z.object({
        cellId: z.number().int().positive(),
        value: fen.optional(),
        locked: z.boolean().optional(),
      }),
    )
    .min(1)
    .max(500),
});
export const editCellsResponse = z.object({
  version: z.number(),
  cellsRev: z.number(),
  changed: z.array(
    z.object({
      cellId: z.number(),
      before: z.object({ value: fen, locked: z.boolean() }),
      after: z.object({ value: fen, locked: z.boolean() }),
    }),
  ),
});

export const proposalBody = z.object({
  metricCode: z.string().default('revenue'),
  ownerType: ownerTypeSchema,
  ownerId: z.number().int().positive(),
  period,
  value: fen.min(0),
  note: z.string().max(2000).default(''),
  /** The proposal's version when changing an existing one. */
  version: z.number().int().positive().optional(),
});
export const proposalSchema = z.object({
  id: z.number(),
  metric: z.string(),
  ownerType: ownerTypeSchema,
  ownerId: z.number(),
  period: z.string(),
  value: fen,
  note: z.string(),
  proposedBy: z.number().nullable(),
  updatedAt: z.string(),
  version: z.number(),
});
export const proposalsQuery = z.object({
  metric: z.string().default('revenue'),
  unitId: z.coerce.number().int().positive().optional(),
  /** Default: the fiscal year. */
  period: period.optional(),
});
export const proposalsSchema = z.object({
  metric: z.string(),
  period: z.string(),
  nodes: z.array(
    z.object({
      ref: z.string(),
      parentRef: z.string().nullable(),
      ownerType: ownerTypeSchema,
      ownerId: z.number(),
      nameZh: z.string(),
      nameEn: z.string(),
      assigned: fen.nullable(),
      proposed: fen,
      ownProposal: fen.nullable(),
      note: z.string().nullable(),
      /** assigned − proposed: positive when proposals fall short of the assignment. */
      gap: fen.nullable(),
      coverageBp: z.number().nullable(),
      leaves: z.number(),
      leavesProposed: z.number(),
      complete: z.boolean(),
    }),
  ),
});

export const monthlyTableQuery = z.object({
  month,
  unitId: z.coerce.number().int().positive().optional(),
  /** Weeks the month is read as for the weekly average; default 4, as in the method's table. */
  weeks: z.coerce.number().int().min(1).max(6).default(4),
});
export const monthlyTableSchema = z.object({
  month: z.string(),
  weeks: z.number(),
  rows: z.array(
    z.object({
      cellId: z.number(),
      ownerType: ownerTypeSchema,
      ownerId: z.number(),
      ownerNameZh: z.string(),
      ownerNameEn: z.string(),
      metric: z.string(),
      metricKind: z.enum(['additive', 'ratio', 'derived']),
      unit: z.enum(['fen', 'count', 'bp']),
      monthlyTarget: fen,
      /** Monthly target ÷ weeks, half-up (a ratio shows its own value). */
      weeklyAverage: fen,
      /** The month over the weeks exactly (Σ = monthly target); null for a ratio. */
      weekly: z.array(fen).nullable(),
      keyStrategy: z.string().nullable(),
    }),
  ),
});
export const keyStrategyBody = z.object({
  cellId: z.number().int().positive(),
  keyStrategy: z.string().max(2000),
});
export const keyStrategyResponse = z.object({
  cellId: z.number(),
  keyStrategy: z.string().nullable(),
});

/** Actuals a plan can learn from: the sales rollups' own measures. */
export const historyMetricSchema = z.enum(['revenue', 'gross_profit', 'deals']);
export const historyQuery = z.object({
  metric: historyMetricSchema.default('revenue'),
  /** Fiscal years before the plan's year, most recent first. */
  years: z.coerce.number().int().min(1).max(5).default(2),
  /** Default: the company root. */
  unitId: z.coerce.number().int().positive().optional(),
});
export const historySchema = z.object({
  metric: historyMetricSchema,
  unitId: z.number(),
  years: z.array(
    z.object({
      fiscalYear: z.number(),
      /** Σ months (fen for money, a count for deals). */
      total: z.number().int(),
      /** The year has ended (China time); otherwise its total is to date and later months are 0. */
      complete: z.boolean(),
      months: z.array(z.object({ month: z.string(), amount: z.number().int() })),
    }),
  ),
  /** The fiscal year just before the plan's: what the top-down lens grows from. */
  lastYearActual: z.number().int(),
});

export const ownerHistoryQuery = z.object({
  metric: historyMetricSchema.default('revenue'),
  /** Default: the company root (the director), a manager's own top unit. */
  unitId: z.coerce.number().int().positive().optional(),
});
export const ownerHistorySchema = z.object({
  metric: historyMetricSchema,
  /** The fiscal year before the plan's. */
  fiscalYear: z.number(),
  /** That year has ended; otherwise the amounts are to date. */
  complete: z.boolean(),
  /** Last fiscal year's actual per owner ('unit:3' its whole subtree, 'member:7' their own credit). */
  owners: z.record(z.string(), z.number().int()),
});

/** Spreadsheet exports: headers in this language (default: the caller's). */
export const exportLang = z.object({ lang: localeSchema.optional() });

/** Two-margin matrix fit (METHOD §11): the axes a matrix can use; the org only as rows. */
export const matrixRowAxisSchema = z.enum([
  'org',
  'product_line',
  'region',
  'segment',
  'channel',
  'lifecycle',
]);
export const matrixColAxisSchema = z.enum([
  'product_line',
  'region',
  'segment',
  'channel',
  'lifecycle',
]);
/** 'history': last year's actual matrix of the unit from the sales rollups; 'even': no structure. */
export const matrixSeedSchema = z.enum(['even', 'history']);

export const matrixQuery = z.object({
  metric: z.string().default('revenue'),
  unitId: z.coerce.number().int().positive(),
  period,
  /** The cell's own dimensions, as in the grid ('productLineId:3'); default none. */
  dims: z.string().max(200).optional(),
  rows: matrixRowAxisSchema,
  cols: matrixColAxisSchema,
  seed: matrixSeedSchema.default('even'),
});

const matrixLine = z.object({
  ref: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  /** The stored margin cell, if any. */
  cellId: z.number().nullable(),
  current: fen.nullable(),
  locked: z.boolean(),
});
export const matrixSchema = z.object({
  metric: z.string(),
  parent: z.object({
    cellId: z.number(),
    key: cellKeySchema,
    value: fen,
    nameZh: z.string(),
    nameEn: z.string(),
  }),
  rowAxis: matrixRowAxisSchema,
  colAxis: matrixColAxisSchema,
  seed: matrixSeedSchema,
  /** The fiscal year the 'history' seed read (the year before the cell's). */
  seedYear: z.number().nullable(),
  rows: z.array(matrixLine),
  cols: z.array(matrixLine),
  /** Current cells row × column (null: not there yet) and their locks. */
  current: z.array(z.array(fen.nullable())),
  locked: z.array(z.array(z.boolean())),
  /** Last year's actual matrix (seed 'history'), else null. */
  seedMatrix: z.array(z.array(z.number())).nullable(),
  /** Pre-filled margins: the stored ones when they already add up to the cell, else the seed's shares. */
  suggestedRowTotals: z.array(fen),
  suggestedColTotals: z.array(fen),
});

export const matrixFitBody = z.object({
  /** The version's `version`; required to apply, ignored by a dry run. */
  version: z.number().int().positive().optional(),
  metricCode: z.string().default('revenue'),
  unitId: z.number().int().positive(),
  period,
  dims: dimsSchema.optional(),
  rowAxis: matrixRowAxisSchema,
  colAxis: matrixColAxisSchema,
  seed: matrixSeedSchema.default('even'),
  /** Row and column totals by reference ('unit:12', 'member:5', a dimension id, a lifecycle). */
  rowTotals: z.record(z.string(), fen.min(0)),
  colTotals: z.record(z.string(), fen.min(0)),
  /** true: fit and return the matrix, write nothing (the preview). */
  dryRun: z.boolean().default(false),
});
export const matrixFitResponse = z.object({
  applied: z.boolean(),
  rows: z.array(z.string()),
  cols: z.array(z.string()),
  rowTotals: z.array(fen),
  colTotals: z.array(fen),
  /** Integers; every row and every column adds up exactly to its total. */
  cells: z.array(z.array(fen)),
  /** The IPF values the cells were rounded from. */
  fitted: z.array(z.array(z.number())),
  iterations: z.number(),
  converged: z.boolean(),
  rounding: z.enum(['controlled', 'flow']),
  cellsWritten: z.number(),
  /** The version's new `version` after applying; null on a dry run. */
  version: z.number().nullable(),
});
