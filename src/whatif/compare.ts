// 方案对比 (compare): several scenarios settled side by side — every statement figure and every member's total,
// with absolute and percentage deltas against the first. Claims shared by several scenarios are read once: the
// first scenario of each claims set scans the files (keeping the compact claim table), the others re-price it.
import type { ClaimSource } from '../claims/source.js';
import { settle } from '../domain/engine.js';
import { Decimal, type Dec, formatFen } from '../domain/money.js';
import type { SettlementResult } from '../domain/result.js';
import type { LoadedScenario } from '../scenario/load.js';
import { type LoadedClaims, loadClaimsOnce } from './claims.js';
import { FIGURES, figureLabel } from './figures.js';

export interface CompareRow {
  readonly key: string;
  readonly label: string;
  readonly kind: 'figure' | 'member';
  readonly values: ReadonlyArray<number | undefined>; // fen; undefined: the member is not in that scenario
}

export interface Comparison {
  readonly labels: readonly string[];
  readonly rows: readonly CompareRow[];
}

/** Settles each loaded scenario; scenarios with the same claims files share one scan. */
export async function settleAll(loaded: readonly LoadedScenario[], sourceFor: (l: LoadedScenario) => ClaimSource): Promise<SettlementResult[]> {
  const groups = new Map<string, LoadedScenario[]>();
  for (const l of loaded) {
    const key = l.scenario.actuals !== undefined ? `actuals:${groups.size}:${l.file}` : JSON.stringify(l.scenario.claims);
    groups.set(key, [...(groups.get(key) ?? []), l]);
  }
  const results = new Map<LoadedScenario, SettlementResult>();
  for (const members of groups.values()) {
    const first = members[0];
    const claims: LoadedClaims = await loadClaimsOnce(first.scenario, first.scenario.actuals ? undefined : sourceFor(first), members.length > 1);
    // the keys that change how claims are priced (§13: packaged funds and special cases too)
    const pricing = (l: LoadedScenario) =>
      JSON.stringify([l.effective?.payments, l.effective?.group, l.effective?.costSharing, l.effective?.package, l.effective?.specialCases]);
    for (const l of members) {
      const actuals = l === first || pricing(l) === pricing(first) ? claims.actuals : await claims.table!.aggregate(l.scenario);
      results.set(l, settle(l.scenario, actuals, [...l.inputs, ...claims.files]));
    }
  }
  return loaded.map((l) => results.get(l)!);
}

export function compareResults(labels: readonly string[], results: readonly SettlementResult[]): Comparison {
  const rows: CompareRow[] = FIGURES.map((f) => ({ key: f.key, label: figureLabel(f), kind: 'figure', values: results.map((r) => f.get(r)) }));
  const ids = [...new Set(results.flatMap((r) => r.members.map((m) => m.id)))].sort();
  for (const id of ids) {
    const name = results.map((r) => r.members.find((m) => m.id === id)?.name).find((n) => n !== undefined) ?? id;
    rows.push({
      key: `member:${id}`,
      label: `${id} ${name} 合计 total`,
      kind: 'member',
      values: results.map((r) => r.members.find((m) => m.id === id)?.total),
    });
  }
  return { labels, rows };
}

/** (value − base) / base as a fraction, exact; undefined when base is 0 or a value is missing. */
export function relativeDelta(value: number | undefined, base: number | undefined): Dec | undefined {
  if (value === undefined || base === undefined || base === 0) return undefined;
  return new Decimal(value - base).dividedBy(Math.abs(base));
}

export const formatPct = (d: Dec | undefined): string => (d === undefined ? '' : `${d.times(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2)}%`);

export function comparisonToJson(c: Comparison): unknown {
  return {
    scenarios: c.labels,
    rows: c.rows.map((r) => ({
      key: r.key,
      label: r.label,
      values: r.values.map((v) => (v === undefined ? null : formatFen(v))),
      deltas: r.values.slice(1).map((v) => (v === undefined || r.values[0] === undefined ? null : formatFen(v - r.values[0]))),
      deltaPct: r.values.slice(1).map((v) => relativeDelta(v, r.values[0])?.toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toFixed() ?? null),
    })),
  };
}
