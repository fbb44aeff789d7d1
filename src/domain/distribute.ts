// 结余分配 / 超支分担 inside the group (DOMAIN.md §6). Each member keeps its claims liability and capitation; the
// adjustment Δ = S − G − Q_f is split: Δ ≥ 0 → carry-forward share, then tiers by tierShares, then members by
// workload or equally; Δ < 0 → the carry-forward reserve covers what it can, the lead (or all, pro rata) the rest.
import { type Allocate, allocateByIntegers, scaledWeights } from './allocate.js';
import { type Fen, ZERO, mulFen } from './money.js';
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
    tiersWithMembers.forEach((tier, k) => {
      const inTier = members.filter((m) => m.tier === tier); // already sorted by id
      const weights = scenario.distribution.within === 'equal' ? inTier.map(() => 1n) : inTier.map(workload);
      allocate(tierParts[k], weights).forEach((part, j) => adjustments.set(inTier[j].id, part));
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
  const results: MemberResult[] = members.map((m) => {
    const adjustment = adjustments.get(m.id)!;
    return {
      id: m.id,
      name: m.name,
      tier: m.tier,
      claims: m.claimsLiability,
      capitation: m.capitation,
      adjustment,
      total: m.claimsLiability + m.capitation + adjustment,
      incentivePool: adjustment > 0 ? mulFen(adjustment, rate) : 0, // 奖励性绩效
    };
  });
  return { members: results, carryForward: { opening, added, used, closing: opening + added - used }, adjustment: delta };
}
