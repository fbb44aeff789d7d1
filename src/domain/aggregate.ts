// Streams claims into per-member, per-method and out-of-group totals (DOMAIN.md §4). Memory grows with members and
// codes, not rows — except DIP claims under a settlement point value (结算点值), which need Σ points of the whole
// year before any one of them can be priced: those keep a compact typed-array record (no strings) until `finish`.
import { grown } from '../lib/typedArrays.js';
import { InputRejected } from './errors.js';
import { type Dec, type Fen, ZERO, roundFen } from './money.js';
import { ClaimPricer, isProblem } from './pricing/index.js';
import type { ActualsResult, DipPointValue, FundsResult, MemberActuals, MethodTotals, OutOfGroupAnalysisLine, OutOfGroupLine } from './result.js';
import { SpecialCaseTracker } from './specialCases.js';
import { type Category, type Claim, type InputError, METHODS, type Method, type OutlierClass, PACKAGE_FUNDS, type PackageFund, type Scenario, type Tier } from './types.js';
import type { DipKeySums } from './pricing/dip.js';
import type { KpiCounts } from './kpis.js';

interface MutableTotals {
  claims: number;
  totalCost: Fen;
  fundPaid: Fen;
  patientPaid: Fen;
  standard: Fen;
  liability: Fen;
  highOutliers: number;
  lowOutliers: number;
}

const newTotals = (): MutableTotals => ({ claims: 0, totalCost: 0, fundPaid: 0, patientPaid: 0, standard: 0, liability: 0, highOutliers: 0, lowOutliers: 0 });
const METHOD_INDEX = Object.fromEntries(METHODS.map((m, i) => [m, i])) as Readonly<Record<Method, number>>;
const DIP = METHOD_INDEX.dip;
/** Out-of-group lines of one institution, by region × category × referral (see `oogSlot`). */
const CATEGORY_INDEX: Readonly<Record<Category, number>> = { employee: 0, resident: 1, poverty: 2 };
type OogReferral = 'unknown' | 'none' | 'up' | 'down';
interface OogLine {
  readonly line: Omit<OutOfGroupLine, 'claims' | 'fundPaid'>;
  claims: number;
  fundPaid: Fen;
}
interface OogAnalysis {
  readonly line: Pick<OutOfGroupAnalysisLine, 'institutionId' | 'outOfRegion' | 'category' | 'referral'>;
  claims: number;
  funds: Fen[];
  deduction: Fen;
}
// Indices of the indicator counters.
const K_VISITS = 0;
const K_VISITS_IN = 1;
const K_PRIMARY = 2;
const K_STAYS = 3;
const K_STAYS_IN = 4;
const K_UP = 5;
const K_DOWN = 6;

/** Growable typed arrays for deferred DIP claims: member, (code, tier) key, unsigned cost and patient share, sign. */
class DeferredDip {
  length = 0;
  member = new Int32Array(1024);
  key = new Int32Array(1024);
  cost = new Float64Array(1024);
  patient = new Float64Array(1024);
  flags = new Int8Array(1024); // bit 0: reversal; bit 1: outlier
  push(member: number, key: number, cost: Fen, patient: Fen, reversal: boolean, outlier: boolean): void {
    if (this.length === this.member.length) this.grow();
    const i = this.length++;
    this.member[i] = member;
    this.key[i] = key;
    this.cost[i] = cost;
    this.patient[i] = patient;
    this.flags[i] = (reversal ? 1 : 0) | (outlier ? 2 : 0);
  }
  private grow(): void {
    const n = this.member.length * 2;
    this.member = grown(this.member, n);
    this.key = grown(this.key, n);
    this.cost = grown(this.cost, n);
    this.patient = grown(this.patient, n);
    this.flags = grown(this.flags, n);
  }
}

