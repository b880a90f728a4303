import { z } from 'zod';

export const tierRuleSchema = z.object({
  tier: z.enum(['A', 'B', 'C']),
  /** Lowest annual purchase (fen, inclusive) that earns the tier. */
  minAnnualPurchase: z.number().int().min(0),
});

const fields = {
  /** The month the fiscal year starts (1 = calendar year). */
  fiscalYearStartMonth: z.number().int().min(1).max(12),
  customerTierRules: z.array(tierRuleSchema).min(1).max(3),
  companyNameZh: z.string().trim().max(200),
  companyNameEn: z.string().trim().max(200),
};

export const settingsSchema = z.object({ ...fields, version: z.number() });
export const updateSettingsBody = z.object({ ...fields, version: z.number().int().positive() });
export const updateSettingsResponse = settingsSchema.extend({
  /** Customers whose tier changed because the tier rules changed. */
  reclassifiedCustomers: z.number(),
});
