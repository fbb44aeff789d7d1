// Drives a ClaimSource through the aggregator (pass 1) and, for the claim-detail sheet, prices every in-group claim
// again with the point value found in pass 1 (pass 2). Errors from reading and from pricing are reported together.
import type { ClaimSource, RowRef } from '../claims/source.js';
import { ClaimAggregator } from '../domain/aggregate.js';
import { InputRejected } from '../domain/errors.js';
import { isProblem } from '../domain/pricing/index.js';
import type { ActualsResult, InputFile, PricedClaim } from '../domain/result.js';
import type { Scenario } from '../domain/types.js';

export interface AggregatedClaims {
  readonly actuals: ActualsResult;
  readonly files: readonly InputFile[];
}

export async function aggregateClaims(scenario: Scenario, source: ClaimSource): Promise<AggregatedClaims> {
  const agg = new ClaimAggregator(scenario);
  const scan = await source.scan((claim, at) => agg.add(claim, at));
  if (scan.errorCount > 0 || agg.problemCount > 0) {
    throw new InputRejected([...scan.errors, ...agg.problems], scan.errorCount + agg.problemCount);
  }
  return { actuals: agg.finish(), files: scan.files };
}

/** Streams every in-group claim with its price (same pricer, same point value as the settlement). */
export function pricedClaimScanner(scenario: Scenario, source: ClaimSource, actuals: ActualsResult) {
  return async (visit: (p: PricedClaim, at: RowRef) => void): Promise<void> => {
    const agg = new ClaimAggregator(scenario);
    const pointValue = actuals.dip?.pointValue;
    const members = new Map(scenario.group.members.map((m) => [m.id, m]));
    await source.scan((claim, at) => {
      const m = members.get(claim.institutionId);
      if (m === undefined) return;
      const price = agg.pricer.price(claim, m.tier, pointValue);
      if (isProblem(price)) return; // cannot happen after a successful pass 1
      visit(
        {
          claim: { ...claim },
          memberId: m.id,
          tier: m.tier,
          method: price.method,
          standard: price.standard,
          points: price.points,
          outlier: price.outlier,
          liability: price.liability ?? 0,
        },
        at,
      );
    });
  };
}