const REFERRAL_INDEX: Readonly<Record<OogReferral, number>> = { unknown: 0, none: 1, up: 2, down: 3 };
function oogSlot(outOfRegion: boolean, category: Category, referral: OogReferral): number {
  return ((outOfRegion ? 3 : 0) + CATEGORY_INDEX[category]) * 4 + REFERRAL_INDEX[referral];
}

export interface AggregateOptions {
  readonly maxProblems?: number;
}

export class ClaimAggregator {
  readonly pricer: ClaimPricer;
  private readonly memberIndex = new Map<string, number>();
  private readonly tiers: Tier[] = [];
  private readonly totals: MutableTotals[][] = [];
  private readonly outOfGroup = new Map<string, OogLine>();
  /** 外转分析: by institution × region × category × referral, every fund column. */
  private readonly analysis = new Map<string, OogAnalysis>();
  /** The two lines a row adds to, by institution then `oogSlot` (no key strings built per row). */
  private readonly oogLines = new Map<string, Array<{ g: OogLine; a: OogAnalysis } | undefined>>();
  /** §13.1 recorded fund columns, in group and out of group (PACKAGE_FUNDS order). */
  private readonly inGroupFunds: Fen[] = [0, 0, 0, 0];
  private readonly outOfGroupFunds: Fen[] = [0, 0, 0, 0];
  private fundColumnsSeen = false;
  private readonly special?: SpecialCaseTracker;
  private readonly budgetPointValue?: Dec;
  private readonly deferred = new DeferredDip();
  // Σ points of all DIP claims, kept as exact integer sums per (code, tier) key and outlier class — points are linear
  // in the cost within a class — so that the total does not depend on the order of the claim rows (DOMAIN.md §7.4).
  private readonly dipSums = new Map<number, DipKeySums>();
  private readonly kpi = new Float64Array(7);
  private dInRegion: Fen = 0;
  private dOutOfRegion: Fen = 0;
  private rows = 0;
  readonly problems: InputError[] = [];
  problemCount = 0;
  private readonly maxProblems: number;

  constructor(
    private readonly scenario: Scenario,
    options: AggregateOptions = {},
  ) {
    this.pricer = new ClaimPricer(scenario.payments, { funds: scenario.package?.funds, specialCases: scenario.specialCases?.list?.cases });
    if (scenario.specialCases !== undefined) this.special = new SpecialCaseTracker(scenario.specialCases);
    this.budgetPointValue = scenario.payments.dip?.pointValue;
    this.maxProblems = options.maxProblems ?? 10000;
    scenario.group.members.forEach((m, i) => {
      this.memberIndex.set(m.id, i);
      this.tiers.push(m.tier);
      this.totals.push(METHODS.map(newTotals));
    });
  }

