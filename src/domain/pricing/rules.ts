// 支付方式匹配: ordered rules, first match wins, no match → fee-for-service (DOMAIN.md §4).
import type { Claim, Method, PaymentRule, Setting, Tier } from '../types.js';

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

const TIERS: readonly Tier[] = ['county', 'township', 'village'];
const SETTINGS: readonly Setting[] = ['inpatient', 'outpatient'];
const TIER_INDEX: Readonly<Record<Tier, number>> = { county: 0, township: 1, village: 2 };

/**
 * `matchMethod` compiled once per rule list: for every tier × setting × (has DRG code) × (has DIP code) the rules that
 * can still match, in order, reduced to their bed-day thresholds (0 when the rule has none; the list stops there).
 * Gives the same method as `matchMethod` for every claim (a property test compares them).
 */
export class MethodMatcher {
  private readonly thresholds: number[][] = [];
  private readonly methods: Method[][] = [];

  constructor(rules: readonly PaymentRule[]) {
    for (const tier of TIERS) {
      for (const setting of SETTINGS) {
        for (const drg of [false, true]) {
          for (const dip of [false, true]) {
            const at: number[] = [];
            const ms: Method[] = [];
            for (const rule of rules) {
              const w = rule.when;
              if (w.setting !== undefined && w.setting !== setting) continue;
              if (w.tiers !== undefined && !w.tiers.includes(tier)) continue;
              if (w.hasCode === 'drg' && !drg) continue;
              if (w.hasCode === 'dip' && !dip) continue;
              at.push(w.losAtLeast ?? 0);
              ms.push(rule.method);
              if (w.losAtLeast === undefined) break;
            }
            this.thresholds.push(at);
            this.methods.push(ms);
          }
        }
      }
    }
  }

  method(claim: Claim, tier: Tier): Method {
    const k = TIER_INDEX[tier] * 8 + (claim.setting === 'inpatient' ? 0 : 4) + (claim.drgCode === '' ? 0 : 2) + (claim.dipCode === '' ? 0 : 1);
    const at = this.thresholds[k];
    if (at.length === 0) return 'ffs';
    const los = Math.abs(claim.losDays);
    for (let i = 0; i < at.length; i++) if (los >= at[i]) return this.methods[k][i];
    return 'ffs';
  }
}
