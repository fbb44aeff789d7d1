// A history object (parsed YAML, every scalar text) → a checked History: the zod shape first, then the cross-key
// rules (growth given once, years in order and before the budget year, one weight per year, self-pay within cost,
// unique names and contracts), with every problem collected and thrown together as InputRejected.
// With `--claims`, the years of the total and of every bottom-up standard come from the claims instead of the file.
import { InputRejected } from '../domain/errors.js';
import type { Category, Fund, InputError } from '../domain/types.js';
import { parseYuanToFen } from '../domain/money.js';
import type { ClaimsYear } from './claims.js';
import { growthOf } from './estimate.js';
import { Exact } from './exact.js';
import { historyIssueToError, ruleError } from './messages.js';
import { type RawGrowth, type RawHistory, type RawStandard, type RawTotal, historySchema } from './schema.js';
import type { AddOn, Contract, Figure, GrowthInput, History, PerCapitaYear, SpendYear, StandardInput, TotalInput } from './types.js';

const fig = (text: string): Figure => ({ value: Exact.of(text), text: text.trim() });
/** A figure computed from claims, shown to two decimals (the value stays exact). */
const derived = (value: Exact): Figure => ({ value, text: value.toDisplay(2) });
const ONE: Figure = { value: Exact.ONE, text: '1' };

type Errors = InputError[];

export function historyFromObject(obj: unknown, file: string, claims?: readonly ClaimsYear[]): History {
  const parsed = historySchema.safeParse(obj);
  if (!parsed.success) throw new InputRejected(parsed.error.issues.map((i) => historyIssueToError(i, obj, file)));
  const raw: RawHistory = parsed.data;
  const errors: Errors = [];
  const year = Number(raw.year);
  const standardsRaw = raw.standards ?? [];
  if (raw.total === undefined && standardsRaw.length === 0) {
    errors.push(ruleError(file, '(root)', undefined, 'history.empty', '测算文件中既没有 total 也没有 standards，无可测算', 'the history has neither total nor standards: nothing to estimate'));
  }
  if (claims !== undefined) checkClaimYears(claims, year, file, errors);
  const total = raw.total === undefined ? undefined : totalInput(raw.total, year, file, errors, claims);
  const standards = standardsRaw.map((s, i) => standardInput(s, i, year, file, errors, claims));
  checkUnique(standardsRaw, file, errors);
  if (errors.length > 0) throw new InputRejected(errors);
  return { year, ...(total === undefined ? {} : { total }), standards: standards as StandardInput[] };
}

function checkClaimYears(claims: readonly ClaimsYear[], year: number, file: string, errors: Errors): void {
  claims.forEach((c, i) => {
    if (i > 0 && c.year <= claims[i - 1].year) {
      errors.push(ruleError(c.file, '--claims', String(c.year), 'years.order', `--claims 的年份须从早到晚递增：${c.year} 不晚于 ${claims[i - 1].year}`, `--claims years must increase, oldest first: ${c.year} is not after ${claims[i - 1].year}`));
    }
    if (c.year >= year) {
      errors.push(ruleError(c.file, '--claims', String(c.year), 'years.notPast', `--claims 的年份 ${c.year} 不早于测算年度 ${year}`, `--claims year ${c.year} is not before the budget year ${year}`));
    }
  });
}

/** Years oldest first, strictly increasing, all before the budget year. */
function checkYears(years: readonly string[], base: string, year: number, file: string, errors: Errors): void {
  years.forEach((y, i) => {
    const n = Number(y);
    const path = `${base}[${i}].year`;
    if (i > 0 && n <= Number(years[i - 1])) {
      errors.push(ruleError(file, path, y, 'years.order', `年份须从早到晚递增：${y} 不晚于上一年 ${years[i - 1]}`, `years must increase, oldest first: ${y} is not after ${years[i - 1]}`));
    }
    if (n >= year) errors.push(ruleError(file, path, y, 'years.notPast', `历史年份 ${y} 不早于测算年度 ${year}`, `history year ${y} is not before the budget year ${year}`));
  });
}

/** One weight per year (default: equal), not all zero. */
function weightsFor(raw: readonly string[] | undefined, years: number, path: string, file: string, errors: Errors): Figure[] {
  if (raw === undefined) return Array.from({ length: years }, () => ONE);
  if (raw.length !== years) {
    errors.push(ruleError(file, path, raw.join(', '), 'weights.length', `权重个数 ${raw.length} 与年份个数 ${years} 不一致`, `${raw.length} weights for ${years} years: give one weight per year`));
  }
  const weights = raw.map(fig);
  if (weights.every((w) => w.value.isZero())) {
    errors.push(ruleError(file, path, raw.join(', '), 'weights.zero', '权重不能全为 0', 'the weights must not all be 0'));
  }
  return weights;
}