  add(claim: Claim, at: { file: string; row: number }): void {
    this.rows++;
    const sign = claim.reverses === '' ? 1 : -1;
    const m = this.memberIndex.get(claim.institutionId);
    // Indicator counters (kpis.ts): net claim counts by setting, region and tier, and referrals.
    const k = this.kpi;
    const tier = m === undefined ? undefined : this.tiers[m];
    const inRegion = m !== undefined || !claim.outOfRegion;
    if (claim.setting === 'outpatient') {
      k[K_VISITS] += sign;
      if (inRegion) k[K_VISITS_IN] += sign;
      if (tier === 'township' || tier === 'village') k[K_PRIMARY] += sign;
    } else {
      k[K_STAYS] += sign;
      if (inRegion) k[K_STAYS_IN] += sign;
    }
    const referral = claim.referral;
    if (referral === 'up') k[K_UP] += sign;
    else if (referral === 'down') k[K_DOWN] += sign;
    if (claim.criticalPaid !== undefined) this.fundColumnsSeen = true;
    if (m === undefined || tier === undefined) {
      if (this.special !== undefined && !this.special.outOfGroup(claim)) return this.specialCaseProblem();
      this.addOutOfGroup(claim, sign);
      return;
    }
    const price = this.pricer.price(claim, tier, this.budgetPointValue);
    if (isProblem(price)) {
      this.problemCount++;
      if (this.problems.length < this.maxProblems) this.problems.push({ file: at.file, row: at.row, ...price });
      return;
    }
    if (this.special !== undefined) {
      if (!this.special.inGroup(claim, price.method)) return this.specialCaseProblem();
      if (price.special !== undefined) this.special.record(claim, this.scenario.group.members[m].id, price.method, { sign: price.sign, liability: price.liability!, special: price.special });
    }
    const f = this.inGroupFunds;
    f[0] += claim.fundPaid;
    if (claim.criticalPaid !== undefined) {
      f[1] += claim.criticalPaid;
      f[2] += claim.assistancePaid ?? 0;
      f[3] += claim.otherPaid ?? 0;
    }
    const t = this.totals[m][METHOD_INDEX[price.method]];
    t.claims += sign;
    t.totalCost += claim.totalCost;
    t.fundPaid += claim.fundPaid;
    t.patientPaid += claim.patientPaid;
    if (price.outlier === 'high') t.highOutliers += sign;
    else if (price.outlier === 'low') t.lowOutliers += sign;
    if (price.dipKey !== undefined) this.addDipPoints(price.dipKey, price.outlier, sign, claim.totalCost);
    if (price.liability !== undefined) {
      t.liability += price.liability;
      t.standard += price.standard ?? 0;
      return;
    }
    // DIP under a settlement point value: keep a compact record, priced in finish().
    const outlier = price.outlier !== 'none';
    this.deferred.push(m, price.dipKey!, sign * claim.totalCost, price.reduction!, sign < 0, outlier);
  }

  /** Moves the special-case tracker's newest problem into the problem list. */
  private specialCaseProblem(): void {
    const e = this.special!.problems[this.special!.problems.length - 1];
    this.problemCount++;
    if (this.problems.length < this.maxProblems) this.problems.push(e);
  }

  /**
   * The checks that need the whole scan (special cases: unknown ids, quota). Call once the last claim is added and
   * before reading `problems`; `finish` calls it too and refuses to finish with problems.
   */
  closeScan(): void {
    if (this.special === undefined) return;
    for (const e of this.special.close()) {
      this.problemCount++;
      if (this.problems.length < this.maxProblems) this.problems.push(e);
    }
  }

  /** Adds a DIP claim to the per-key sums; `signedCost` is the row's total cost (negative for a reversal). */
  private addDipPoints(key: number, outlier: OutlierClass, sign: number, signedCost: Fen): void {
    let s = this.dipSums.get(key);
    if (s === undefined) {
      s = { normalCount: 0, lowCount: 0, lowCost: 0, highCount: 0, highCost: 0 };
      this.dipSums.set(key, s);
    }
    if (outlier === 'low') {
      s.lowCount += sign;
      s.lowCost += signedCost;
    } else if (outlier === 'high') {
      s.highCount += sign;
      s.highCost += signedCost;
    } else {
      s.normalCount += sign;
    }
  }

