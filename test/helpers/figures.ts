// The DOMAIN.md §8 figures of an engine result, in the reference implementation's shape (two-decimal strings).
import { resultToJson } from '../../src/report/json.js';
import type { SettlementResult } from '../../src/domain/result.js';
import type { RefResult } from '../reference/settle.js';
import { parseScenarioText, scenarioFromObject } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/domain/types.js';

interface Json {
  budget: { total: string; lines: Array<{ amount: string }>; riskReserve: string; package: string; qualityDeposit: string; prepayments: Array<{ amount: string }> };
  actuals: { outOfGroupDeductions: string; inGroupLiability: string; capitation: string };
  settlement: Record<string, string>;
  carryForward: RefResult['carryForward'];
  members: Array<RefResult['members'][number] & { name: string }>;
}

export function engineFigures(r: SettlementResult): RefResult {
  const j = resultToJson(r, 'test') as Json;
  const s = j.settlement;
  return {
    budget: {
      total: j.budget.total,
      lines: j.budget.lines.map((l) => l.amount),
      riskReserve: j.budget.riskReserve,
      package: j.budget.package,
      qualityDeposit: j.budget.qualityDeposit,
      prepayments: j.budget.prepayments.map((p) => p.amount),
    },
    actuals: {
      outOfGroupDeductions: j.actuals.outOfGroupDeductions,
      inGroupLiability: j.actuals.inGroupLiability,
      capitation: j.actuals.capitation,
    },
    settlement: {
      available: s.available,
      balance: s.balance,
      retainedSurplus: s.retainedSurplus,
      surplusReturnedToFund: s.surplusReturnedToFund,
      fundOverrunShare: s.fundOverrunShare,
      groupOverrunLiability: s.groupOverrunLiability,
      depositReturned: s.depositReturned,
      depositForfeited: s.depositForfeited,
      groupTotal: s.groupTotal,
      yearEndPayment: s.yearEndPayment,
      fundRetained: s.fundRetained,
    },
    carryForward: j.carryForward,
    members: j.members.map((m) => ({
      id: m.id,
      tier: m.tier,
      claims: m.claims,
      capitation: m.capitation,
      adjustment: m.adjustment,
      total: m.total,
      incentivePool: m.incentivePool,
    })),
  };
}

/** A typed Scenario from a YAML-level object (every scalar a string), through the same validation as a file. */
export function scenarioFromRaw(raw: unknown): Scenario {
  return scenarioFromObject(raw, 'gen.yaml', '/tmp').scenario;
}

/** A typed Scenario from YAML text (re-exported for tests that build objects and text alike). */
export function scenarioFromText(yaml: string): Scenario {
  return scenarioFromObject(parseScenarioText(yaml, 'test.yaml'), 'test.yaml', '/tmp').scenario;
}
