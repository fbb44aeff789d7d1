// 参数扫描 (sweep): the grid of results over `--vary KEY=FROM:TO:STEP` (or `KEY=v1,v2,…`) ranges. The claims are
// read once. A variant that changes only budget/settlement/assessment/distribution/carry-forward/enrollment keys
// re-settles from the base per-member aggregates; a variant that changes payment (or group) keys re-prices the
// compact in-memory claim table through a new ClaimAggregator. Every variant is validated like a scenario file and
// settled by the engine's `settle`, which asserts every invariant.
import { settle, actualsFromAggregates } from '../domain/engine.js';
import { InputRejected } from '../domain/errors.js';
import { Decimal, isDecimalText } from '../domain/money.js';
import type { ActualsResult, InputFile, SettlementResult } from '../domain/result.js';
import type { InputError, Scenario } from '../domain/types.js';
import { type ScenarioObject, type TableCache, loadedFromObject } from '../scenario/load.js';
import { type Obj, type PathKey, formatKeyPath, isMapping, parseKeyPath, parseSetValue, setAtPath } from '../scenario/overrides.js';
import { type AllocationCache, SettleVariantBuilder, settleWithBudget } from './variant.js';
import type { LoadedClaims } from './claims.js';
import { FIGURES } from './figures.js';

export interface VarySpec {
  readonly key: string; // the key path as written
  readonly path: readonly PathKey[];
  readonly values: readonly string[];
}

/** At most this many variants in one sweep. */
export const MAX_VARIANTS = 1_000_000;

function varyError(text: string, zh: string, en: string): InputRejected {
  return new InputRejected([{ file: '--vary', value: text, rule: 'vary.syntax', zh, en }]);
}

/** `KEY=FROM:TO:STEP` (decimal, exact) or `KEY=v1,v2,…`. */
export function parseVary(text: string): VarySpec {
  const eq = text.indexOf('=');
  if (eq <= 0) throw varyError(text, `--vary 应写作 KEY=FROM:TO:STEP 或 KEY=v1,v2：${text}`, `--vary must be KEY=FROM:TO:STEP or KEY=v1,v2: ${text}`);
  const key = text.slice(0, eq).trim();
  const spec = text.slice(eq + 1).trim();
  const path = parseKeyPath(key);
  const range = spec.split(':');
  if (range.length === 3 && range.every((x) => isDecimalText(x))) {
    const [from, to, step] = range.map((x) => new Decimal(x.trim()));
    if (step.isZero()) throw varyError(text, `${key} 的步长不能为 0`, `the step of ${key} must not be 0`);
    if (!to.minus(from).isZero() && to.minus(from).isNegative() !== step.isNegative()) {
      throw varyError(text, `${key}：从 ${from.toFixed()} 按步长 ${step.toFixed()} 到不了 ${to.toFixed()}`, `${key}: ${from.toFixed()} never reaches ${to.toFixed()} in steps of ${step.toFixed()}`);
    }
    const count = to.minus(from).dividedBy(step).floor().plus(1);
    if (count.greaterThan(MAX_VARIANTS)) throw varyError(text, `${key} 的取值过多（${count.toFixed()}）`, `${key} has too many values (${count.toFixed()})`);
    const values: string[] = [];
    for (let i = 0; i < count.toNumber(); i++) values.push(from.plus(step.times(i)).toFixed());
    return { key, path, values };
  }
  if (range.length > 1 && !spec.includes(',')) {
    throw varyError(text, `${key} 的范围应为 FROM:TO:STEP 三个数`, `the range of ${key} must be three numbers FROM:TO:STEP`);
  }
  const values = spec.split(',').map((v) => v.trim());
  if (values.some((v) => v === '')) throw varyError(text, `${key} 的取值列表中有空值`, `the value list of ${key} has an empty value`);
  return { key, path, values };
}

/** The cartesian product: the first --vary varies slowest. */
export function gridOf(specs: readonly VarySpec[]): string[][] {
  let out: string[][] = [[]];
  for (const s of specs) {
    const next: string[][] = [];
    for (const prefix of out) for (const v of s.values) next.push([...prefix, v]);
    out = next;
    if (out.length > MAX_VARIANTS) throw varyError(s.key, `变体过多（超过 ${MAX_VARIANTS}）`, `too many variants (over ${MAX_VARIANTS})`);
  }
  return out;
}

/** Keys whose change leaves every claim's price alone: re-settle from the per-member aggregates. */
export const SETTLE_ONLY_ROOTS = new Set(['name', 'year', 'enrollment', 'budget', 'settlement', 'assessment', 'distribution', 'carryForward', 'kpis']);

export type KeyKind = 'settle' | 'reprice';

export function keyKind(path: readonly PathKey[]): KeyKind {
  const root = String(path[0]);
  if (root === 'claims') {
    throw new InputRejected([
      { file: '--vary', path: 'claims', rule: 'vary.claims', zh: '扫描不能改变结算明细文件（claims）', en: 'a sweep cannot vary the claims files' },
    ]);
  }
  return SETTLE_ONLY_ROOTS.has(root) ? 'settle' : 'reprice';
}

