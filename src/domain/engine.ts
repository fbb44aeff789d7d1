// The pure settlement: from a scenario and its actuals (streamed claims or aggregate figures) to a full result
// with journal and checks. No I/O, no clock.
import { computeBudget } from './budget.js';
import { distribute } from './distribute.js';
import { assertChecks, computeChecks } from './invariants.js';
import { buildJournal } from './journal.js';
import { computeKpis } from './kpis.js';
import { roundFen } from './money.js';
import type { Allocate } from './allocate.js';
import type { ActualsResult, BudgetResult, InputFile, MemberActuals, SettlementResult } from './result.js';
import { settleYearEnd } from './settle.js';
import type { Scenario } from './types.js';

/** Aggregate mode (`actuals:` instead of claims): member detail falls to the lead; capitation from the contracts. */
export function actualsFromAggregates(scenario: Scenario): ActualsResult {
  const a = scenario.actuals;
  if (a === undefined) throw new Error('actualsFromAggregates: the scenario has no actuals');
  const L = roundFen(a.inGroupLiability.times(100));
  const D = roundFen(a.outOfGroupDeductions.times(100));
  const out = a.outOfGroupOutOfRegion === undefined ? 0 : roundFen(a.outOfGroupOutOfRegion.times(100));
  const cap = scenario.payments.capitation;
  const members: MemberActuals[] = scenario.group.members.map((m) => {
    let capitation = 0;
    for (const c of cap?.contracted ?? []) if (c.institution === m.id) capitation += roundFen((c.rate ?? cap!.rate).times(c.enrollees).times(100));
    return { id: m.id, name: m.name, tier: m.tier, claimsLiability: m.id === scenario.group.lead ? L : 0, capitation, methods: [] };
  });
  return {
    source: 'actuals',
    claimRows: 0,
    outOfGroupDeductions: D,
    outOfGroupInRegion: D - out,
    outOfGroupOutOfRegion: out,
    inGroupLiability: L,
    capitation: members.reduce((s, m) => s + m.capitation, 0),
    members,
    outOfGroup: [],
    drgBaseRate: scenario.payments.drg?.baseRate,
  };
}

export interface SettleOptions {
  /** The scenario's budget when the caller already computed it (must equal `computeBudget(scenario)`). */
  readonly budget?: BudgetResult;
  /** A largest-remainder split to use instead of the plain one (e.g. memoized across what-if variants). */
  readonly allocate?: Allocate;
}

export function settle(scenario: Scenario, actuals: ActualsResult, inputs: readonly InputFile[], options: SettleOptions = {}): SettlementResult {
  const budget = options.budget ?? computeBudget(scenario);
  // 考核: the indicators of the run; with `assessment.fromKpis` (and no explicit score) they give the score.
  const kpis = computeKpis(scenario, actuals);
  const scored =
    kpis !== undefined && kpis.scoreSource === 'kpis' ? { ...scenario, assessment: { ...scenario.assessment, score: kpis.score } } : scenario;
  const figures = settleYearEnd(scored, budget, actuals);
  const { members, carryForward } = distribute(scenario, actuals.members, figures, options.allocate);
  const journal = buildJournal({
    year: scenario.year,
    budget,
    outOfGroup: actuals.outOfGroup,
    outOfGroupInRegion: actuals.outOfGroupInRegion,
    outOfGroupOutOfRegion: actuals.outOfGroupOutOfRegion,
    figures,
    members,
    carryForward,
  });
  const checks = computeChecks({ budget, actuals, figures, members, carryForward, journal });
  assertChecks(checks);
  return {
    scenario: { name: scenario.name, year: scenario.year, groupId: scenario.group.id, lead: scenario.group.lead },
    inputs,
    budget,
    actuals,
    settlement: figures,
    carryForward,
    members,
    journal,
    checks,
    kpis,
  };
}

