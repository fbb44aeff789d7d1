// An independent reference implementation of DOMAIN.md §3–§6, written from the specification only.
// Deliberately different in structure from src/domain: yuan (not fen) as plain high-precision Decimals throughout,
// claims as a simple array (reversal pairs cancelled up front), no caches, no integer shortcuts. Rounding happens
// only where DOMAIN.md says: each budget line, R, Q, each claim liability, each capitation contract, S, F, Q_r,
// the carry-forward share and each incentive pool; splits use largest remainder on fen.
// Interpolations and band thresholds are evaluated with a single division at the end (or none: comparisons are done
// by cross-multiplying), so a figure that is exactly half a fen is rounded half-up as exact arithmetic says.
// §13: packaged funds (a claim's fund columns in or out of the package), special cases (an agreed amount instead of
// the formula, no DIP points) and member scores (weight × score within a tier) are read straight from DOMAIN.md §13.
import { Decimal as DecimalJs } from 'decimal.js';
import type { Claim, Scenario, Tier } from '../../src/domain/types.js';

const D = DecimalJs.clone({ precision: 200, rounding: DecimalJs.ROUND_HALF_UP, toExpNeg: -300, toExpPos: 300 });
type D = InstanceType<typeof D>;

const TIER_ORDER: readonly Tier[] = ['county', 'township', 'village'];

/** Any Decimal-like from the typed Scenario into this module's Decimal. */
const d = (x: { toFixed(): string } | number | string): D => new D(typeof x === 'object' ? x.toFixed() : String(x));
const yuanOfFen = (fen: number): D => new D(fen).dividedBy(100);
const round2 = (x: D): D => x.toDecimalPlaces(2, D.ROUND_HALF_UP);
const money = (x: D): string => {
  const r = round2(x);
  if (!r.equals(x)) throw new Error(`reference: unrounded money figure ${x.toFixed()}`);
  return r.isZero() ? '0.00' : r.toFixed(2);
};
const sum = (xs: readonly D[]): D => xs.reduce((a, b) => a.plus(b), new D(0));
const max0 = (x: D): D => (x.isNegative() ? new D(0) : x);

/**
 * Largest remainder on fen (DOMAIN.md §2): `amount` (yuan, whole fen) into parts proportional to `weights`;
 * all-zero weights split equally; ties go to the earlier part. A negative amount is split by magnitude and negated.
 */
export function refSplit(amount: D, weights: readonly D[]): D[] {
  const fen = amount.times(100);
  if (!fen.isInteger()) throw new Error('refSplit: amount is not whole fen');
  if (weights.length === 0) {
    if (!fen.isZero()) throw new Error('refSplit: nothing to split into');
    return [];
  }
  const w = sum(weights).isZero() ? weights.map(() => new D(1)) : weights;
  const total = sum(w);
  const negative = fen.isNegative();
  const n = fen.abs();
  const exact = w.map((wi) => n.times(wi).dividedBy(total));
  const parts = exact.map((e) => e.floor());
  let left = n.minus(sum(parts)).toNumber();
  // Remainders compared exactly: n·w mod Σw (same denominator for every part). Comparing e − floor(e) would
  // compare divisions rounded to the working precision and could split a real tie by a last-digit artifact.
  const order = w
    .map((wi, i) => ({ rem: n.times(wi).mod(total), i }))
    .sort((a, b) => (a.rem.equals(b.rem) ? a.i - b.i : a.rem.greaterThan(b.rem) ? -1 : 1));
  for (const { i } of order) {
    if (left <= 0) break;
    parts[i] = parts[i].plus(1);
    left -= 1;
  }
  return parts.map((p) => (negative ? p.negated() : p).dividedBy(100));
}

export interface RefMember {
  id: string;
  tier: Tier;
  claims: string;
  capitation: string;
  adjustment: string;
  total: string;
  incentivePool: string;
}

export interface RefResult {
  budget: { total: string; lines: string[]; riskReserve: string; package: string; qualityDeposit: string; prepayments: string[] };
  actuals: { outOfGroupDeductions: string; inGroupLiability: string; capitation: string };
  settlement: {
    available: string;
    balance: string;
    retainedSurplus: string;
    surplusReturnedToFund: string;
    fundOverrunShare: string;
    groupOverrunLiability: string;
    depositReturned: string;
    depositForfeited: string;
    groupTotal: string;
    yearEndPayment: string;
    fundRetained: string;
  };
  carryForward: { opening: string; added: string; used: string; closing: string };
  members: RefMember[];
}

