// The JSON of `budget --json FILE` (DOMAIN.md §14): total {base, growth, amount, perCapita}; standards[] {name, method,
// fund, persons (top-down), M, addOns, standard}. Money and M as two-decimal strings rounded half-up once from the
// exact value, persons to two decimals, growth as given or derived (exact). More keys are added after the contract
// ones (weights, inputs with SHA-256, engine version); no clock, so the same inputs give the same bytes.
import { formatFen } from '../../domain/money.js';
import type { BudgetEstimate, EstimateInputFile, GrowthInput, StandardEstimate, TotalEstimate } from '../../budget/types.js';
import type { Exact } from '../../budget/exact.js';

const growthText = (g: GrowthInput, value: Exact): string => (g.kind === 'given' ? g.growth.text : (value.toExactText(30) ?? value.toFixed(12)));

function totalJson(t: TotalEstimate) {
  const i = t.input;
  return {
    base: t.base.mean.toFixed(2),
    growth: growthText(i.growth, t.growth),
    amount: formatFen(t.amount),
    perCapita: t.perCapita === undefined ? null : formatFen(t.perCapita),
    years: i.years.map((y) => ({ year: y.year, spend: y.spend.value.toFixed(2) })),
    weights: i.weights.map((w) => w.text),
    reimbursementRatio: i.reimbursementRatio.text,
    ...(i.growth.kind === 'factors'
      ? { growthFactors: { enrolmentGrowth: i.growth.enrolmentGrowth.text, gdpGrowth: i.growth.gdpGrowth.text, cpi: i.growth.cpi.text } }
      : {}),
    enrolment: i.enrolment ?? null,
  };
}

function standardJson(s: StandardEstimate) {
  const addOns = Object.fromEntries(s.input.addOns.map((a) => [a.name, formatFen(a.amount)]));
  const result = { M: formatFen(s.m), addOns, standard: formatFen(s.standard) };
  if (s.method === 'topDown') {
    return {
      name: s.input.name,
      method: s.method,
      fund: formatFen(s.fund),
      persons: s.personsExact.toFixed(2),
      ...result,
      growth: growthText(s.input.growth, s.growth),
    };
  }
  return {
    name: s.input.name,
    method: s.method,
    ...result,
    years: s.input.years.map((y) => ({ year: y.year, perCapitaCost: y.perCapitaCost.value.toFixed(2), perCapitaSelfPay: y.perCapitaSelfPay.value.toFixed(2) })),
    weights: s.input.weights.map((w) => w.text),
  };
}

export function estimateToJson(e: BudgetEstimate, inputs: readonly EstimateInputFile[], engineVersion: string) {
  return {
    year: e.year,
    total: e.total === undefined ? null : totalJson(e.total),
    standards: e.standards.map(standardJson),
    inputs: inputs.map((f) => ({ role: f.role, ...(f.year === undefined ? {} : { year: f.year }), file: f.file, sha256: f.sha256 })),
    engineVersion,
  };
}

export function estimateToJsonText(e: BudgetEstimate, inputs: readonly EstimateInputFile[], engineVersion: string): string {
  return `${JSON.stringify(estimateToJson(e, inputs, engineVersion), null, 2)}\n`;
}