/** Growth given once: `growth`, or `growthFactors`; 1 + growth must stay above 0. */
function growthInput(raw: RawGrowth, base: string, file: string, errors: Errors): GrowthInput {
  const prefix = base === '' ? '' : `${base}.`;
  if (raw.growth !== undefined && raw.growthFactors !== undefined) {
    errors.push(ruleError(file, `${prefix}growthFactors`, undefined, 'growth.both', `${prefix}growth 与 ${prefix}growthFactors 只能给出一个`, `give either ${prefix}growth or ${prefix}growthFactors, not both`));
  }
  let g: GrowthInput;
  if (raw.growth !== undefined) g = { kind: 'given', growth: fig(raw.growth) };
  else if (raw.growthFactors !== undefined) {
    const f = raw.growthFactors;
    g = { kind: 'factors', enrolmentGrowth: fig(f.enrolmentGrowth), gdpGrowth: fig(f.gdpGrowth), cpi: fig(f.cpi) };
  } else {
    errors.push(ruleError(file, `${prefix}growth`, undefined, 'growth.missing', `缺少增长率：请给出 ${prefix}growth 或 ${prefix}growthFactors（不增长请写 growth: 0）`, `growth is missing: give ${prefix}growth or ${prefix}growthFactors (write growth: 0 for none)`));
    return { kind: 'given', growth: { value: Exact.ZERO, text: '0' } };
  }
  const value = growthOf(g);
  if (value.compare(Exact.of(-1)) <= 0) {
    const path = g.kind === 'given' ? `${prefix}growth` : `${prefix}growthFactors`;
    errors.push(ruleError(file, path, value.toDisplay(6), 'growth.range', `增长率 ${value.toDisplay(6)} 不能小于等于 -1（预算将为 0 或负数）`, `growth ${value.toDisplay(6)} must be above -1 (the budget would be zero or negative)`));
  }
  return g;
}

function totalInput(t: RawTotal, year: number, file: string, errors: Errors, claims?: readonly ClaimsYear[]): TotalInput {
  let years: SpendYear[];
  if (claims !== undefined) {
    if (t.years !== undefined) {
      errors.push(ruleError(file, 'total.years', undefined, 'years.both', '已用 --claims 从结算明细汇总历年支出，测算文件中不应再给出 total.years', 'the years come from --claims: remove total.years from the history file'));
    }
    years = claims.map((c) => ({ year: c.year, spend: derived(Exact.fen(c.fundSpend)), fromClaims: { file: c.file, rows: c.rows } }));
  } else {
    if (t.years === undefined) {
      errors.push(ruleError(file, 'total.years', undefined, 'required', '缺少必填项 total.years（或用 --claims 从结算明细汇总）', 'total.years is required (or sum them from claims with --claims)'));
      years = [];
    } else {
      checkYears(t.years.map((y) => y.year), 'total.years', year, file, errors);
      years = t.years.map((y) => ({ year: Number(y.year), spend: fig(y.spend) }));
    }
  }
  return {
    years,
    weights: weightsFor(t.weights, years.length, 'total.weights', file, errors),
    weightsGiven: t.weights !== undefined,
    reimbursementRatio: t.reimbursementRatio === undefined ? ONE : fig(t.reimbursementRatio),
    growth: growthInput(t, 'total', file, errors),
    ...(t.enrolment === undefined ? {} : { enrolment: Number(t.enrolment) }),
    category: (t.category ?? 'resident') as Category,
    fund: (t.fund ?? 'basic') as Fund,
  };
}

function common(s: RawStandard): { addOns: AddOn[]; contracted: Contract[] } {
  return {
    addOns: Object.entries(s.addOns ?? {}).map(([name, v]) => ({ name, amount: parseYuanToFen(v) as number })),
    contracted: (s.contracted ?? []).map((c) => ({ institution: c.institution.trim(), enrollees: Number(c.enrollees) })),
  };
}