// ---------------------------------------------------------------------------------------------------------- §3
function budgetLines(s: Scenario): D[] {
  return s.budget.lines.map((l) => {
    switch (l.basis) {
      case 'fixed':
        return round2(d(l.amount!));
      case 'perCapita':
        return round2(d(l.rate!).times(s.enrollment[l.category]));
      case 'baseYear':
        return round2(d(l.baseSpend!).times(d(l.growth!).plus(1)));
      case 'revenue':
        return round2(d(l.revenue!).times(d(l.ratio!)));
    }
  });
}

// ---------------------------------------------------------------------------------------------------------- §4
interface Priced {
  memberId: string;
  liability: D; // yuan, rounded
}

/** First matching rule wins; no match: ffs. */
export function methodFor(s: Scenario, c: Claim, tier: Tier) {
  const rule = s.payments.rules.find((r) => {
    const w = r.when;
    return (
      (w.setting === undefined || w.setting === c.setting) &&
      (w.tiers === undefined || w.tiers.includes(tier)) &&
      (w.hasCode !== 'drg' || c.drgCode !== '') &&
      (w.hasCode !== 'dip' || c.dipCode !== '') &&
      (w.losAtLeast === undefined || c.losDays >= w.losAtLeast)
    );
  });
  return rule ? rule.method : 'ffs';
}

/** DIP points of a (non-reversal) claim at `tier`. */
function dipPoints(s: Scenario, c: Claim, tier: Tier): D {
  const p = s.payments.dip!;
  const g = p.groups.get(c.dipCode);
  if (!g) throw new Error(`reference: unknown DIP code ${c.dipCode}`);
  const base = d(g.score).times(d(p.coefficients[tier]));
  if (g.avgCost === undefined || g.avgCost.isZero()) return base; // no average cost: no deviation classification
  const cost = yuanOfFen(c.totalCost);
  const avg = d(g.avgCost);
  // ratio < low  ⇔ cost < low × avg ; ratio > high ⇔ cost > high × avg (compared without dividing)
  if (cost.lessThan(d(p.lowMultiple).times(avg))) return base.times(cost).dividedBy(avg);
  if (cost.greaterThan(d(p.highMultiple).times(avg))) return base.times(cost.dividedBy(avg).minus(d(p.highMultiple)).plus(1));
  return base;
}

/** §13.1 the claim's fund columns in yuan, by fund. */
function columns(c: Claim): Record<'basic' | 'critical' | 'assistance' | 'other', D> {
  return { basic: yuanOfFen(c.fundPaid), critical: yuanOfFen(c.criticalPaid ?? 0), assistance: yuanOfFen(c.assistancePaid ?? 0), other: yuanOfFen(c.otherPaid ?? 0) };
}

/** Σ of the packaged columns, and U = Σ of the others (DOMAIN.md §13.1; default package [basic]). */
function packagedAndU(s: Scenario, c: Claim): { packaged: D; U: D } {
  const funds = new Set<string>(s.package?.funds ?? ['basic']);
  let packaged = new D(0);
  let U = new D(0);
  for (const [fund, amount] of Object.entries(columns(c))) {
    if (funds.has(fund)) packaged = packaged.plus(amount);
    else U = U.plus(amount);
  }
  return { packaged, U };
}

/** The agreed amount (yuan) when `originalId` is a listed special case whose method takes one (§13.2). */
function agreedFor(s: Scenario, c: Claim, tier: Tier, originalId: string): D | undefined {
  const listed = s.specialCases?.list?.cases.get(originalId);
  if (listed === undefined) return undefined;
  const m = methodFor(s, c, tier);
  return m === 'drg' || m === 'dip' || m === 'perDiem' || m === 'singleDisease' ? yuanOfFen(listed.agreed) : undefined;
}

