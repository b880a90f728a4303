import { z } from 'zod';
import { REASON_CATEGORIES } from '../../domain/adjustments/request-state.ts';

const fen = z.number().int().safe();

export const changeSpecSchema = z
  .object({
    versionId: z.number().int().positive(),
    climb: z.number().int().min(0).max(5).optional(),
    cells: z
      .array(z.object({ cellId: z.number().int().positive(), value: fen.min(0) }))
      .max(500)
      .optional(),
    total: z
      .object({
        ownerType: z.enum(['unit', 'member']),
        ownerId: z.number().int().positive(),
        metricId: z.number().int().positive(),
        value: fen.min(0),
      })
      .optional(),
  })
  .refine((s) => (s.cells?.length ?? 0) > 0 || s.total !== undefined, {
    message: 'cells or total',
    path: ['cells'],
  });

export const contentBody = z.object({
  spec: changeSpecSchema,
  reasonCategory: z.enum(REASON_CATEGORIES),
  reasonText: z.string().trim().min(1).max(4000),
  alertId: z.number().int().positive().nullable().optional(),
});

export const createBody = contentBody.extend({ send: z.boolean().default(false) });
export const amendBody = contentBody.extend({ version: z.number().int().positive() });
export const decideBody = z.object({
  version: z.number().int().positive(),
  comment: z.string().trim().max(4000).default(''),
});
export const listQuery = z.object({
  box: z.enum(['mine', 'awaiting', 'all']).default('all'),
});

const chainStep = z.object({
  kind: z.enum(['member', 'role']),
  memberId: z.number().optional(),
  role: z.enum(['admin', 'finance']).optional(),
  unitId: z.number().nullable(),
  why: z.enum(['line', 'owner', 'threshold', 'incentive']),
  nameZh: z.string(),
  nameEn: z.string(),
  unitKind: z.enum(['company', 'region', 'branch', 'team']).nullable(),
});

const diffRow = z.object({
  cellId: z.number(),
  ownerType: z.enum(['unit', 'member']),
  ownerId: z.number(),
  nameZh: z.string(),
  nameEn: z.string(),
  period: z.string(),
  productLineId: z.number(),
  dimensional: z.boolean(),
  before: fen,
  after: fen,
  requested: z.boolean(),
});

const requestedCell = z.object({ cellId: z.number(), before: fen, after: fen });

export const previewSchema = z.object({
  versionId: z.number(),
  metricId: z.number(),
  metricCode: z.string(),
  firstOpenMonth: z.string(),
  requested: z.array(requestedCell),
  changes: z.array(diffRow),
  ownerUnitId: z.number(),
  chain: z.array(chainStep),
  effects: z.array(
    z.object({
      cellId: z.number(),
      period: z.string(),
      actual: fen,
      before: z.object({ attainmentBp: z.number().nullable(), tier: z.string() }),
      after: z.object({ attainmentBp: z.number().nullable(), tier: z.string() }),
    }),
  ),
});

const states = z.enum(['draft', 'pending', 'rejected', 'recalled', 'applied']);

export const summarySchema = z.object({
  id: z.number(),
  state: states,
  requester: z.string(),
  versionId: z.number(),
  metricId: z.number(),
  reasonCategory: z.string(),
  reasonText: z.string(),
  alertId: z.number().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  currentStep: z.number(),
  steps: z.number(),
  awaitingMe: z.boolean(),
  mine: z.boolean(),
  delta: fen,
});

export const detailSchema = summarySchema.extend({
  version: z.number(),
  requesterUserId: z.number(),
  chain: z.array(chainStep),
  requested: z.array(
    requestedCell.extend({ ownerType: z.string(), ownerId: z.number(), period: z.string() }),
  ),
  changes: z.array(diffRow),
  previewError: z.string().nullable(),
  trail: z.array(
    z.object({
      step: z.number(),
      decision: z.string(),
      by: z.string().nullable(),
      comment: z.string(),
      enteredAt: z.string(),
      decidedAt: z.string(),
      waitedMs: z.number(),
    }),
  ),
  files: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      mime: z.string(),
      size: z.number(),
      createdAt: z.string(),
    }),
  ),
  stepEnteredAt: z.string().nullable(),
  appliedAt: z.string().nullable(),
});
