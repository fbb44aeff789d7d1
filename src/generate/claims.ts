// A seeded generator of realistic synthetic claims (结算明细) for a scenario's group. Deterministic per seed, lazy
// (an iterator: memory does not grow with the number of rows), and money is integer fen from start to end.
//
// The mix, by default: mostly small outpatient visits at village clinics and township centres; inpatient stays at
// the county hospital (with DRG groups, some single-disease codes, a few ungrouped) and at township centres (with
// DIP codes); a few long stays (≥ 60 bed-days); ~5% of rows — roughly a tenth of fund spend — at institutions
// outside the group, some of them out of region (异地); a few full reversals (冲销) right after their originals.
// Referrals (转诊): some county stays come up from a township centre, some township/village care comes down from the
// lead, and part of the out-of-group care is referred up by the lead; the rest leaves the group unreferred and gets a
// lower fund ratio (不按规定转诊). These draws come from a second generator, so the other columns do not depend on them.
import type { Category, Claim, Referral, Scenario, Tier } from '../domain/types.js';
import { Rng } from './prng.js';

export interface GenerateOptions {
  /** Number of rows, reversal rows included. */
  readonly claims: number;
  readonly seed: number;
  /** Service year; default the scenario's year. */
  readonly year?: number;
  /** Share of rows at institutions outside the group (default 0.05, about a tenth of fund spend). */
  readonly outOfGroupRate?: number;
  /** Share of out-of-group rows that are out of region, 异地 (default 0.4). */
  readonly outOfRegionRate?: number;
  /** Share of in-group rows that are inpatient stays (default 0.22). */
  readonly inpatientRate?: number;
  /** Share of inpatient stays that are long stays of 60+ bed-days (default 0.015). */
  readonly longStayRate?: number;
  /** Share of rows that are reversals (default 0.003). */
  readonly reversalRate?: number;
  /** Share of DRG/DIP-coded stays that are high-cost and low-cost outliers (default 0.015 each). */
  readonly outlierRate?: number;
  /** Multiplies every generated cost (default 1): a quick way to make a heavier year. */
  readonly costScale?: number;
  /** Multiplies every referral probability (default 1; 0 writes no referrals). */
  readonly referralScale?: number;
  /** A preset of the options above and of the shape of the file (see MIXES); explicit options win. */
  readonly mix?: ClaimMix;
}

/** Named mixes: `default` (the demo's), `drg-heavy` (a county-hospital export dominated by DRG/DIP stays). */
export type ClaimMix = 'default' | 'drg-heavy';
export const CLAIM_MIXES: readonly ClaimMix[] = ['default', 'drg-heavy'];

interface MixShape {
  readonly options: Omit<GenerateOptions, 'claims' | 'seed' | 'year' | 'mix'>;
  /** Members used: the first N of the scenario's list (all when undefined). */
  readonly members?: number;
  /** Out-of-group institutions used: in region, out of region. */
  readonly outOfGroup: readonly [number, number];
  /** Of the county's ordinary stays: share priced by single disease, and the upper bound of DRG-coded (the rest ungrouped). */
  readonly countySingle: number;
  readonly countyCoded: number;
  /** Share of the township's ordinary stays with a DIP code. */
  readonly townshipCoded: number;
  /** Columns written: the first N of CANONICAL_HEADERS (all when undefined). */
  readonly columns?: number;
}

/**
 * `drg-heavy` (issue 14): 30% inpatient, six in seven stays with a DRG or DIP code, a dozen members, three
 * out-of-group institutions, no reversals or referrals, 13 columns (claim_id … patient_paid).
 */
export const MIXES: Readonly<Record<ClaimMix, MixShape>> = {
  default: { options: {}, outOfGroup: [4, 3], countySingle: 0.06, countyCoded: 0.95, townshipCoded: 0.92 },
  'drg-heavy': {
    options: { inpatientRate: 0.3, reversalRate: 0, referralScale: 0 },
    members: 12,
    outOfGroup: [2, 1],
    countySingle: 0,
    countyCoded: 6 / 7,
    townshipCoded: 6 / 7,
    columns: 13,
  },
};

/** Out-of-group institutions: city hospitals in region, provincial hospitals out of region. */
const OUT_OF_GROUP_IN_REGION = ['C3301', 'C3302', 'C3303', 'C3304'];
const OUT_OF_GROUP_OUT_OF_REGION = ['P3101', 'P3102', 'P4401'];

/** Default DRG / DIP tables when a scenario prices neither (codes only used to fill columns). */
const FALLBACK_DRG: Array<[string, number]> = [['ES23', 0.8], ['GD25', 0.9], ['BR23', 1.1], ['FR23', 1.0], ['RE13', 0.7]];
const FALLBACK_DIP: Array<[string, number]> = [['J18.9', 4000], ['I63.9', 8000], ['J44.9', 5000], ['I10.x', 3000]];

