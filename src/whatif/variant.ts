// Fast variants for sweeps. A variant that changes only settle-level keys (budget, settlement, assessment,
// distribution, carryForward, enrollment, name, year) is validated section by section: each changed top-level
// section goes through the same zod schema as in a scenario file (errors carry the full key path), then every
// cross-key rule runs on the whole scenario, then the typed Scenario is built with the base's payments (which the
// variant did not touch, so no table is read again). The settlement itself is the engine's: the same functions as
// `settle`, in the same order, with the same invariants asserted; only the budget is reused when its inputs are
// unchanged. Tests check both against `loadScenarioWithOverrides` + `settle`.
import { computeBudget } from '../domain/budget.js';
import type { Distribution } from '../domain/distribute.js';
import { InputRejected } from '../domain/errors.js';
import { assertChecks, computeChecks } from '../domain/invariants.js';
import { buildJournal } from '../domain/journal.js';
import { Decimal, type Dec, type Fen, ZERO, fenDec, roundFen } from '../domain/money.js';
import type { ActualsResult, BudgetResult, InputFile, MemberActuals, MemberResult, SettlementFigures, SettlementResult } from '../domain/result.js';
import { settleYearEnd } from '../domain/settle.js';
import { type InputError, type Scenario, TIERS, type Tier } from '../domain/types.js';
import { buildScenario } from '../scenario/build.js';
import { type LoadedScenario, type ScenarioObject, dropEmpty } from '../scenario/load.js';
import { zodIssueToError } from '../scenario/messages.js';
import type { Obj } from '../scenario/overrides.js';
import { checkScenarioRules } from '../scenario/rules.js';
import { type RawScenario, scenarioSchema } from '../scenario/schema.js';

const BUDGET_ROOTS = new Set(['budget', 'enrollment', 'year']);

export class SettleVariantBuilder {
  private readonly baseRaw: RawScenario;
  private readonly baseBudget: BudgetResult;
  private readonly budgets = new Map<string, BudgetResult>();
  /** Validated and built top-level sections, by their text: sweeps repeat each section value many times. */
  private readonly sections = new Map<string, { errors?: InputError[]; data?: unknown; field?: unknown; absent?: boolean }>();
  private readonly shape = scenarioSchema.shape as unknown as Record<string, { safeParse(v: unknown): { success: boolean; data?: unknown; error?: { issues: unknown[] } } }>;

  constructor(
    private readonly base: ScenarioObject,
    private readonly baseScenario: Scenario,
  ) {
    this.baseRaw = scenarioSchema.parse(dropEmpty(base.obj));
    this.baseBudget = computeBudget(baseScenario);
  }

  static from(base: ScenarioObject, loaded: LoadedScenario): SettleVariantBuilder {
    return new SettleVariantBuilder(base, loaded.scenario);
  }

  /**
   * The typed scenario of a variant whose changed top-level sections are `roots` (all settle-level); `obj` is the
   * whole variant object (string-valued, before dropEmpty). Throws InputRejected like `scenarioFromObject`.
   */
  build(obj: Obj, roots: readonly string[]): { scenario: Scenario; budgetKey: string | undefined } {
    const raw: Record<string, unknown> = { ...this.baseRaw };
    const built: Record<string, unknown> = {};
    const errors: InputError[] = [];
    const keys: string[] = [];
    for (const root of roots) {
      const schema = this.shape[root];
      if (schema === undefined) continue; // unknown root keys cannot be settle-level
      const section = root in obj ? (dropEmpty({ [root]: obj[root] }) as Obj)[root] : undefined;
      const key = `${root}\u0000${JSON.stringify(section) ?? ''}`;
      keys.push(key);
      let hit = this.sections.get(key);
      if (hit === undefined) {
        const parsed = schema.safeParse(section);
        if (!parsed.success) {
          const full = { [root]: section };
          hit = {
            errors: (parsed.error!.issues as Parameters<typeof zodIssueToError>[0][]).map((issue) =>
              zodIssueToError({ ...issue, path: [root, ...issue.path] } as typeof issue, full, this.base.file),
            ),
          };
        } else {
          // the typed field of this section alone (buildScenario maps each top-level section to its own field)
          const field = parsed.data === undefined ? undefined : (buildScenario({ ...this.baseRaw, payments: undefined, [root]: parsed.data } as RawScenario, this.baseScenario.claims, {}) as unknown as Record<string, unknown>)[root];
          hit = { data: parsed.data, field, absent: parsed.data === undefined };
        }
        if (this.sections.size < 100_000) this.sections.set(key, hit);
      }
      if (hit.errors) {
        errors.push(...hit.errors);
        continue;
      }
      if (hit.absent) {
        delete raw[root];
        built[root] = (buildScenario({ ...this.baseRaw, payments: undefined, [root]: undefined } as RawScenario, this.baseScenario.claims, {}) as unknown as Record<string, unknown>)[root];
      } else {
        raw[root] = hit.data;
        built[root] = hit.field;
      }
    }
    if (errors.length > 0) throw new InputRejected(errors);
    const ruleErrors = checkScenarioRules(raw as RawScenario, this.base.file);
    if (ruleErrors.length > 0) throw new InputRejected(ruleErrors);
    const scenario = { ...this.baseScenario, ...built } as Scenario;
    const budgetKey = roots.some((r) => BUDGET_ROOTS.has(r)) ? keys.filter((k) => BUDGET_ROOTS.has(k.slice(0, k.indexOf('\u0000')))).join('\u0001') : undefined;
    return { scenario, budgetKey };
  }

