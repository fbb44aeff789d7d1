// 待遇政策: a patient's cost sharing — deductible (起付线), reimbursement ratio (支付比例) and annual cap (年度最高支付限额)
// — applied to one patient's claims of the year in (service_date, claim_id) order. Pure: no I/O, money in integer fen.
//
// For each claim (an original row, total cost c ≥ 0), in this order:
//  1. Effective deductible E of the claim's setting × category × location (where care happened):
//     - no referral: E = D(location);
//     - upward referral (上转) with continuous deductibles (转诊起付线连续计算): E = max(0, D(location) − D(from)),
//       D(from) the deductible of the referring institution's location in the same setting and category (0 when the
//       referring institution is unknown, so an unknown referrer pays the full deductible);
//     - downward referral (下转) with continuous deductibles: E = 0;
//     - without continuous deductibles a referred claim pays E = D(location).
//  2. Deductible due: inpatient — per admission, due = E; outpatient — per year, due = max(0, E − outpatient deductible
//     already paid this year by the patient, at any location). The deductible paid is d = min(c, due).
//  3. Fund share before the cap: round-half-up((c − d) × r) to the fen, r = ratio(location), minus
//     `unreferredPenalty` / 100 (floor 0) for care outside the group (in region or out of region) without referral.
//  4. Cap: the fund pays at most what is left of the setting's annual cap and of the overall annual cap (each per
//     patient and year, the category's values); a claim that crosses a cap pays only up to it.
//  fund_paid = the result of 4; patient_paid = c − fund_paid.
// A claim that is later reversed (冲销) is priced at its place in the sequence but does not use up the deductible or
// the caps (the pair nets to zero, as if the claim never happened); its reversal row gets the same amounts negated.
import { type Dec, type Fen, ZERO, mulFen } from '../money.js';
import { CATEGORIES, LOCATIONS, type Category, type CostSharing, type Location, type Referral, type Setting } from '../types.js';

const CATEGORY_INDEX: Readonly<Record<Category, number>> = { employee: 0, resident: 1, poverty: 2 };
const LOCATION_INDEX: Readonly<Record<Location, number>> = { county: 0, township: 1, village: 2, inRegion: 3, outOfRegion: 4 };
export const N_LOCATIONS = LOCATIONS.length;

/** One original claim of a patient, as the cost-sharing rules see it. */
export interface PatientClaim {
  readonly setting: Setting;
  readonly category: Category;
  readonly location: Location;
  readonly referral?: Referral;
  /** The referring institution's location (its tier if a member, else 'inRegion'); undefined when unknown. */
  readonly referredFrom?: Location;
  readonly totalCost: Fen; // ≥ 0
  /** True when a reversal row (冲销) cancels this claim: priced, but it does not use up deductible or caps. */
  readonly reversed?: boolean;
}

export interface SharedAmounts {
  readonly fundPaid: Fen;
  readonly patientPaid: Fen;
  readonly deductible: Fen; // the part of patient_paid that was deductible
}

/** The rules flattened into arrays indexed by category, setting (0 outpatient, 1 inpatient) and location. */
export class CostSharingTables {
  /** [cat][setting][loc] deductible, fen */
  readonly deductible: Fen[][][] = [];
  /** [cat][setting][loc][penalized 0/1] ratio */
  readonly ratio: Dec[][][][] = [];
  /** [cat][setting] annual cap of the setting, fen (Infinity: none) */
  readonly settingCap: number[][] = [];
  /** [cat] overall annual cap, fen (Infinity: none) */
  readonly overallCap: number[] = [];
  readonly continuous: boolean;

  constructor(cs: CostSharing) {
    if (cs.rules === undefined) throw new Error('CostSharingTables: the scenario has no cost-sharing rules');
    this.continuous = cs.continuousDeductible;
    const penalty = cs.unreferredPenalty.dividedBy(100);
    for (const cat of CATEGORIES) {
      const r = cs.rules[cat];
      const ded: Fen[][] = [];
      const rat: Dec[][][] = [];
      const caps: number[] = [];
      for (const setting of [r.outpatient, r.inpatient]) {
        ded.push(LOCATIONS.map((l) => setting.deductible[l]));
        rat.push(
          LOCATIONS.map((l, li) => {
            const base = setting.ratio[l];
            if (li < 3) return [base, base]; // members: no penalty
            const p = base.minus(penalty);
            return [base, p.isNegative() ? ZERO : p];
          }),
        );
        caps.push(setting.annualCap ?? Infinity);
      }
      this.deductible.push(ded);
      this.ratio.push(rat);
      this.settingCap.push(caps);
      this.overallCap.push(r.annualCap ?? Infinity);
    }
  }
}

