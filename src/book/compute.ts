// What a book's commands compute, with the engine's own code paths (the §4 aggregator and `settle`) over the
// claims the book holds. The claims arrive through a port (`BookClaims`): the store reads them from the database,
// tests from memory. Used alike by the commands and by `verify`, which recomputes every event from the stored
// inputs and compares.
import { aggregateClaims } from '../app/claims.js';
import type { ClaimSource, ClaimVisitor } from '../claims/source.js';
import { settle } from '../domain/engine.js';
import { InputRejected } from '../domain/errors.js';
import { ZERO } from '../domain/money.js';
import type { InputFile } from '../domain/result.js';
import type { Scenario } from '../domain/types.js';
import { resultToJson } from '../report/json.js';
import { ENGINE_VERSION } from '../version.js';
import { type Clearing, clearingOf } from './clearing.js';
import { type MonthRecord, monthlyPreSettlement } from './monthly.js';
import { clearingFiguresJson } from './records.js';
import { type BatchRecord, type BookState, type ClearingRecordJson, lastVersion, versionInForce } from './state.js';

/** The claims of a book: every valid row of the batches 1…`throughBatch`, only those dated in `month` if given. */
export interface BookClaims {
  scan(filter: { readonly throughBatch: number; readonly month?: number }, visit: ClaimVisitor): Promise<number>;
  /**
   * Every row of these batches, read the fastest way the store has (the store may re-read a batch's original file
   * through the importer rather than its stored rows; `verify` holds the two equal). Defaults to `scan`.
   */
  scanBatches?(batches: readonly BatchRecord[], visit: ClaimVisitor): Promise<number>;
}

/** The book's claims as the engine's ClaimSource (they were checked when imported: no errors to report). */
function sourceOf(read: (visit: ClaimVisitor) => Promise<number>): ClaimSource {
  return {
    async scan(visit) {
      return { rows: await read(visit), files: [], errors: [], errorCount: 0 };
    },
  };
}

/** The book's inputs as the engine's InputFile list: its versions and batches with their SHA-256. */
export function bookInputs(state: BookState): InputFile[] {
  return [
    ...state.versions.map((v) => ({ role: 'scenario' as const, file: `v${v.record.index} ${v.record.file}`, sha256: v.record.sha256 })),
    ...state.batches.map((b) => ({ role: 'claims' as const, file: b.file, sha256: b.sha256 })),
  ];
}

/** The version in force priced at the provisional DIP point value (预结算点值): monthly.dipPointValue, else dip.pointValue. */
function monthlyPricing(inForce: Scenario): { scenario: Scenario; pointValueGiven: boolean } {
  // Special cases are priced by the formula month by month; their agreed amounts apply at the clearing (§12.3).
  const scenario: Scenario = { ...inForce, specialCases: undefined };
  const dip = scenario.payments.dip;
  if (dip === undefined) return { scenario, pointValueGiven: true };
  const pv = scenario.monthly.dipPointValue ?? dip.pointValue;
  return { scenario: { ...scenario, payments: { ...scenario.payments, dip: { ...dip, pointValue: pv ?? ZERO } } }, pointValueGiven: pv !== undefined };
}

/** §12.3: the next month's pre-settlement over the claims dated in it that the book holds now. */
export async function computeMonth(state: BookState, claims: BookClaims): Promise<MonthRecord> {
  const month = state.months.length + 1;
  const version = versionInForce(state, month);
  const { scenario, pointValueGiven } = monthlyPricing(version.scenario);
  const { actuals } = await aggregateClaims(scenario, sourceOf((visit) => claims.scan({ throughBatch: state.batches.length, month }, visit)));
  const dipClaims = actuals.members.some((m) => m.methods.some((t) => t.method === 'dip' && (t.claims !== 0 || t.totalCost !== 0)));
  if (!pointValueGiven && dipClaims) {
    const name = `${state.year}-${String(month).padStart(2, '0')}`;
    throw new InputRejected([
      {
        path: 'monthly.dipPointValue',
        rule: 'monthly.noDipPointValue',
        zh: `${name} 有 DIP 病种分值付费的结算单，但政策版本 ${version.record.index} 既没有预结算点值 monthly.dipPointValue，也没有 payments.dip.pointValue，无法月度预结算`,
        en: `${name} has DIP claims, but policy version ${version.record.index} sets neither monthly.dipPointValue nor payments.dip.pointValue: the month cannot be pre-settled`,
      },
    ]);
  }
  return monthlyPreSettlement({
    year: state.year,
    month,
    version: version.record.index,
    scenario,
    installments: state.installments,
    previous: state.months,
    actuals: pointValueGiven ? actuals : { ...actuals, dip: undefined },
  });
}

/** §12.4: the clearing of every claim of every batch with the last version; Y = T − Σ paid. */
export async function computeClearing(state: BookState, claims: BookClaims): Promise<Clearing> {
  const v = lastVersion(state);
  const scenario: Scenario = { ...v.scenario, carryForward: { ...v.scenario.carryForward, opening: state.opening } };
  const inputs = bookInputs(state);
  const { actuals } = await aggregateClaims(
    scenario,
    sourceOf((visit) => (claims.scanBatches ? claims.scanBatches(state.batches, visit) : claims.scan({ throughBatch: state.batches.length }, visit))),
  );
  const result = settle(scenario, actuals, inputs);
  return clearingOf(result, state.months);
}

/** The clearing as a book stores and prints it: the §8 result with Y = T − Σ paid, settlement.paid, members' paid and clearing. */
export function clearingRecord(c: Clearing): ClearingRecordJson {
  const json = resultToJson(c.result, ENGINE_VERSION) as Record<string, unknown>;
  const f = clearingFiguresJson(c.figures);
  const settlement = { ...(json.settlement as Record<string, unknown>), yearEndPayment: f.settlement.yearEndPayment, paid: f.settlement.paid };
  const byId = new Map(f.members.map((m) => [m.id, m]));
  const members = (json.members as Array<Record<string, unknown>>).map((m) => ({
    ...m,
    paid: byId.get(m.id as string)!.paid,
    clearing: byId.get(m.id as string)!.clearing,
  }));
  const { journal: _journal, ...rest } = json; // the book keeps its own journal
  return { figures: c.figures, report: { ...rest, settlement, members } };
}