  /** The budget of a variant: the base's when its inputs did not change, else computed once per distinct inputs. */
  budgetFor(scenario: Scenario, budgetKey: string | undefined): BudgetResult {
    if (budgetKey === undefined) return this.baseBudget;
    let b = this.budgets.get(budgetKey);
    if (b === undefined) {
      b = computeBudget(scenario);
      if (this.budgets.size < 10_000) this.budgets.set(budgetKey, b);
    }
    return b;
  }
}

/**
 * The engine's `settle`, step for step (budget → year-end → distribution → journal → checks, all asserted), with a
 * precomputed budget and the integer distribution. Equal to `settle(scenario, actuals, inputs)` whenever `budget`
 * is `computeBudget(scenario)` (tested).
 */
export function settleWithBudget(
  scenario: Scenario,
  budget: BudgetResult,
  actuals: ActualsResult,
  inputs: readonly InputFile[],
  cache?: AllocationCache,
): SettlementResult {
  const figures = settleYearEnd(scenario, budget, actuals);
  const { members, carryForward } = distributeFast(scenario, actuals.members, figures, cache);
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
  };
}

// ── Distribution on integers ────────────────────────────────────────────────────────────────────────────────────
// `domain/distribute.ts` splits with 60-digit Decimal divisions, which is most of a settlement's time. The same
// largest-remainder split done on exact integers (fen × integer weights; decimal tier shares scaled to integers)
// gives the same parts: floor(T·w/S) and the remainders T·w mod S order exactly as the Decimal fractions do, and
// ties break by key order in both. Property tests check `distributeFast` against `distribute` on random inputs.

/**
 * Splits already made, for one fixed list of member actuals (a sweep re-settles the same aggregates many times, and
 * many variants share the same adjustment): key → parts. Only valid while the members' actuals do not change.
 */
export type AllocationCache = Map<string, Fen[]>;

/** Largest remainder on integer weights (all ≥ 0; all zero → equal), ties by index. Same result as allocate.ts. */
export function allocateInteger(total: Fen, weights: readonly bigint[]): Fen[] {
  if (weights.length === 0) {
    if (total !== 0) throw new Error(`cannot split ${total} fen into zero parts`);
    return [];
  }
  let sum = 0n;
  for (const w of weights) sum += w;
  let ws = weights;
  if (sum === 0n) {
    ws = weights.map(() => 1n);
    sum = BigInt(weights.length);
  }
  const sign = total < 0 ? -1 : 1;
  const magnitude = BigInt(Math.abs(total));
  const parts: number[] = [];
  const rems: bigint[] = [];
  let allocated = 0;
  for (const w of ws) {
    const p = magnitude * w;
    const f = Number(p / sum);
    parts.push(f);
    rems.push(p % sum);
    allocated += f;
  }
  let leftover = Math.abs(total) - allocated;
  if (leftover > 0) {
    const order = rems.map((_, i) => i).sort((a, b) => (rems[a] > rems[b] ? -1 : rems[a] < rems[b] ? 1 : a - b));
    for (const i of order) {
      if (leftover === 0) break;
      parts[i] += 1;
      leftover -= 1;
    }
  }
  return parts.map((f) => (f === 0 ? 0 : sign * f));
}

