// 支付方式匹配: ordered rules, first match wins, no match → fee-for-service (DOMAIN.md §4).
import type { Claim, Method, PaymentRule, Tier } from '../types.js';

export function matchMethod(rules: readonly PaymentRule[], claim: Claim, tier: Tier): Method {
  for (const rule of rules) {
    const w = rule.when;
    if (w.setting !== undefined && w.setting !== claim.setting) continue;
    if (w.tiers !== undefined && !w.tiers.includes(tier)) continue;
    if (w.hasCode === 'drg' && claim.drgCode === '') continue;
    if (w.hasCode === 'dip' && claim.dipCode === '') continue;
    if (w.losAtLeast !== undefined && Math.abs(claim.losDays) < w.losAtLeast) continue;
    return rule.method;
  }
  return 'ffs';
}