  /** Σ points of all in-group DIP claims, summed over keys in (code, tier) order: independent of the row order. */
  private totalDipPoints(): Dec {
    const pricer = this.pricer.dip!;
    let total = ZERO;
    const keys = [...this.dipSums.keys()].sort((a, b) => {
      const ka = pricer.sortKey(a);
      const kb = pricer.sortKey(b);
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    for (const key of keys) total = total.plus(pricer.pointsOfSums(key, this.dipSums.get(key)!));
    return total;
  }

  private addOutOfGroup(claim: Claim, sign: number): void {
    const deduction = this.pricer.packagedAmount(claim); // Σ of the packaged fund columns (§13.1)
    if (claim.outOfRegion) this.dOutOfRegion += deduction;
    else this.dInRegion += deduction;
    const referral: OogReferral = claim.referral === undefined ? 'unknown' : claim.referral === '' ? 'none' : claim.referral;
    let slots = this.oogLines.get(claim.institutionId);
    if (slots === undefined) {
      slots = [];
      this.oogLines.set(claim.institutionId, slots);
    }
    const k = oogSlot(claim.outOfRegion, claim.category, referral);
    let lines = slots[k];
    if (lines === undefined) {
      lines = this.oogLinesOf(claim, referral);
      slots[k] = lines;
    }
    const { g, a } = lines;
    g.claims += sign;
    g.fundPaid += deduction;
    a.claims += sign;
    a.deduction += deduction;
    const f = a.funds;
    const o = this.outOfGroupFunds;
    // The claim's §13.1 fund columns (fundColumns), without an array per row.
    const critical = claim.criticalPaid ?? 0;
    const assistance = claim.assistancePaid ?? 0;
    const other = claim.otherPaid ?? 0;
    f[0] += claim.fundPaid;
    f[1] += critical;
    f[2] += assistance;
    f[3] += other;
    o[0] += claim.fundPaid;
    o[1] += critical;
    o[2] += assistance;
    o[3] += other;
  }

  /** The out-of-group line and analysis line of a claim's institution × region × category (× referral). */
  private oogLinesOf(claim: Claim, referral: OogReferral): { g: OogLine; a: OogAnalysis } {
    const key = `${claim.institutionId}\u0000${claim.outOfRegion ? 1 : 0}\u0000${claim.category}`;
    let g = this.outOfGroup.get(key);
    if (g === undefined) {
      g = { line: { institutionId: claim.institutionId, outOfRegion: claim.outOfRegion, category: claim.category }, claims: 0, fundPaid: 0 };
      this.outOfGroup.set(key, g);
    }
    const aKey = `${key}\u0000${referral}`;
    let a = this.analysis.get(aKey);
    if (a === undefined) {
      a = { line: { ...g.line, referral }, claims: 0, funds: [0, 0, 0, 0], deduction: 0 };
      this.analysis.set(aKey, a);
    }
    return { g, a };
  }

  /** §13.1 D and L per fund (when the package names funds or the claims carry fund columns beside fund_paid). */
  private fundsResult(inGroupLiability: Fen): FundsResult | undefined {
    if (this.scenario.package === undefined && !this.fundColumnsSeen) return undefined;
    const packaged = this.pricer.packaged;
    const lines = PACKAGE_FUNDS.map((fund, i) => ({
      fund,
      packaged: packaged[i],
      outOfGroup: this.outOfGroupFunds[i],
      deduction: packaged[i] ? this.outOfGroupFunds[i] : 0,
      inGroup: this.inGroupFunds[i],
      liability: packaged[i] ? this.inGroupFunds[i] : 0,
    }));
    return {
      packaged: PACKAGE_FUNDS.filter((_, i) => packaged[i]) as PackageFund[],
      lines,
      paymentAdjustment: inGroupLiability - lines.reduce((s, l) => s + l.liability, 0),
    };
  }

  /** The settlement point value: (pool / reimbursement ratio) / Σ points (0 when there are no points). */
  private settlementPointValue(): DipPointValue | undefined {
    const dip = this.scenario.payments.dip;
    if (dip === undefined) return undefined;
    const total = this.totalDipPoints();
    if (this.budgetPointValue !== undefined) {
      return { mode: 'budget', pointValue: this.budgetPointValue, totalPoints: total };
    }
    const pool = dip.pool!;
    const poolFunds = pool.amount.dividedBy(pool.reimbursementRatio);
    const pointValue = total.isZero() ? ZERO : poolFunds.dividedBy(total);
    return { mode: 'settlement', pointValue, totalPoints: total, poolAmount: pool.amount, reimbursementRatio: pool.reimbursementRatio };
  }


  finish(): ActualsResult {
    this.closeScan();
    if (this.special !== undefined && this.special.problems.length > 0) throw new InputRejected(this.special.problems);
    const dip = this.settlementPointValue();
    if (dip?.mode === 'settlement') this.priceDeferred(dip.pointValue);
    const members: MemberActuals[] = this.scenario.group.members.map((mem, i) => {
      const methods: MethodTotals[] = [];
      let claimsLiability = 0;
      METHODS.forEach((method, k) => {
        const t = this.totals[i][k];
        claimsLiability += t.liability;
        if (t.claims !== 0 || t.totalCost !== 0 || t.liability !== 0) methods.push({ method, ...t });
      });
      return { id: mem.id, name: mem.name, tier: mem.tier, claimsLiability, capitation: this.capitationOf(mem.id), methods };
    });
    const outOfGroup = [...this.outOfGroup.entries()]
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([, g]) => ({ ...g.line, claims: g.claims, fundPaid: g.fundPaid }));
    const inGroupLiability = members.reduce((a, m) => a + m.claimsLiability, 0);
    const outOfGroupAnalysis = [...this.analysis.entries()]
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([, a]) => ({
        ...a.line,
        claims: a.claims,
        funds: Object.fromEntries(PACKAGE_FUNDS.map((f, i) => [f, a.funds[i]])) as Record<PackageFund, Fen>,
        deduction: a.deduction,
      }));
    const pv = dip?.pointValue;
    const specialCases = this.special?.result((points) => (pv === undefined ? 0 : this.pricer.priceDip(points, pv, 0, 1).standard));
    return {
      source: 'claims',
      claimRows: this.rows,
      outOfGroupDeductions: this.dInRegion + this.dOutOfRegion,
      outOfGroupInRegion: this.dInRegion,
      outOfGroupOutOfRegion: this.dOutOfRegion,
      inGroupLiability,
      capitation: members.reduce((a, m) => a + m.capitation, 0),
      members,
      outOfGroup,
      dip,
      drgBaseRate: this.scenario.payments.drg?.baseRate,
      kpiCounts: this.kpiCounts(),
      funds: this.fundsResult(inGroupLiability),
      outOfGroupAnalysis,
      specialCases,
    };
  }

