// Every input and step of a budget estimate (DOMAIN.md §14) as rows: one list per sheet (the total, each standard),
// used for both the 测算 workbook (live formulas with their cached values) and the terminal table, so both show the
// same figures with the same labels. Columns: key · 项目 · Item · 年份 · 数值 · 权重 · 加权值 · 说明.
import { formatFen, formatFenGrouped } from '../../domain/money.js';
import type { Exact } from '../../budget/exact.js';
import type { BottomUpEstimate, Figure, GrowthInput, StandardEstimate, TopDownEstimate, TotalEstimate, WeightedMean } from '../../budget/types.js';
import { type Cell, MONEY_FMT, type RowKind, addr, int, money, num, rowOf } from '../workbook/model.js';
import { L, METHOD_LABEL } from './labels.js';

export const VALUE_COL = 5;
export const WEIGHT_COL = 6;
export const WEIGHTED_COL = 7;

const RATE_FMT = '0.0000';
const WEIGHT_FMT = '0.####';
const PERSONS_FMT = '#,##0.00##';
const UNROUNDED_FMT = '#,##0.00##';

export interface Step {
  readonly key: string; // a short symbol shown in the first column (base, g, M …)
  readonly label: { readonly zh: string; readonly en: string };
  readonly year?: number;
  readonly value: Cell;
  readonly weight?: Cell;
  readonly weighted?: Cell;
  readonly how: string; // the formula in words, with the figures
  readonly kind?: RowKind;
  /** The value as the terminal shows it. */
  readonly shown: string;
  readonly weightShown?: string;
  readonly weightedShown?: string;
}

export interface StepSheet {
  readonly title: { readonly zh: string; readonly en: string };
  readonly steps: readonly Step[];
  /** Index of the result steps (the sheet's answer: the total budget, or the full standard). */
  readonly results: Readonly<Record<string, number>>;
}

/** An amount (or count) shown to people: grouped, two decimals when exact to the fen, else four and "…" (unrounded). */
export function showYuan(x: Exact): string {
  const exact = x.toExactText(2);
  if (exact !== undefined) return formatFenGrouped(x.toFen());
  const four = x.toDisplay(4);
  const [int, frac] = four.replace('…', '').split('.');
  const sign = int.startsWith('-') ? '-' : '';
  const digits = sign ? int.slice(1) : int;
  return `${sign}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}${four.endsWith('…') ? '…' : ''}`;
}

/** An unrounded amount in yuan: the cell keeps 12 decimals, Excel shows two and up to four more when not whole fen. */
const yuanCell = (x: Exact, f?: string): Cell => num(x.toFixed(12), x.toExactText(2) === undefined ? UNROUNDED_FMT : MONEY_FMT, f);
const rateCell = (x: Exact, fmt: string, f?: string): Cell => num(x.toExactText(12) ?? x.toFixed(12), fmt, f);

class SheetBuilder {
  readonly steps: Step[] = [];
  add(step: Step): number {
    this.steps.push(step);
    return this.steps.length - 1;
  }
  /** Address of a step's value / weight / weighted cell. */
  v(i: number): string {
    return addr(VALUE_COL, rowOf(i));
  }
  w(i: number): string {
    return addr(WEIGHT_COL, rowOf(i));
  }
  ws(i: number): string {
    return addr(WEIGHTED_COL, rowOf(i));
  }
}

/** One weighted-mean block: a row per year (value, weight, weight × value), Σ, then the mean. */
function weightedBlock(
  b: SheetBuilder,
  key: string,
  label: { zh: string; en: string },
  years: readonly { year: number; value: Figure; how?: string; formula?: string }[],
  weights: readonly Figure[],
  mean: WeightedMean,
  meanLabel: { zh: string; en: string },
  weightsFrom?: readonly number[],
): { rows: number[]; mean: number } {
  const rows = years.map((y, j) => {
    const i = b.steps.length;
    const w = weights[j];
    const wf = weightsFrom === undefined ? undefined : b.w(weightsFrom[j]);
    const weighted = y.value.value.times(w.value);
    return b.add({
      key: `${key}${y.year}`,
      label,
      year: y.year,
      value: yuanCell(y.value.value, y.formula),
      weight: num(w.text, WEIGHT_FMT, wf),
      weighted: yuanCell(weighted, `${b.v(i)}*${b.w(i)}`),
      how: y.how ?? '',
      shown: showYuan(y.value.value),
      weightShown: w.text,
      weightedShown: showYuan(weighted),
    });
  });
  const first = rows[0];
  const last = rows[rows.length - 1];
  const sumI = b.add({
    key: `Σ`,
    label: L.sum,
    value: null,
    weight: num(mean.sumWeights.toExactText(12) ?? mean.sumWeights.toFixed(12), WEIGHT_FMT, `SUM(${b.w(first)}:${b.w(last)})`),
    weighted: yuanCell(mean.weightedSum, `SUM(${b.ws(first)}:${b.ws(last)})`),
    how: '',
    kind: 'subtotal',
    shown: '',
    weightShown: mean.sumWeights.toDisplay(4),
    weightedShown: showYuan(mean.weightedSum),
  });
  const meanI = b.add({
    key,
    label: meanLabel,
    value: yuanCell(mean.mean, `${b.ws(sumI)}/${b.w(sumI)}`),
    how: `Σ w×v ÷ Σ w = ${showYuan(mean.weightedSum)} ÷ ${mean.sumWeights.toDisplay(4)}`,
    shown: showYuan(mean.mean),
  });
  return { rows, mean: meanI };
}

