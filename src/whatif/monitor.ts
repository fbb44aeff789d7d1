// 月度监测 (monitor): the claims to date against the prepayments to date, month by month, and the year end
// projected from the run-rate (to date × 12 / months) and, when a prior year is given, from the same months of the
// prior year (to date × prior full year / prior same months). A projected overrun (X < 0) is flagged early.
// To date, the DIP settlement pool and capitation count pro rata (m/12). Through the last month of the year the
// projection is the year-end settlement itself, equal to `settle`.
import { computeBudget } from '../domain/budget.js';
import { settle } from '../domain/engine.js';
import { InputRejected } from '../domain/errors.js';
import { Decimal, type Dec, type Fen, fenDec, formatFenGrouped, roundFen } from '../domain/money.js';
import type { ActualsResult, InputFile, SettlementResult } from '../domain/result.js';
import type { Scenario } from '../domain/types.js';
import type { ClaimTable } from './claimtable.js';

export interface MonitorMonth {
  readonly month: string; // YYYY-MM
  readonly liabilityInMonth: Fen; // L of claims served in the month
  readonly deductionsInMonth: Fen; // D of the month
  readonly liabilityToDate: Fen;
  readonly deductionsToDate: Fen;
  readonly capitationToDate: Fen; // pro rata
  readonly prepaidToDate: Fen; // installments dated in or before the month
  readonly position: Fen; // prepaid − L − C to date (positive: the group holds more than it has earned)
  readonly projectedBalance: Fen; // run-rate X
  readonly projectedGroupTotal: Fen;
  readonly projectedYearEndPayment: Fen;
  readonly priorProjectedBalance?: Fen; // from the prior year's same months
  readonly overrun: boolean; // a projection shows X < 0
}

export interface MonitorResult {
  readonly through: string;
  readonly months: readonly MonitorMonth[];
  /** The run-rate projection of the year end at `through`, as a full settlement (equals `settle` at month 12). */
  readonly projection: SettlementResult;
  readonly priorProjection?: SettlementResult;
  readonly warnings: readonly { readonly zh: string; readonly en: string }[];
}

export interface PriorYear {
  readonly scenario: Scenario;
  readonly table: ClaimTable;
}

function bad(zh: string, en: string): InputRejected {
  return new InputRejected([{ file: '--through', rule: 'monitor.through', zh, en }]);
}

/** `YYYY-MM` → month number 1–12 within `year`. */
export function parseThrough(through: string, year: number): number {
  const m = /^(\d{4})-(\d{2})$/.exec(through.trim());
  if (!m) throw bad(`--through 应写作 YYYY-MM：${through}`, `--through must be YYYY-MM: ${through}`);
  const month = Number(m[2]);
  if (Number(m[1]) !== year) throw bad(`--through ${through} 不在场景年度 ${year} 内`, `--through ${through} is not in the scenario year ${year}`);
  if (month < 1 || month > 12) throw bad(`--through 的月份无效：${through}`, `--through has no such month: ${through}`);
  return month;
}

/** The scenario as it stands after `m` months: the DIP settlement pool pro rata (m/12). */
function toDateScenario(s: Scenario, m: number): Scenario {
  const dip = s.payments.dip;
  if (m === 12 || dip?.pool === undefined || dip.pointValue !== undefined) return s;
  return { ...s, payments: { ...s.payments, dip: { ...dip, pool: { ...dip.pool, amount: dip.pool.amount.times(m).dividedBy(12) } } } };
}

const endOfMonth = (year: number, m: number) => year * 10000 + m * 100 + 31;

function aggregateToDate(s: Scenario, table: ClaimTable, m: number): Promise<ActualsResult> {
  return table.aggregate(toDateScenario(s, m), endOfMonth(s.year, m));
}

/** Year-end actuals projected from to-date actuals by `factor` (exact; each member and region rounded to the fen). */
function project(a: ActualsResult, factor: Dec, annualCapitation: ActualsResult): ActualsResult {
  const scale = (fen: Fen) => roundFen(fenDec(fen).times(factor));
  const members = a.members.map((m, i) => ({ ...m, claimsLiability: scale(m.claimsLiability), capitation: annualCapitation.members[i].capitation, methods: [] }));
  const inRegion = scale(a.outOfGroupInRegion);
  const outRegion = scale(a.outOfGroupOutOfRegion);
  if (factor.equals(1)) return { ...a, members: a.members.map((m, i) => ({ ...m, capitation: annualCapitation.members[i].capitation })), capitation: annualCapitation.capitation };
  return {
    ...a,
    members,
    inGroupLiability: members.reduce((x, m) => x + m.claimsLiability, 0),
    capitation: annualCapitation.capitation,
    outOfGroupInRegion: inRegion,
    outOfGroupOutOfRegion: outRegion,
    outOfGroupDeductions: inRegion + outRegion,
    outOfGroup: [],
    // §13 detail is of the claims to date, not of the projection
    funds: undefined,
    outOfGroupAnalysis: undefined,
    specialCases: undefined,
  };
}