  /** The net claim counts behind the indicators so far. */
  kpiCounts(): KpiCounts {
    const k = this.kpi;
    return {
      visits: k[K_VISITS],
      inRegionVisits: k[K_VISITS_IN],
      primaryCareVisits: k[K_PRIMARY],
      stays: k[K_STAYS],
      inRegionStays: k[K_STAYS_IN],
      referralsUp: k[K_UP],
      referralsDown: k[K_DOWN],
    };
  }

  private priceDeferred(pointValue: Dec): void {
    const d = this.deferred;
    const dipPricer = this.pricer.dip!;
    const normalPayment = new Map<number, Fen>();
    for (let i = 0; i < d.length; i++) {
      const sign: 1 | -1 = d.flags[i] & 1 ? -1 : 1;
      const key = d.key[i];
      let standard: Fen;
      let liability: Fen;
      if (d.flags[i] & 2) {
        const pts = dipPricer.points(key, d.cost[i]).points;
        ({ standard, liability } = this.pricer.priceDip(pts, pointValue, d.patient[i], sign));
      } else {
        let payment = normalPayment.get(key);
        if (payment === undefined) {
          payment = this.pricer.priceDip(dipPricer.basePoints(key), pointValue, 0, 1).standard;
          normalPayment.set(key, payment);
        }
        const l = payment - d.patient[i];
        standard = sign * payment;
        liability = sign * (l > 0 ? l : 0);
      }
      const t = this.totals[d.member[i]][DIP];
      t.standard += standard;
      t.liability += liability;
    }
  }

  /** 按人头付费: Σ over this member's contracts of round(rate × enrollees). */
  private capitationOf(memberId: string): Fen {
    const cap = this.scenario.payments.capitation;
    if (cap === undefined) return 0;
    let total = 0;
    for (const c of cap.contracted) {
      if (c.institution !== memberId) continue;
      total += roundFen((c.rate ?? cap.rate).times(c.enrollees).times(100));
    }
    return total;
  }
}