function liabilityOf(s: Scenario, c: Claim, tier: Tier, pointValue: () => D, originalId: string): D {
  const pay = s.payments;
  const { packaged, U } = packagedAndU(s, c);
  // what a payment standard is reduced by: patient_paid and the unpackaged funds
  const patient = yuanOfFen(c.patientPaid).plus(U);
  const cost = yuanOfFen(c.totalCost);
  const agreed = agreedFor(s, c, tier, originalId);
  if (agreed !== undefined) return round2(max0(agreed.minus(patient)));
  switch (methodFor(s, c, tier)) {
    case 'ffs':
      return packaged;
    case 'capitation':
      return new D(0);
    case 'drg': {
      const g = pay.drg!;
      const rw = g.weights.get(c.drgCode);
      if (rw === undefined) throw new Error(`reference: unknown DRG code ${c.drgCode}`);
      const std = d(g.baseRate).times(d(rw)).times(d(g.coefficients[tier]));
      let payment = std;
      const high = d(g.highMultiple).times(std);
      if (cost.greaterThan(high)) payment = std.plus(cost.minus(high).times(d(g.highExcessRate)));
      else if (cost.lessThan(d(g.lowMultiple).times(std))) payment = cost;
      return round2(max0(payment.minus(patient)));
    }
    case 'dip':
      return round2(max0(dipPoints(s, c, tier).times(pointValue()).minus(patient)));
    case 'perDiem': {
      const p = pay.perDiem!;
      const rate = p.rates[tier] ?? p.rates.default;
      if (rate === undefined) throw new Error('reference: no per-diem rate');
      const days = p.maxDays === undefined ? c.losDays : Math.min(c.losDays, p.maxDays);
      return round2(max0(d(rate).times(days).minus(patient)));
    }
    case 'singleDisease': {
      const prices = pay.singleDisease!.prices;
      const price = (c.dipCode && prices.get(c.dipCode)) || (c.drgCode && prices.get(c.drgCode)) || undefined;
      if (price === undefined) throw new Error('reference: no single-disease price');
      return round2(max0(d(price).minus(patient)));
    }
  }
}

/** The original a reversal row stands for: same fields, amounts negated back. */
function unreversed(c: Claim): Claim {
  const back = (x: number | undefined) => (x === undefined ? undefined : -x);
  return {
    ...c,
    totalCost: -c.totalCost,
    fundPaid: -c.fundPaid,
    patientPaid: -c.patientPaid,
    criticalPaid: back(c.criticalPaid),
    assistancePaid: back(c.assistancePaid),
    otherPaid: back(c.otherPaid),
    reverses: '',
  };
}

function priceClaims(s: Scenario, claims: readonly Claim[]) {
  const memberTier = new Map(s.group.members.map((m) => [m.id, m.tier]));
  // Cancel each reversal against its original (the netted pair contributes nothing); a reversal whose original
  // is not among the rows is priced as the negation of the claim it stands for.
  const reversed = new Set(claims.filter((c) => c.reverses !== '').map((c) => c.reverses));
  const present = new Set(claims.filter((c) => c.reverses === '').map((c) => c.claimId));
  const live: Array<{ claim: Claim; sign: 1 | -1; originalId: string }> = [];
  for (const c of claims) {
    if (c.reverses === '') {
      if (!reversed.has(c.claimId)) live.push({ claim: c, sign: 1, originalId: c.claimId });
    } else if (!present.has(c.reverses)) {
      live.push({ claim: unreversed(c), sign: -1, originalId: c.reverses });
    }
  }

  let deductions = new D(0);
  const inGroup: Array<{ claim: Claim; sign: 1 | -1; tier: Tier; originalId: string }> = [];
  for (const x of live) {
    const tier = memberTier.get(x.claim.institutionId);
    if (tier === undefined) deductions = deductions.plus(packagedAndU(s, x.claim).packaged.times(x.sign));
    else inGroup.push({ ...x, tier });
  }

  // The DIP point value: budget value if given, else (pool / ratio) / Σ points of all in-group DIP claims.
  let cachedPv: D | undefined;
  const pointValue = (): D => {
    if (cachedPv) return cachedPv;
    const dip = s.payments.dip!;
    if (dip.pointValue !== undefined) return (cachedPv = d(dip.pointValue));
    const points = sum(
      inGroup
        // a DIP special case adds no points (§13.2)
        .filter((x) => methodFor(s, x.claim, x.tier) === 'dip' && agreedFor(s, x.claim, x.tier, x.originalId) === undefined)
        .map((x) => dipPoints(s, x.claim, x.tier).times(x.sign)),
    );
    const funds = d(dip.pool!.amount).dividedBy(d(dip.pool!.reimbursementRatio));
    return (cachedPv = points.isZero() ? new D(0) : funds.dividedBy(points)); // no points: nothing to price
  };

  const priced: Priced[] = inGroup.map((x) => ({
    memberId: x.claim.institutionId,
    liability: liabilityOf(s, x.claim, x.tier, pointValue, x.originalId).times(x.sign),
  }));
  return { deductions, priced };
}