const CATEGORY_PREFIX: Record<Category, string> = { employee: 'E', resident: 'R', poverty: 'K' };
/** Relative use of care per insured person: employees a little more, poverty households much more. */
const CATEGORY_USE: Record<Category, number> = { employee: 1.3, resident: 1, poverty: 2.5 };
/** Fund share of cost above the deductible, per mille: inpatient / outpatient. */
const FUND_RATIO: Record<Category, [number, number]> = { employee: [850, 600], resident: [700, 500], poverty: [900, 700] };

const OUTPATIENT_TIER_MIX: Array<[Tier, number]> = [['village', 0.55], ['township', 0.32], ['county', 0.13]];
const OUTPATIENT_MEAN_FEN: Record<Tier, number> = { village: 6000, township: 15000, county: 32000 };
const INPATIENT_TIER_MIX: Array<[Tier, number]> = [['county', 0.6], ['township', 0.4]];
const INPATIENT_UNGROUPED_MEAN_FEN: Record<Tier, number> = { county: 700000, township: 300000, village: 150000 };
const DEDUCTIBLE_FEN: Record<Tier, number> = { county: 60000, township: 30000, village: 0 };
/** Ratio points (per mille) taken off out-of-group care without referral; a referred patient keeps them. */
const UNREFERRED_PENALTY = 100;
/** Referral probabilities (before `referralScale`). */
const REFERRAL_RATE = {
  upToCounty: 0.1, // a county stay referred up from a township centre
  downToTownshipStay: 0.05, // a township stay referred down from the lead
  downToPrimaryVisit: 0.02, // a township or village visit referred down from the lead
  upOutOfGroupStay: 0.45, // an out-of-group stay referred up by the lead
  upOutOfGroupVisit: 0.1, // an out-of-group visit referred up by the lead
} as const;

interface Coded {
  readonly code: string;
  readonly standardFen: number; // the cost a typical case has at the county (DRG) / area average (DIP), in fen
}

function num(d: { toString(): string } | undefined, fallback: number): number {
  return d === undefined ? fallback : Number(d.toString());
}