/** Growth rows: the given rate, or the three factors and (e + g)/2 + cpi. Returns the growth step. */
function growthSteps(b: SheetBuilder, g: GrowthInput, value: Exact): number {
  if (g.kind === 'given') {
    return b.add({ key: 'g', label: L.growth, value: rateCell(value, RATE_FMT), how: L.growthGiven.zh + ' ' + L.growthGiven.en, shown: g.growth.text });
  }
  const e = b.add({ key: 'e', label: L.enrolmentGrowth, value: rateCell(g.enrolmentGrowth.value, RATE_FMT), how: '', shown: g.enrolmentGrowth.text });
  const gdp = b.add({ key: 'gdp', label: L.gdpGrowth, value: rateCell(g.gdpGrowth.value, RATE_FMT), how: '', shown: g.gdpGrowth.text });
  const cpi = b.add({ key: 'cpi', label: L.cpi, value: rateCell(g.cpi.value, RATE_FMT), how: '', shown: g.cpi.text });
  return b.add({
    key: 'g',
    label: L.growth,
    value: rateCell(value, RATE_FMT, `(${b.v(e)}+${b.v(gdp)})/2+${b.v(cpi)}`),
    how: `(${g.enrolmentGrowth.text} + ${g.gdpGrowth.text}) / 2 + ${g.cpi.text}`,
    shown: value.toExactText(12) ?? value.toDisplay(6),
  });
}

function ratioStep(b: SheetBuilder, ratio: Figure): number {
  return b.add({ key: 'r', label: L.reimbursementRatio, value: rateCell(ratio.value, RATE_FMT), how: '', shown: ratio.text });
}

export function totalSheet(t: TotalEstimate): StepSheet {
  const b = new SheetBuilder();
  const input = t.input;
  const base = weightedBlock(
    b,
    'base',
    L.spend,
    input.years.map((y) => ({ year: y.year, value: y.spend, how: y.fromClaims ? `Σ fund_paid · ${y.fromClaims.file} (${y.fromClaims.rows} ${L.rows.zh} rows)` : '' })),
    input.weights,
    t.base,
    L.base,
  );
  const r = ratioStep(b, input.reimbursementRatio);
  const g = growthSteps(b, input.growth, t.growth);
  const grownF = `${b.v(base.mean)}*${b.v(r)}*(1+${b.v(g)})`;
  const amount = b.add({
    key: 'B',
    label: L.amount,
    value: money(t.amount, `ROUND(${grownF},2)`),
    how: `base × r × (1 + g) = ${showYuan(t.base.mean)} × ${input.reimbursementRatio.text} × (1 + ${t.growth.toExactText(12) ?? t.growth.toDisplay(6)}) = ${showYuan(t.amountExact)}`,
    kind: 'total',
    shown: formatFenGrouped(t.amount),
  });
  const results: Record<string, number> = { amount };
  if (input.enrolment !== undefined && t.perCapitaExact !== undefined && t.perCapita !== undefined) {
    const n = b.add({ key: 'N', label: L.enrolment, value: int(input.enrolment), how: '', shown: input.enrolment.toLocaleString('en-US') });
    results.perCapita = b.add({
      key: 'B/N',
      label: L.perCapita,
      value: money(t.perCapita, `ROUND(${grownF}/${b.v(n)},2)`),
      how: `${L.unroundedTotal.zh} unrounded B ÷ N = ${showYuan(t.amountExact)} ÷ ${input.enrolment.toLocaleString('en-US')} = ${showYuan(t.perCapitaExact)}`,
      kind: 'total',
      shown: formatFenGrouped(t.perCapita),
    });
  }
  return { title: L.totalSheet, steps: b.steps, results };
}

