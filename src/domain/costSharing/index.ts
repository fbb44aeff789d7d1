// 待遇政策 (cost sharing): the pure rules and the two-pass recompute store. See rules.ts for the precise rule.
export { CostSharingTables, PatientCostSharing, shareCosts, type PatientClaim, type SharedAmounts } from './rules.js';
export { CostSharingRecompute, type RecomputedTotals } from './recompute.js';