/** 365 or 366 "YYYY-MM-DD" strings of the year. */
function daysOfYear(year: number): string[] {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  const days: string[] = [];
  const y = String(year).padStart(4, '0');
  lengths.forEach((len, m) => {
    for (let d = 1; d <= len; d++) days.push(`${y}-${String(m + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
  });
  return days;
}

function pickWeighted<T>(rng: Rng, items: ReadonlyArray<readonly [T, number]>): T {
  let total = 0;
  for (const [, w] of items) total += w;
  let r = rng.next() * total;
  for (const [v, w] of items) {
    r -= w;
    if (r < 0) return v;
  }
  return items[items.length - 1][0];
}

function claimId(year: number, seq: number): string {
  return `JS${year}${String(seq).padStart(9, '0')}`;
}

/**
 * Yields `opts.claims` claims for the scenario's group. Same scenario + options → same claims, in the same order.
 */
export function* generateClaims(scenario: Scenario, opts: GenerateOptions): Generator<Claim> {
  const shape = MIXES[opts.mix ?? 'default'];
  if (shape === undefined) throw new Error(`unknown mix ${opts.mix}`);
  opts = { ...shape.options, ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)), claims: opts.claims, seed: opts.seed };
  const n = opts.claims;
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`claims must be a whole number ≥ 0, got ${n}`);
  const rng = new Rng(opts.seed);
  const referralRng = new Rng(opts.seed + 0x5eed);
  const referralScale = opts.referralScale ?? 1;
  const referred = (p: number) => referralScale > 0 && referralRng.chance(Math.min(1, p * referralScale));
  const lead = scenario.group.lead;
  const year = opts.year ?? scenario.year;
  const days = daysOfYear(year);
  const oogRate = opts.outOfGroupRate ?? 0.05;
  const oorRate = opts.outOfRegionRate ?? 0.4;
  const inpRate = opts.inpatientRate ?? 0.22;
  const longRate = opts.longStayRate ?? 0.015;
  const revRate = opts.reversalRate ?? 0.003;
  const outlierRate = opts.outlierRate ?? 0.015;
  const scale = opts.costScale ?? 1;

  // Members by tier; a tier without members borrows the lead (or any member).
  const byTier: Record<Tier, string[]> = { county: [], township: [], village: [] };
  const members = shape.members === undefined ? scenario.group.members : scenario.group.members.slice(0, shape.members);
  for (const m of members) byTier[m.tier].push(m.id);
  const anyMember = scenario.group.members.length > 0 ? [lead] : [];
  const membersOf = (t: Tier): string[] => (byTier[t].length > 0 ? byTier[t] : byTier.county.length > 0 ? byTier.county : anyMember.length > 0 ? anyMember : byTier.township.concat(byTier.village));
  const memberIds = new Set(scenario.group.members.map((m) => m.id));
  const notMember = (ids: string[]) => ids.map((id) => { let x = id; while (memberIds.has(x)) x += 'X'; return x; });
  const oogIn = notMember(OUT_OF_GROUP_IN_REGION.slice(0, shape.outOfGroup[0]));
  const oogOut = notMember(OUT_OF_GROUP_OUT_OF_REGION.slice(0, shape.outOfGroup[1]));

  // Insured people: category weights by enrollment × use; ids within each category's enrollment.
  const enrol = scenario.enrollment;
  let categoryMix: Array<[Category, number]> = (['employee', 'resident', 'poverty'] as const)
    .filter((c) => enrol[c] > 0)
    .map((c) => [c, enrol[c] * CATEGORY_USE[c]]);
  if (categoryMix.length === 0) categoryMix = [['resident', 1]];
  const population = (c: Category) => Math.max(1, enrol[c] || 1000);

  // Payment tables the scenario prices: costs are generated around their standards, with outliers beyond them.
  const pay = scenario.payments;
  const baseRateFen = num(pay.drg?.baseRate, 8000) * 100;
  const drgCoef = num(pay.drg?.coefficients.county, 1);
  const drgCodes: Coded[] = pay.drg && pay.drg.weights.size > 0
    ? [...pay.drg.weights].map(([code, w]) => ({ code, standardFen: baseRateFen * num(w, 1) * drgCoef }))
    : FALLBACK_DRG.map(([code, w]) => ({ code, standardFen: baseRateFen * w }));
  const drgHigh = num(pay.drg?.highMultiple, 3);
  const drgLow = num(pay.drg?.lowMultiple, 0.3);
  const dipCodes: Coded[] = pay.dip && pay.dip.groups.size > 0
    ? [...pay.dip.groups].map(([code, g]) => ({ code, standardFen: num(g.avgCost, num(g.score, 100) * 10) * 100 }))
    : FALLBACK_DIP.map(([code, avg]) => ({ code, standardFen: avg * 100 }));
  const dipTownshipCoef = num(pay.dip?.coefficients.township, 1);
  const dipHigh = num(pay.dip?.highMultiple, 2);
  const dipLow = num(pay.dip?.lowMultiple, 0.5);
  const singleCodes: Coded[] = pay.singleDisease
    ? [...pay.singleDisease.prices].map(([code, price]) => ({ code, standardFen: num(price, 4000) * 100 }))
    : [];

  /** A cost around a standard, with a share of high and low outliers (multiples of the standard). */
  const costAround = (standardFen: number, high: number, low: number): number => {
    const r = rng.next();
    let f: number;
    if (r < outlierRate) f = high + 0.2 + 1.5 * rng.next();
    else if (r < 2 * outlierRate) f = Math.max(0.05, low * (0.2 + 0.7 * rng.next()));
    else f = rng.near();
    return standardFen * f;
  };

  // Reversals waiting to be written: [due row index, original claim].
  const pending: Array<[number, Claim]> = [];
  let seq = 0;

  for (let i = 0; i < n; i++) {
    const remaining = n - i;
    if (pending.length > 0 && (pending[0][0] <= i || remaining <= pending.length)) {
      const [, orig] = pending.shift()!;
      seq++;
      yield {
        ...orig,
        claimId: claimId(year, seq),
        totalCost: -orig.totalCost || 0,
        fundPaid: -orig.fundPaid || 0,
        patientPaid: -orig.patientPaid || 0,
        reverses: orig.claimId,
      };
      continue;
    }

    const category = pickWeighted(rng, categoryMix);
    const patientId = `${CATEGORY_PREFIX[category]}${String(rng.int(1, population(category))).padStart(7, '0')}`;
    const serviceDate = days[rng.int(0, days.length - 1)];
    let institutionId: string;
    let outOfRegion = false;
    let inpatient: boolean;
    let losDays = 0;
    let drgCode = '';
    let dipCode = '';
    let costFen: number;
    let deductible: number;
    let ratioAdj = 0; // per mille, added to the category's fund ratio
    let referral: Referral = '';
    let referredFrom = '';

    if (rng.chance(oogRate)) {
      // Out of group: a city hospital in region, or a provincial hospital out of region.
      outOfRegion = rng.chance(oorRate);
      institutionId = rng.pick(outOfRegion ? oogOut : oogIn);
      inpatient = rng.chance(0.3);
      if (inpatient) {
        losDays = rng.int(3, 16);
        if (rng.chance(0.6)) drgCode = rng.pick(drgCodes).code;
        costFen = (outOfRegion ? 1800000 : 1100000) * rng.skew();
        deductible = outOfRegion ? 150000 : 100000;
        ratioAdj = outOfRegion ? -150 : -80;
      } else {
        costFen = 40000 * rng.skew();
        deductible = 0;
        ratioAdj = outOfRegion ? -200 : -100;
      }
      if (lead !== '' && referred(inpatient ? REFERRAL_RATE.upOutOfGroupStay : REFERRAL_RATE.upOutOfGroupVisit)) {
        // Referred up by the lead: no penalty, and (continuous deductibles) only the difference of the deductibles.
        referral = 'up';
        referredFrom = lead;
        ratioAdj += UNREFERRED_PENALTY;
        deductible = Math.max(0, deductible - DEDUCTIBLE_FEN.county);
      }
    } else if (rng.chance(inpRate)) {
      inpatient = true;
      const tier = pickWeighted(rng, INPATIENT_TIER_MIX);
      institutionId = rng.pick(membersOf(tier));
      deductible = DEDUCTIBLE_FEN[tier];
      if (tier === 'township') ratioAdj = 80;
      if (tier === 'county' && byTier.township.length > 0 && referred(REFERRAL_RATE.upToCounty)) {
        referral = 'up';
        referredFrom = referralRng.pick(byTier.township);
        deductible = DEDUCTIBLE_FEN.county - DEDUCTIBLE_FEN.township;
      } else if (tier === 'township' && byTier.county.length > 0 && referred(REFERRAL_RATE.downToTownshipStay)) {
        referral = 'down';
        referredFrom = lead;
        deductible = 0;
      }
      if (rng.chance(longRate)) {
        // A long stay (rehabilitation, psychiatric, palliative): paid per bed-day.
        losDays = rng.int(60, 150);
        costFen = losDays * (tier === 'county' ? 38000 : 26000) * rng.near();
        if (tier === 'county') drgCode = rng.pick(drgCodes).code;
        else dipCode = rng.pick(dipCodes).code;
      } else if (tier === 'county') {
        const r = rng.next();
        if (r < shape.countySingle && singleCodes.length > 0) {
          // Single-disease case (按单病种): the disease code in 病种编码, no DRG group.
          const sd = rng.pick(singleCodes);
          dipCode = sd.code;
          costFen = sd.standardFen * (0.8 + 0.5 * rng.next());
          losDays = rng.int(3, 8);
        } else if (r < shape.countyCoded) {
          const g = rng.pick(drgCodes);
          drgCode = g.code;
          costFen = costAround(g.standardFen, drgHigh, drgLow);
          losDays = Math.max(1, Math.round((g.standardFen / 100000) * rng.near()));
        } else {
          costFen = INPATIENT_UNGROUPED_MEAN_FEN.county * rng.skew();
          losDays = rng.int(2, 14);
        }
      } else {
        if (rng.chance(shape.townshipCoded)) {
          const g = rng.pick(dipCodes);
          dipCode = g.code;
          costFen = costAround(g.standardFen * dipTownshipCoef, dipHigh, dipLow);
          losDays = Math.max(1, Math.round((g.standardFen / 60000) * rng.near()));
        } else {
          costFen = INPATIENT_UNGROUPED_MEAN_FEN[tier] * rng.skew();
          losDays = rng.int(2, 12);
        }
      }
    } else {
      inpatient = false;
      const tier = pickWeighted(rng, OUTPATIENT_TIER_MIX);
      institutionId = rng.pick(membersOf(tier));
      costFen = OUTPATIENT_MEAN_FEN[tier] * rng.skew();
      deductible = 0;
      if (tier === 'village') ratioAdj = 100;
      if (tier !== 'county' && byTier.county.length > 0 && referred(REFERRAL_RATE.downToPrimaryVisit)) {
        referral = 'down';
        referredFrom = lead;
      }
    }

    const totalCost = Math.max(100, Math.round(costFen * scale)); // at least 1 yuan
    const ratio = Math.min(1000, Math.max(0, FUND_RATIO[category][inpatient ? 0 : 1] + ratioAdj));
    const fundPaid = Math.max(0, Math.floor(((totalCost - deductible) * ratio) / 1000));
    seq++;
    const claim: Claim = {
      claimId: claimId(year, seq),
      patientId,
      category,
      institutionId,
      outOfRegion,
      setting: inpatient ? 'inpatient' : 'outpatient',
      serviceDate,
      losDays,
      drgCode,
      dipCode,
      totalCost,
      fundPaid,
      patientPaid: totalCost - fundPaid,
      reverses: '',
      referral,
      referredFrom,
    };
    yield claim;
    if (remaining - 1 > pending.length && rng.chance(revRate)) pending.push([i + 1 + rng.int(0, 30), claim]);
  }
}
