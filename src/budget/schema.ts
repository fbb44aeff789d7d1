// The shape of a budget history file (DOMAIN.md §14), checked with zod like a scenario: parsed with every scalar as
// text (YAML failsafe), numbers read as exact decimals, unknown keys refused. Cross-key rules live in `rules.ts`.
import { z } from 'zod';
import { CATEGORIES, FUNDS } from '../domain/types.js';
import { count, decimalText, fraction, nonNegative } from '../scenario/schema.js';
import { dec, isDecimalText } from '../domain/money.js';

const text = z.string().min(1);
const year = z.string().refine((s) => /^\d{4}$/.test(s.trim()), { params: { rule: 'year' } });

/** Yuan with at most two decimals (an add-on is a fee per person; whole fen keep the standard adding up). */
const yuan = nonNegative.refine((s) => !isDecimalText(s) || dec(s).decimalPlaces() <= 2, { params: { rule: 'yuan' } });
/** A number above zero (a divisor: visits per person). */
const positive = decimalText.refine((s) => !isDecimalText(s) || dec(s).greaterThan(0), { params: { rule: 'positive' } });
/** A whole number above zero (a divisor: enrolment, visits). */
const positiveCount = count.refine((s) => !/^\s*\d+\s*$/.test(s) || Number(s) > 0, { params: { rule: 'positiveCount' } });

const weights = z.array(nonNegative).min(1);
const growthFactors = z.strictObject({ enrolmentGrowth: decimalText, gdpGrowth: decimalText, cpi: decimalText });
const addOns = z.record(z.string(), yuan);
const contracted = z.array(z.strictObject({ institution: text, enrollees: count })).min(1);

const total = z.strictObject({
  years: z.array(z.strictObject({ year, spend: nonNegative })).min(1).optional(),
  weights: weights.optional(),
  reimbursementRatio: fraction.optional(),
  growth: decimalText.optional(),
  growthFactors: growthFactors.optional(),
  enrolment: positiveCount.optional(),
  category: z.enum(CATEGORIES).optional(),
  fund: z.enum(FUNDS).optional(),
});

const bottomUp = z.strictObject({
  name: text,
  method: z.literal('bottomUp'),
  weights: weights.optional(),
  years: z.array(z.strictObject({ year, perCapitaCost: nonNegative, perCapitaSelfPay: nonNegative })).min(1).optional(),
  addOns: addOns.optional(),
  contracted: contracted.optional(),
});

const topDown = z.strictObject({
  name: text,
  method: z.literal('topDown'),
  totalCost: nonNegative,
  reimbursementRatio: fraction.optional(),
  growth: decimalText.optional(),
  growthFactors: growthFactors.optional(),
  visits: positiveCount,
  visitsPerPerson: positive,
  addOns: addOns.optional(),
  contracted: contracted.optional(),
});

export const STANDARD_METHODS = ['bottomUp', 'topDown'] as const;

export const historySchema = z.strictObject({
  year,
  total: total.optional(),
  standards: z.array(z.discriminatedUnion('method', [bottomUp, topDown])).optional(),
});

export type RawHistory = z.infer<typeof historySchema>;
export type RawTotal = z.infer<typeof total>;
export type RawStandard = z.infer<typeof bottomUp> | z.infer<typeof topDown>;
export type RawGrowth = { growth?: string; growthFactors?: z.infer<typeof growthFactors> };
