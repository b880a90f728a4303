import { z } from 'zod';
import { factKindNames } from '../../app/facts/kinds.ts';

export const factKindParams = z.object({ kind: z.enum(factKindNames as [string, ...string[]]) });

const createMissingText = z
  .string()
  .regex(/^(customers|products)?(,(customers|products))*$/, 'customers,products')
  .optional();

/** Amounts finer than a fen (957.5775): refused (none, default) or rounded half-up / half-even. */
const roundingSchema = z.enum(['none', 'half-up', 'half-even']).default('none');

/** The order of day-and-month-first dates (11/8/2016); auto: learnt from the file. */
const dateFormatSchema = z.enum(['auto', 'YMD', 'MDY', 'DMY']).default('auto');

export const importQuery = z.object({
  mode: z.enum(['all-or-nothing', 'apply-valid']).default('all-or-nothing'),
  /** Comma list: customers, products. */
  createMissing: createMissingText,
  /** Saved column mapping id. */
  mapping: z.coerce.number().int().positive().optional(),
  rounding: roundingSchema,
  dateFormat: dateFormatSchema,
  dryRun: z.enum(['true', 'false']).optional(),
  /** 'true' always answers 202 with a job; by default only files above the row threshold do. */
  async: z.enum(['true', 'false']).optional(),
});

export const batchBody = z.object({
  rows: z.array(z.record(z.string(), z.unknown())).min(1).max(50_000),
  mode: z.enum(['all-or-nothing', 'apply-valid']).default('all-or-nothing'),
  createMissing: z
    .object({ customers: z.boolean().optional(), products: z.boolean().optional() })
    .optional(),
  mapping: z.number().int().positive().optional(),
  rounding: roundingSchema,
  dateFormat: dateFormatSchema,
  dryRun: z.boolean().optional(),
  /** Names the batch in the history (default "api"). */
  name: z.string().max(200).optional(),
});

export const problemSchema = z.object({
  row: z.number().optional(),
  column: z.string().optional(),
  code: z.string(),
  message: z.string(),
});

export const factImportResultSchema = z.object({
  kind: z.string(),
  batchId: z.number().nullable(),
  rows: z.number(),
  inserted: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  rejected: z.number(),
  created: z.object({ customers: z.array(z.string()), products: z.array(z.string()) }),
  problems: z.array(problemSchema).optional(),
  /** Amounts rounded to the fen by the rounding choice; differenceFen is rounded − written, exact. */
  rounded: z.object({ count: z.number(), differenceFen: z.string() }),
  /** Applied rows dated after today in China (a warning): how many, and the first few row numbers. */
  futureDated: z.object({ count: z.number(), rows: z.array(z.number()) }),
  /** Token for GET /api/facts/bad-rows/:token (apply-valid with rejected rows). */
  badRowsFileId: z.string().optional(),
  dryRun: z.boolean(),
});

export const jobAcceptedSchema = z.object({ jobId: z.string(), total: z.number() });

export const jobSchema = z.object({
  id: z.string(),
  status: z.enum(['running', 'done', 'failed']),
  /** Rows processed so far, of `total`. */
  done: z.number(),
  total: z.number(),
  result: factImportResultSchema.optional(),
  error: z
    .object({ code: z.string(), message: z.string(), problems: z.array(problemSchema) })
    .optional(),
});

export const factBatchSchema = z.object({
  id: z.number(),
  kind: z.string(),
  fileName: z.string(),
  source: z.string(),
  userName: z.string().nullable(),
  createdAt: z.string(),
  status: z.enum(['applied', 'deleted']),
  rows: z.number(),
  inserted: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  summary: z.record(z.string(), z.unknown()),
});

export const batchListQuery = z.object({
  kind: z.enum(factKindNames as [string, ...string[]]).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

const mappingValue = z.record(z.string().min(1).max(200), z.string().max(100).nullable());
/** The import options of the mapping's source system, applied when an import does not choose its own. */
const mappingOptions = z.object({
  rounding: z.enum(['none', 'half-up', 'half-even']).optional(),
  dateFormat: z.enum(['auto', 'YMD', 'MDY', 'DMY']).optional(),
});

export const mappingSchema = z.object({
  id: z.number(),
  kind: z.string(),
  name: z.string(),
  mapping: mappingValue,
  options: mappingOptions,
  updatedAt: z.string(),
  version: z.number(),
  /** Who saved it (null: the command line); only they and admins may change or delete it. */
  createdBy: z.number().nullable(),
});

export const createMappingBody = z.object({
  kind: z.enum(factKindNames as [string, ...string[]]),
  name: z.string().trim().min(1).max(100),
  mapping: mappingValue,
  options: mappingOptions.optional(),
});

export const updateMappingBody = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  mapping: mappingValue.optional(),
  options: mappingOptions.optional(),
  version: z.number().int().positive(),
});

/** A column a fact file may carry, with the headers its templates print. */
export const factColumnSchema = z.object({
  field: z.string(),
  zh: z.string(),
  en: z.string(),
  /** Every header the importer reads as this field without a mapping (compared folded). */
  aliases: z.array(z.string()),
  required: z.boolean(),
  type: z.string(),
});

/** The kinds of facts, for clients that must not import server code. */
export const factKindNameList = factKindNames as readonly string[];