// ---------------------------------------------------------------------------------------------------------- §5
/** Banded amount over `amount` (yuan) with package `P`: marginal (brackets) or firstDollar (the containing band). */
function banded(mode: 'marginal' | 'firstDollar', bands: ReadonlyArray<{ upTo?: D; share: D }>, amount: D, P: D): D {
  if (mode === 'firstDollar') {
    // rate = amount / P ≤ upTo  ⇔  amount ≤ upTo × P (P > 0)
    const band = bands.find((b) => b.upTo !== undefined && amount.lessThanOrEqualTo(b.upTo.times(P))) ?? bands[bands.length - 1];
    return amount.times(band.share);
  }
  let total = new D(0);
  let from = new D(0); // lower edge of the band, as a rate
  for (const b of bands) {
    const to = b.upTo;
    const lo = from.times(P);
    const hi = to === undefined ? amount : D.min(amount, to.times(P));
    if (hi.greaterThan(lo)) total = total.plus(hi.minus(lo).times(b.share));
    if (to !== undefined) from = to;
  }
  return total;
}

/** Q × fraction(score), with the piecewise-linear fraction evaluated with one division at the end. */
function depositReturned(s: Scenario, Q: D): D {
  const pts = s.assessment.depositReturn.map((p) => ({ score: d(p.score), fraction: d(p.fraction) }));
  const score = d(s.assessment.score);
  if (pts.length === 0) return Q;
  if (score.lessThanOrEqualTo(pts[0].score)) return round2(Q.times(pts[0].fraction));
  const last = pts[pts.length - 1];
  if (score.greaterThanOrEqualTo(last.score)) return round2(Q.times(last.fraction));
  for (let i = 0; i + 1 < pts.length; i++) {
    const a = pts[i];
    const b = pts[i + 1];
    if (score.greaterThanOrEqualTo(a.score) && score.lessThanOrEqualTo(b.score)) {
      const span = b.score.minus(a.score);
      const num = a.fraction.times(span).plus(b.fraction.minus(a.fraction).times(score.minus(a.score)));
      return round2(Q.times(num).dividedBy(span));
    }
  }
  throw new Error('reference: deposit curve not covering the score');
}