/** fen ↦ round-half-up(fen × rate) for a rate ≥ 0, exactly on integers (= roundFen(fenDec(fen).times(rate))). */
export function exactRate(rate: Dec): (fen: Fen) => Fen {
  const places = rate.decimalPlaces();
  if (places > 15) return (fen) => roundFen(fenDec(fen).times(rate));
  const den = 10 ** places;
  const num = Number(rate.times(den).toFixed(0));
  const bigNum = BigInt(num);
  const bigDen = BigInt(den);
  return (fen) => {
    const neg = fen < 0;
    const a = neg ? -fen : fen;
    const p = a * num;
    let q: number;
    if (p <= 2 ** 52) {
      q = Math.floor(p / den);
      let r = p - q * den;
      if (r < 0) {
        q -= 1;
        r += den;
      } else if (r >= den) {
        q += 1;
        r -= den;
      }
      if (2 * r >= den) q += 1;
    } else {
      q = Number((BigInt(a) * bigNum * 2n + bigDen) / (2n * bigDen));
    }
    return q === 0 ? 0 : neg ? -q : q;
  };
}

/** Decimal weights (≥ 0) as integers on a common scale. */
function scaledWeights(ws: readonly Dec[]): bigint[] {
  const places = Math.max(0, ...ws.map((w) => w.decimalPlaces()));
  const scale = new Decimal(10).pow(places);
  return ws.map((w) => BigInt(w.times(scale).toFixed(0)));
}

/** `distribute` (DOMAIN.md §6) with integer allocation; identical figures. */
export function distributeFast(scenario: Scenario, members: readonly MemberActuals[], fig: SettlementFigures, cache?: AllocationCache): Distribution {
  const alloc = (key: string, total: Fen, weights: () => bigint[]): Fen[] => {
    if (cache === undefined) return allocateInteger(total, weights());
    const k = `${key}\u0000${total}`;
    let parts = cache.get(k);
    if (parts === undefined) {
      parts = allocateInteger(total, weights());
      if (cache.size < 200_000) cache.set(k, parts);
    }
    return parts;
  };
  const delta = fig.retainedSurplus - fig.groupOverrunLiability - fig.depositForfeited;
  const opening = scenario.carryForward.opening;
  const adjustments = new Map<string, Fen>(members.map((m) => [m.id, 0]));
  let added = 0;
  let used = 0;
  const workload = (m: MemberActuals): bigint => {
    const w = m.claimsLiability + m.capitation;
    return w > 0 ? BigInt(w) : 0n;
  };
  if (delta >= 0) {
    added = roundFen(fenDec(delta).times(scenario.carryForward.retainShare));
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
    const tierParts = alloc(`tiers\u0000${tierWeights.join(',')}`, rest, () => tierWeights);
    const within = scenario.distribution.within;
    tiersWithMembers.forEach((tier, k) => {
      const inTier = members.filter((m) => m.tier === tier);
      const weights = () => (within === 'equal' ? inTier.map(() => 1n) : inTier.map(workload));
      alloc(`${tier}\u0000${within}`, tierParts[k], weights).forEach((part, j) => adjustments.set(inTier[j].id, part));
    });
  } else {
    used = Math.min(opening, -delta);
    const shortfall = -delta - used;
    if (scenario.settlement.overrun?.bearer === 'proRata') {
      alloc('proRata', -shortfall, () => members.map(workload)).forEach((part, j) => adjustments.set(members[j].id, part));
    } else {
      adjustments.set(scenario.group.lead, -shortfall);
    }
  }
  const incentive = exactRate(scenario.distribution.incentiveRate);
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
      incentivePool: adjustment > 0 ? incentive(adjustment) : 0,
    };
  });
  return { members: results, carryForward: { opening, added, used, closing: opening + added - used }, adjustment: delta };
}