const ratio = (full: Fen, toDate: Fen): Dec => (toDate === 0 ? new Decimal(1) : fenDec(full).dividedBy(toDate));

export async function monitorClaims(
  scenario: Scenario,
  table: ClaimTable,
  inputs: readonly InputFile[],
  through: string,
  prior?: PriorYear,
): Promise<MonitorResult> {
  if (scenario.actuals !== undefined) throw bad('月度监测需要结算明细（claims），而非 actuals', 'monitoring needs claims, not aggregate actuals');
  const last = parseThrough(through, scenario.year);
  const annual = await table.aggregate(scenario, endOfMonth(scenario.year, 12)); // for the annual capitation only
  const priorFull = prior ? await prior.table.aggregate(prior.scenario) : undefined;
  const budget = computeBudget(scenario);
  const months: MonitorMonth[] = [];
  let prevL = 0;
  let prevD = 0;
  let projection!: SettlementResult;
  let priorProjection: SettlementResult | undefined;
  for (let m = 1; m <= last; m++) {
    const a = await aggregateToDate(scenario, table, m);
    const capToDate = a.members.reduce((x, mem) => x + roundFen(fenDec(mem.capitation).times(m).dividedBy(12)), 0);
    const ym = `${scenario.year}-${String(m).padStart(2, '0')}`;
    const prepaid = budget.prepayments.filter((p) => p.date.slice(0, 7) <= ym).reduce((x, p) => x + p.amount, 0);
    const runRate = settle(scenario, project(a, new Decimal(12).dividedBy(m), annual), inputs);
    let priorRun: SettlementResult | undefined;
    if (prior && priorFull) {
      const pa = await aggregateToDate(prior.scenario, prior.table, m);
      const rl = ratio(priorFull.inGroupLiability, pa.inGroupLiability);
      const rd = ratio(priorFull.outOfGroupDeductions, pa.outOfGroupDeductions);
      const projected = project(a, rl, annual);
      const inRegion = roundFen(fenDec(a.outOfGroupInRegion).times(rd));
      const outRegion = roundFen(fenDec(a.outOfGroupOutOfRegion).times(rd));
      priorRun = settle(
        scenario,
        { ...projected, outOfGroupInRegion: inRegion, outOfGroupOutOfRegion: outRegion, outOfGroupDeductions: inRegion + outRegion, outOfGroup: m === 12 && rd.equals(1) ? a.outOfGroup : [] },
        inputs,
      );
    }
    months.push({
      month: ym,
      liabilityInMonth: a.inGroupLiability - prevL,
      deductionsInMonth: a.outOfGroupDeductions - prevD,
      liabilityToDate: a.inGroupLiability,
      deductionsToDate: a.outOfGroupDeductions,
      capitationToDate: capToDate,
      prepaidToDate: prepaid,
      position: prepaid - a.inGroupLiability - capToDate,
      projectedBalance: runRate.settlement.balance,
      projectedGroupTotal: runRate.settlement.groupTotal,
      projectedYearEndPayment: runRate.settlement.yearEndPayment,
      priorProjectedBalance: priorRun?.settlement.balance,
      overrun: runRate.settlement.balance < 0 || (priorRun !== undefined && priorRun.settlement.balance < 0),
    });
    prevL = a.inGroupLiability;
    prevD = a.outOfGroupDeductions;
    projection = runRate;
    priorProjection = priorRun;
  }
  const warnings: { zh: string; en: string }[] = [];
  const first = months.find((x) => x.overrun);
  const end = months[months.length - 1];
  if (end.overrun) {
    warnings.push({
      zh: `预警：按截至 ${end.month} 的进度推算，年终将超支（结余 ${formatFenGrouped(end.projectedBalance)} 元${end.priorProjectedBalance !== undefined ? `；按上年同期推算 ${formatFenGrouped(end.priorProjectedBalance)} 元` : ''}）${first && first !== end ? `，自 ${first.month} 起已有超支迹象` : ''}`,
      en: `Warning: at the pace through ${end.month} the year ends in an overrun (projected balance ${formatFenGrouped(end.projectedBalance)} yuan${end.priorProjectedBalance !== undefined ? `; from the prior year's pattern ${formatFenGrouped(end.priorProjectedBalance)} yuan` : ''})${first && first !== end ? `; first flagged in ${first.month}` : ''}`,
    });
  }
  return { through, months, projection, priorProjection, warnings };
}
