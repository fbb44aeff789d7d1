// 结余分配 / 超支分担 inside the group (DOMAIN.md §6). Each member keeps its claims liability and capitation; the
// adjustment Δ = S − G − Q_f is split: Δ ≥ 0 → carry-forward share, then tiers by tierShares, then members by
// workload or equally; Δ < 0 → the carry-forward reserve covers what it can, the lead (or all, pro rata) the rest.
// §13.3 member scores: within a tier a positive adjustment is split by weight × score (a member not listed: 100);
// shortfalls are not scored. Each member's score effect is its part minus the part it would get unscored.
import { type Allocate, allocateByIntegers, scaledWeights } from './allocate.js';
import { type Dec, type Fen, HUNDRED, ZERO, dec, mulFen } from './money.js';
import type { CarryForwardResult, MemberActuals, MemberResult, SettlementFigures } from './result.js';
import { type Scenario, TIERS, type Tier } from './types.js';

export interface Distribution {
  readonly members: readonly MemberResult[];
  readonly carryForward: CarryForwardResult;
  readonly adjustment: Fen; // Δ
}

/** Workload weight: the member's claims liability plus capitation, in fen (a negative workload counts as 0). */
const workload = (m: MemberActuals): bigint => {
  const w = m.claimsLiability + m.capitation;
  return w > 0 ? BigInt(w) : 0n;
};

/** `allocate` may be swapped for a memoized largest-remainder split (the what-if sweep re-splits the same amounts). */
export function distribute(
  scenario: Scenario,
  members: readonly MemberActuals[],
  fig: SettlementFigures,
  allocate: Allocate = allocateByIntegers,
): Distribution {
  const delta = fig.retainedSurplus - fig.groupOverrunLiability - fig.depositForfeited; // Δ
  const opening = scenario.carryForward.opening;
  const adjustments = new Map<string, Fen>(members.map((m) => [m.id, 0]));
  const scoreEffects = new Map<string, Fen>(); // §13.3: scored part − unscored part
  let added = 0;
  let used = 0;

  if (delta >= 0) {
    added = mulFen(delta, scenario.carryForward.retainShare); // 弥补以后年度不足
    const rest = delta - added;
    const tiersWithMembers = TIERS.filter((t) => members.some((m) => m.tier === t));
    const shares = scenario.distribution.tierShares;
    let tierWeights: bigint[];
    if (shares !== undefined) {
      tierWeights = scaledWeights(tiersWithMembers.map((t) => shares[t] ?? ZERO));
    } else {
      const leadTier = members.find((m) => m.id === scenario.group.lead)!.tier;
      const target: Tier = tiersWithMembers.includes('county') ? 'county' : leadTier;
      tierWeights = tiersWithMembers.map((t) => (t === target ? 1n : 0n));
    }
    const tierParts = allocate(rest, tierWeights);
    const scores = scenario.distribution.memberScores;
    tiersWithMembers.forEach((tier, k) => {
      const inTier = members.filter((m) => m.tier === tier); // already sorted by id
      const weights = scenario.distribution.within === 'equal' ? inTier.map(() => 1n) : inTier.map(workload);
      const unscored = allocate(tierParts[k], weights);
      if (scores === undefined) {
        unscored.forEach((part, j) => adjustments.set(inTier[j].id, part));
        return;
      }
      // weight × score, as exact integers on a common scale (all zero: equal, like any split)
      const scored = allocate(tierParts[k], scaledWeights(inTier.map((m, j) => dec(weights[j].toString()).times(scoreOf(scores, m.id)))));
      scored.forEach((part, j) => {
        adjustments.set(inTier[j].id, part);
        scoreEffects.set(inTier[j].id, part - unscored[j]);
      });
    });
  } else {
    used = Math.min(opening, -delta);
    const shortfall = -delta - used;
    if (scenario.settlement.overrun?.bearer === 'proRata') {
      allocate(-shortfall, members.map(workload)).forEach((part, j) => adjustments.set(members[j].id, part));
    } else {
      adjustments.set(scenario.group.lead, -shortfall);
    }
  }

  const rate = scenario.distribution.incentiveRate;
  const scores = scenario.distribution.memberScores;
  const results: MemberResult[] = members.map((m) => {
    const adjustment = adjustments.get(m.id)!;
    const r: MemberResult = {
      id: m.id,
      name: m.name,
      tier: m.tier,
      claims: m.claimsLiability,
      capitation: m.capitation,
      adjustment,
      total: m.claimsLiability + m.capitation + adjustment,
      incentivePool: adjustment > 0 ? mulFen(adjustment, rate) : 0, // 奖励性绩效
    };
    return scores === undefined ? r : { ...r, score: scoreOf(scores, m.id), scoreEffect: scoreEffects.get(m.id) ?? 0 };
  });
  return { members: results, carryForward: { opening, added, used, closing: opening + added - used }, adjustment: delta };
}

/** A member's §13.3 score: as listed, else 100. */
function scoreOf(scores: ReadonlyMap<string, Dec>, id: string): Dec {
  return scores.get(id) ?? HUNDRED;
}