/** M (unrounded and rounded), each add-on, and the full standard = round(M + Σ add-ons). */
function standardTail(b: SheetBuilder, s: StandardEstimate, mFormula: string, mHow: string): Record<string, number> {
  const mu = b.add({ key: 'M*', label: L.mUnrounded, value: yuanCell(s.mExact, mFormula), how: mHow, shown: showYuan(s.mExact) });
  const m = b.add({ key: 'M', label: L.m, value: money(s.m, `ROUND(${b.v(mu)},2)`), how: L.roundedOnce.zh + ' ' + L.roundedOnce.en, kind: 'subtotal', shown: formatFenGrouped(s.m) });
  const addOns = s.input.addOns.map((a) =>
    b.add({ key: '+', label: { zh: `${L.addOn.zh}：${a.name}`, en: `${L.addOn.en}: ${a.name}` }, value: money(a.amount), how: '', shown: formatFenGrouped(a.amount) }),
  );
  const sumF = addOns.length === 0 ? '' : `+SUM(${b.v(addOns[0])}:${b.v(addOns[addOns.length - 1])})`;
  const standard = b.add({
    key: 'S',
    label: L.standard,
    value: money(s.standard, `ROUND(${b.v(mu)}${sumF},2)`),
    how: `M + ${L.addOn.zh} add-ons = ${formatFenGrouped(s.m)} + ${formatFenGrouped(s.addOnsTotal)}`,
    kind: 'total',
    shown: formatFenGrouped(s.standard),
  });
  return { m, standard };
}

function bottomUpSheet(s: BottomUpEstimate): StepSheet {
  const b = new SheetBuilder();
  const input = s.input;
  const fromClaims = (y: (typeof input.years)[number], which: 'totalCost' | 'selfPay') => {
    const c = y.fromClaims;
    if (c === undefined) return {};
    const sumFen = c[which];
    return {
      formula: `${formatFen(sumFen)}/${c.persons}`,
      how: `Σ ${which === 'totalCost' ? 'total_cost' : 'patient_paid'} ${formatFenGrouped(sumFen)} ÷ ${c.persons} ${L.persons.zh} persons · ${c.file}`,
    };
  };
  const cost = weightedBlock(
    b,
    'cost',
    L.perCapitaCost,
    input.years.map((y) => ({ year: y.year, value: y.perCapitaCost, ...fromClaims(y, 'totalCost') })),
    input.weights,
    s.cost,
    L.meanCost,
  );
  const self = weightedBlock(
    b,
    'self',
    L.perCapitaSelfPay,
    input.years.map((y) => ({ year: y.year, value: y.perCapitaSelfPay, ...fromClaims(y, 'selfPay') })),
    input.weights,
    s.selfPay,
    L.meanSelfPay,
    cost.rows, // one weight per year: the self-pay rows use the cost rows' weights
  );
  const results = standardTail(b, s, `${b.v(cost.mean)}-${b.v(self.mean)}`, `${showYuan(s.cost.mean)} − ${showYuan(s.selfPay.mean)}`);
  return { title: { zh: `${input.name}（${METHOD_LABEL.bottomUp.zh}）`, en: `${METHOD_LABEL.bottomUp.en} standard` }, steps: b.steps, results };
}

function topDownSheet(s: TopDownEstimate): StepSheet {
  const b = new SheetBuilder();
  const input = s.input;
  const tc = b.add({ key: 'TC', label: L.totalCost, value: yuanCell(input.totalCost.value), how: '', shown: showYuan(input.totalCost.value) });
  const r = ratioStep(b, input.reimbursementRatio);
  const g = growthSteps(b, input.growth, s.growth);
  const fundF = `${b.v(tc)}*${b.v(r)}*(1+${b.v(g)})`;
  const fu = b.add({
    key: 'F*',
    label: L.fundUnrounded,
    value: yuanCell(s.fundExact, fundF),
    how: `TC × r × (1 + g) = ${showYuan(input.totalCost.value)} × ${input.reimbursementRatio.text} × (1 + ${s.growth.toExactText(12) ?? s.growth.toDisplay(6)})`,
    shown: showYuan(s.fundExact),
  });
  b.add({ key: 'F', label: L.fund, value: money(s.fund, `ROUND(${b.v(fu)},2)`), how: L.shownOnly.zh + ' ' + L.shownOnly.en, shown: formatFenGrouped(s.fund) });
  const visits = b.add({ key: 'V', label: L.visits, value: int(input.visits), how: '', shown: input.visits.toLocaleString('en-US') });
  const vpp = b.add({ key: 'v', label: L.visitsPerPerson, value: rateCell(input.visitsPerPerson.value, WEIGHT_FMT), how: '', shown: input.visitsPerPerson.text });
  const persons = b.add({
    key: 'n',
    label: L.persons,
    value: num(s.personsExact.toExactText(12) ?? s.personsExact.toFixed(12), PERSONS_FMT, `${b.v(visits)}/${b.v(vpp)}`),
    how: `V ÷ v = ${input.visits} ÷ ${input.visitsPerPerson.text}`,
    shown: showYuan(s.personsExact),
  });
  const results = standardTail(b, s, `${b.v(fu)}/${b.v(persons)}`, `F* ÷ n = ${showYuan(s.fundExact)} ÷ ${showYuan(s.personsExact)}`);
  return { title: { zh: `${input.name}（${METHOD_LABEL.topDown.zh}）`, en: `${METHOD_LABEL.topDown.en} standard` }, steps: b.steps, results };
}

export function standardSheet(s: StandardEstimate): StepSheet {
  return s.method === 'bottomUp' ? bottomUpSheet(s) : topDownSheet(s);
}