export interface SweepRow {
  readonly index: number; // 0-based
  readonly set: Readonly<Record<string, string>>;
  /** FIGURES order, fen; undefined when the variant was rejected. */
  readonly figures?: readonly number[];
  /** Member totals, fen, in `SweepResult.members` order. */
  readonly memberTotals?: readonly number[];
  readonly json?: unknown; // the DOMAIN.md §8 shapes, when asked for
  readonly errors?: readonly InputError[];
}

export interface SweepResult {
  readonly keys: readonly string[];
  readonly members: readonly string[]; // member ids of the base scenario
  readonly rows: readonly SweepRow[];
  readonly rejected: number;
  readonly settleOnly: boolean; // every varied key re-settled from the aggregates
}

export interface SweepOptions {
  /** Build the JSON object of each variant (`sweep --json`). */
  readonly json?: boolean;
  readonly engineVersion?: string;
  /** Called with each settled variant (tests compare with separate runs). */
  readonly onResult?: (row: SweepRow, result: SettlementResult, scenario: Scenario) => void;
}

/** The scenario object of one variant: the base with each varied key set (values read like `--set` values). */
export function variantObject(base: unknown, specs: readonly VarySpec[], values: readonly string[]): Obj {
  let obj: Obj = isMapping(base) ? base : {};
  specs.forEach((s, i) => {
    // copy only the top-level section the key is in; the rest is shared with the base (never mutated)
    const root = String(s.path[0]);
    const part = setAtPath(root in obj ? { [root]: obj[root] } : {}, s.path, parseSetValue(values[i], s.key));
    obj = { ...obj };
    if (root in part) obj[root] = part[root];
    else delete obj[root];
  });
  return obj;
}

/** The per-variant JSON of the sweep contract: `{ set, settlement, members }` (+ budget, actuals, carryForward). */
export function variantJson(set: Record<string, string>, r: SettlementResult, toJson: (r: SettlementResult) => Record<string, unknown>): unknown {
  const j = toJson(r);
  const a = j.actuals as Record<string, unknown>;
  return {
    set,
    settlement: j.settlement,
    members: j.members,
    budget: j.budget,
    actuals: {
      outOfGroupDeductions: a.outOfGroupDeductions,
      outOfGroupInRegion: a.outOfGroupInRegion,
      outOfGroupOutOfRegion: a.outOfGroupOutOfRegion,
      inGroupLiability: a.inGroupLiability,
      capitation: a.capitation,
      dip: a.dip,
    },
    carryForward: j.carryForward,
  };
}

export async function runSweep(
  base: ScenarioObject,
  specs: readonly VarySpec[],
  claims: LoadedClaims,
  baseScenario: Scenario,
  options: SweepOptions = {},
): Promise<SweepResult> {
  const kinds = specs.map((s) => keyKind(s.path));
  const settleOnly = kinds.every((k) => k === 'settle');
  const aggregateMode = baseScenario.actuals !== undefined;
  if (!settleOnly && !aggregateMode && claims.table === undefined) {
    throw new Error('runSweep: payment variants need the claim table (loadClaimsOnce(…, keepTable = true))');
  }
  const toJson = options.json ? (await import('../report/json.js')).resultToJson : undefined;
  const version = options.engineVersion ?? '';
  const tableCache: TableCache = new Map();
  const inputs: InputFile[] = [...base.inputs, ...claims.files];
  const members = baseScenario.group.members.map((m) => m.id);
  const rows: SweepRow[] = [];
  let rejected = 0;
  let firstError: InputRejected | undefined;
  const combos = gridOf(specs);
  const builder = settleOnly ? new SettleVariantBuilder(base, baseScenario) : undefined;
  const roots = [...new Set(specs.map((s) => String(s.path[0])))];
  const allocations: AllocationCache = new Map(); // valid: every settle-only variant shares claims.actuals
  for (const [index, values] of combos.entries()) {
    const set: Record<string, string> = {};
    specs.forEach((s, i) => (set[formatKeyPath(s.path)] = values[i]));
    let r: SettlementResult;
    let scenario: Scenario;
    try {
      const obj = variantObject(base.obj, specs, values);
      if (builder) {
        const v = builder.build(obj, roots);
        scenario = v.scenario;
        r = settleWithBudget(scenario, builder.budgetFor(scenario, v.budgetKey), claims.actuals, inputs, allocations);
      } else {
        scenario = loadedFromObject({ ...base, obj }, { tableCache }).scenario;
        const actuals: ActualsResult = aggregateMode ? actualsFromAggregates(scenario) : await claims.table!.aggregate(scenario);
        r = settle(scenario, actuals, inputs);
      }
    } catch (e) {
      if (!(e instanceof InputRejected)) throw e;
      firstError ??= e;
      rejected++;
      rows.push({ index, set, errors: e.errors.slice(0, 20) });
      continue;
    }
    const memberTotal = new Map(r.members.map((m) => [m.id, m.total]));
    const row: SweepRow = {
      index,
      set,
      figures: FIGURES.map((f) => f.get(r)),
      memberTotals: members.map((id) => memberTotal.get(id) ?? 0),
      json: toJson ? variantJson(set, r, (x) => toJson(x, version) as Record<string, unknown>) : undefined,
    };
    rows.push(row);
    options.onResult?.(row, r, scenario);
  }
  if (rows.length > 0 && rejected === rows.length && firstError) throw firstError;
  return { keys: specs.map((s) => formatKeyPath(s.path)), members, rows, rejected, settleOnly };
}

