// Fast variants for sweeps. A variant that changes only settle-level keys (budget, settlement, assessment,
// distribution, carryForward, enrollment, name, year) is validated section by section: each changed top-level
// section goes through the same zod schema as in a scenario file (errors carry the full key path), then every
// cross-key rule runs on the whole scenario, then the typed Scenario is built with the base's payments (which the
// variant did not touch, so no table is read again). The settlement itself is the engine's: the same functions as
// `settle`, in the same order, with the same invariants asserted; only the budget is reused when its inputs are
// unchanged. Tests check both against `loadScenarioWithOverrides` + `settle`.
import { computeBudget } from '../domain/budget.js';
import { InputRejected } from '../domain/errors.js';
import { type Allocate, allocateByIntegers } from '../domain/allocate.js';
import { settle } from '../domain/engine.js';
import type { Fen } from '../domain/money.js';
import type { ActualsResult, BudgetResult, InputFile, SettlementResult } from '../domain/result.js';
import type { InputError, Scenario } from '../domain/types.js';
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
 * Splits already made, for one fixed list of member actuals (a sweep re-settles the same aggregates many times, and
 * many variants share the same adjustment): key → parts. Only valid while the members' actuals do not change.
 */
export type AllocationCache = Map<string, Fen[]>;

/** A largest-remainder split memoized in `cache` (same parts as `allocateByIntegers`). */
export function memoizedAllocate(cache: AllocationCache): Allocate {
  return (total, weights) => {
    const key = `${total}\u0000${weights.join(',')}`;
    let parts = cache.get(key);
    if (parts === undefined) {
      parts = allocateByIntegers(total, weights);
      if (cache.size < 200_000) cache.set(key, parts);
    }
    return parts;
  };
}

/** The engine's `settle` with a precomputed budget and, optionally, memoized splits (equal to `settle`; tested). */
export function settleWithBudget(
  scenario: Scenario,
  budget: BudgetResult,
  actuals: ActualsResult,
  inputs: readonly InputFile[],
  cache?: AllocationCache,
): SettlementResult {
  return settle(scenario, actuals, inputs, { budget, allocate: cache ? memoizedAllocate(cache) : undefined });
}