export const REFERRAL_NONE = 0;
export const REFERRAL_UP = 1;
export const REFERRAL_DOWN = 2;
export const FROM_UNKNOWN = N_LOCATIONS;

export function categoryIndex(c: Category): number {
  return CATEGORY_INDEX[c];
}
export function locationIndex(l: Location): number {
  return LOCATION_INDEX[l];
}
export function referralIndex(r: Referral | undefined): number {
  return r === 'up' ? REFERRAL_UP : r === 'down' ? REFERRAL_DOWN : REFERRAL_NONE;
}

/** The carried state of one patient's year; `reset()` between patients. All indices are numbers (no strings). */
export class PatientCostSharing {
  private outpatientDeductiblePaid = 0;
  private readonly settingUsed = [0, 0];
  private overallUsed = 0;
  /** The deductible part of the last claim's patient share. */
  lastDeductible = 0;

  constructor(private readonly t: CostSharingTables) {}

  reset(): void {
    this.outpatientDeductiblePaid = 0;
    this.settingUsed[0] = 0;
    this.settingUsed[1] = 0;
    this.overallUsed = 0;
    this.lastDeductible = 0;
  }

  /**
   * The fund's share of one original claim (fen); see the file comment for the rule.
   * @param inpatient 1 for inpatient, 0 for outpatient
   * @param from the referring location index, or FROM_UNKNOWN
   */
  next(cat: number, inpatient: number, loc: number, referral: number, from: number, cost: Fen, reversed: boolean): Fen {
    const t = this.t;
    const ded = t.deductible[cat][inpatient];
    let e: Fen = ded[loc];
    if (referral !== REFERRAL_NONE && t.continuous) {
      if (referral === REFERRAL_DOWN) e = 0;
      else {
        const prior = from === FROM_UNKNOWN ? 0 : ded[from];
        e = e > prior ? e - prior : 0;
      }
    }
    let due = e;
    if (inpatient === 0) due = e > this.outpatientDeductiblePaid ? e - this.outpatientDeductiblePaid : 0;
    const d = cost < due ? cost : due;
    const penalized = loc >= 3 && referral === REFERRAL_NONE ? 1 : 0;
    let pay = mulFen(cost - d, t.ratio[cat][inpatient][loc][penalized]);
    const settingLeft = t.settingCap[cat][inpatient] - this.settingUsed[inpatient];
    const overallLeft = t.overallCap[cat] - this.overallUsed;
    if (pay > settingLeft) pay = settingLeft > 0 ? settingLeft : 0;
    if (pay > overallLeft) pay = overallLeft > 0 ? overallLeft : 0;
    this.lastDeductible = d;
    if (!reversed) {
      if (inpatient === 0) this.outpatientDeductiblePaid += d;
      this.settingUsed[inpatient] += pay;
      this.overallUsed += pay;
    }
    return pay;
  }
}

/**
 * Cost sharing of one patient's claims, which must already be in (service_date, claim_id) order and be originals
 * (not reversal rows). Returns fund / patient amounts per claim, in the same order.
 */
export function shareCosts(claims: readonly PatientClaim[], cs: CostSharing | CostSharingTables): SharedAmounts[] {
  const tables = cs instanceof CostSharingTables ? cs : new CostSharingTables(cs);
  const state = new PatientCostSharing(tables);
  return claims.map((c) => {
    if (!Number.isSafeInteger(c.totalCost) || c.totalCost < 0) throw new Error(`shareCosts: total cost must be integer fen ≥ 0, got ${c.totalCost}`);
    const fund = state.next(
      CATEGORY_INDEX[c.category],
      c.setting === 'inpatient' ? 1 : 0,
      LOCATION_INDEX[c.location],
      referralIndex(c.referral),
      c.referredFrom === undefined ? FROM_UNKNOWN : LOCATION_INDEX[c.referredFrom],
      c.totalCost,
      c.reversed === true,
    );
    return { fundPaid: fund, patientPaid: c.totalCost - fund, deductible: state.lastDeductible };
  });
}