// ---------------------------------------------------------------------------------------------------------- all
export function referenceSettle(s: Scenario, claims: readonly Claim[]): RefResult {
  // §3
  const lines = budgetLines(s);
  const B = sum(lines);
  const R = round2(B.times(d(s.budget.riskReserveRate)));
  const P = B.minus(R);
  const Q = round2(P.times(d(s.budget.qualityDepositRate)));
  const pp = s.budget.prepayment;
  const prepayments = refSplit(P.minus(Q), pp.weights ? pp.weights.map(d) : Array.from({ length: pp.installments }, () => new D(1)));

  // §4
  const claimsOf = new Map<string, D>(s.group.members.map((m) => [m.id, new D(0)]));
  let Dd: D;
  if (s.actuals) {
    Dd = round2(d(s.actuals.outOfGroupDeductions));
    claimsOf.set(s.group.lead, round2(d(s.actuals.inGroupLiability)));
  } else {
    const { deductions, priced } = priceClaims(s, claims);
    Dd = deductions;
    for (const p of priced) claimsOf.set(p.memberId, claimsOf.get(p.memberId)!.plus(p.liability));
  }
  const capOf = new Map<string, D>(s.group.members.map((m) => [m.id, new D(0)]));
  const cap = s.payments.capitation;
  for (const c of cap?.contracted ?? []) {
    capOf.set(c.institution, capOf.get(c.institution)!.plus(round2(d(c.rate ?? cap!.rate).times(c.enrollees))));
  }
  const L = sum([...claimsOf.values()]);
  const C = sum([...capOf.values()]);

  // §5
  const A = P.minus(Dd);
  const X = A.minus(L).minus(C);
  let S = new D(0);
  let F = new D(0);
  let G = new D(0);
  if (X.greaterThanOrEqualTo(0)) {
    const rule = s.settlement.surplus;
    if (!rule) S = X;
    else {
      let raw = banded(rule.mode, rule.bands.map((b) => ({ upTo: b.upTo && d(b.upTo), share: d(b.share) })), X, P);
      if (rule.scaleByScore) raw = raw.times(d(s.assessment.score)).dividedBy(100);
      raw = raw.times(d(rule.payoutFactor));
      if (rule.cap !== undefined) raw = D.min(raw, d(rule.cap).times(P));
      S = round2(raw);
    }
  } else {
    const O = X.negated();
    const rule = s.settlement.overrun;
    if (rule) {
      let raw = banded(rule.mode, rule.bands.map((b) => ({ upTo: b.upTo && d(b.upTo), share: d(b.fundShare) })), O, P);
      if (rule.capToReserve) raw = D.min(raw, R);
      F = round2(raw);
    }
    G = O.minus(F);
  }
  const surplusBack = X.greaterThanOrEqualTo(0) ? X.minus(S) : new D(0);
  const Qr = depositReturned(s, Q);
  const Qf = Q.minus(Qr);
  const T = X.greaterThanOrEqualTo(0) ? L.plus(C).plus(S).minus(Qf) : A.plus(F).minus(Qf);
  const Y = T.minus(P.minus(Q));
  const kept = R.minus(F).plus(surplusBack).plus(Qf);

  // §6
  const members = s.group.members;
  const workload = (id: string) => max0(claimsOf.get(id)!.plus(capOf.get(id)!));
  const adj = new Map<string, D>(members.map((m) => [m.id, new D(0)]));
  const delta = S.minus(G).minus(Qf);
  const opening = yuanOfFen(s.carryForward.opening);
  let added = new D(0);
  let used = new D(0);
  if (delta.greaterThanOrEqualTo(0)) {
    added = round2(delta.times(d(s.carryForward.retainShare)));
    const rest = delta.minus(added);
    const tiers = TIER_ORDER.filter((t) => members.some((m) => m.tier === t));
    const shares = s.distribution.tierShares;
    const target: Tier = tiers.includes('county') ? 'county' : members.find((m) => m.id === s.group.lead)!.tier;
    const tierWeights = tiers.map((t) => (shares ? d(shares[t] ?? 0) : new D(t === target ? 1 : 0)));
    const tierParts = refSplit(rest, tierWeights);
    tiers.forEach((t, k) => {
      const inTier = members.filter((m) => m.tier === t);
      // §13.3: weight × score (a member not listed scores 100); without memberScores the weight alone
      const scores = s.distribution.memberScores;
      const scoreOf = (id: string) => (scores === undefined ? new D(1) : d(scores.get(id) ?? 100));
      const w = inTier.map((m) => (s.distribution.within === 'equal' ? new D(1) : workload(m.id)).times(scoreOf(m.id)));
      refSplit(tierParts[k], w).forEach((part, j) => adj.set(inTier[j].id, part));
    });
  } else {
    used = D.min(opening, delta.negated());
    const shortfall = delta.negated().minus(used);
    if (s.settlement.overrun?.bearer === 'proRata') {
      refSplit(shortfall.negated(), members.map((m) => workload(m.id))).forEach((part, j) => adj.set(members[j].id, part));
    } else {
      adj.set(s.group.lead, shortfall.negated());
    }
  }

  return {
    budget: {
      total: money(B),
      lines: lines.map(money),
      riskReserve: money(R),
      package: money(P),
      qualityDeposit: money(Q),
      prepayments: prepayments.map(money),
    },
    actuals: { outOfGroupDeductions: money(Dd), inGroupLiability: money(L), capitation: money(C) },
    settlement: {
      available: money(A),
      balance: money(X),
      retainedSurplus: money(S),
      surplusReturnedToFund: money(surplusBack),
      fundOverrunShare: money(F),
      groupOverrunLiability: money(G),
      depositReturned: money(Qr),
      depositForfeited: money(Qf),
      groupTotal: money(T),
      yearEndPayment: money(Y),
      fundRetained: money(kept),
    },
    carryForward: { opening: money(opening), added: money(added), used: money(used), closing: money(opening.plus(added).minus(used)) },
    members: members.map((m) => {
      const a = adj.get(m.id)!;
      const cl = claimsOf.get(m.id)!;
      const cp = capOf.get(m.id)!;
      return {
        id: m.id,
        tier: m.tier,
        claims: money(cl),
        capitation: money(cp),
        adjustment: money(a),
        total: money(cl.plus(cp).plus(a)),
        incentivePool: money(round2(max0(a).times(d(s.distribution.incentiveRate)))),
      };
    }),
  };
}