function standardInput(s: RawStandard, i: number, year: number, file: string, errors: Errors, claims?: readonly ClaimsYear[]): StandardInput {
  const base = `standards[${i}]`;
  if (s.method === 'topDown') {
    return {
      method: 'topDown',
      name: s.name,
      ...common(s),
      totalCost: fig(s.totalCost),
      reimbursementRatio: s.reimbursementRatio === undefined ? ONE : fig(s.reimbursementRatio),
      growth: growthInput(s, base, file, errors),
      visits: Number(s.visits),
      visitsPerPerson: fig(s.visitsPerPerson),
    };
  }
  let years: PerCapitaYear[];
  if (claims !== undefined) {
    if (s.years !== undefined) {
      errors.push(ruleError(file, `${base}.years`, undefined, 'years.both', `已用 --claims 从结算明细汇总，测算文件中不应再给出 ${base}.years`, `the years come from --claims: remove ${base}.years from the history file`));
    }
    years = claims.map((c) => perCapitaFromClaims(s.name, c, base, errors));
  } else if (s.years === undefined) {
    errors.push(ruleError(file, `${base}.years`, undefined, 'required', `缺少必填项 ${base}.years（或用 --claims 从结算明细汇总）`, `${base}.years is required (or sum them from claims with --claims)`));
    years = [];
  } else {
    checkYears(s.years.map((y) => y.year), `${base}.years`, year, file, errors);
    s.years.forEach((y, j) => {
      if (Exact.of(y.perCapitaSelfPay).compare(Exact.of(y.perCapitaCost)) > 0) {
        errors.push(ruleError(file, `${base}.years[${j}].perCapitaSelfPay`, y.perCapitaSelfPay, 'selfPay.exceedsCost', `人均个人负担 ${y.perCapitaSelfPay} 大于人均费用 ${y.perCapitaCost}`, `per-capita self-pay ${y.perCapitaSelfPay} exceeds per-capita cost ${y.perCapitaCost}`));
      }
    });
    years = s.years.map((y) => ({ year: Number(y.year), perCapitaCost: fig(y.perCapitaCost), perCapitaSelfPay: fig(y.perCapitaSelfPay) }));
  }
  return {
    method: 'bottomUp',
    name: s.name,
    ...common(s),
    years,
    weights: weightsFor(s.weights, years.length, `${base}.weights`, file, errors),
    weightsGiven: s.weights !== undefined,
  };
}

/** Per-capita cost and self-pay of one contract type in one claims year: sums ÷ contracted persons. */
function perCapitaFromClaims(name: string, c: ClaimsYear, base: string, errors: Errors): PerCapitaYear {
  const t = c.byType.get(name);
  if (t === undefined || t.persons === 0) {
    errors.push(ruleError(c.file, `${base}.name`, name, 'claims.noContractType', `${c.year} 年的结算明细中没有签约类型（contract_type / 签约类型）为“${name}”的签约人员，无法计算人均费用`, `the ${c.year} claims have no contracted person with contract_type (签约类型) "${name}": no per-capita cost`));
    return { year: c.year, perCapitaCost: derived(Exact.ZERO), perCapitaSelfPay: derived(Exact.ZERO) };
  }
  const persons = Exact.of(t.persons);
  if (t.selfPay > t.totalCost || t.selfPay < 0) {
    errors.push(ruleError(c.file, `${base}.name`, name, 'selfPay.exceedsCost', `${c.year} 年“${name}”的个人负担合计超出医疗总费用合计，或为负数`, `${c.year}: the self-pay of "${name}" exceeds its total cost, or is negative`));
  }
  return {
    year: c.year,
    perCapitaCost: derived(Exact.fen(t.totalCost).div(persons)),
    perCapitaSelfPay: derived(Exact.fen(t.selfPay).div(persons)),
    fromClaims: { file: c.file, rows: c.rows, totalCost: t.totalCost, selfPay: t.selfPay, persons: t.persons },
  };
}

/** Standard names and contracted institutions appear once (a scenario refuses two contracts of one institution). */
function checkUnique(standards: readonly RawStandard[], file: string, errors: Errors): void {
  const names = new Map<string, number>();
  const institutions = new Map<string, string>();
  standards.forEach((s, i) => {
    const prev = names.get(s.name);
    if (prev !== undefined) {
      errors.push(ruleError(file, `standards[${i}].name`, s.name, 'standard.duplicate', `标准名称“${s.name}”与 standards[${prev}] 重复`, `standard name "${s.name}" repeats standards[${prev}]`));
    } else names.set(s.name, i);
    (s.contracted ?? []).forEach((c, j) => {
      const id = c.institution.trim();
      const where = `standards[${i}].contracted[${j}].institution`;
      const first = institutions.get(id);
      if (first !== undefined) {
        errors.push(ruleError(file, where, id, 'contracted.duplicate', `签约机构 ${id} 已在 ${first} 中出现：一个机构只能有一个按人头签约`, `institution ${id} already appears at ${first}: one capitation contract per institution`));
      } else institutions.set(id, where);
    });
  });
}
