// Drives a ClaimSource through the aggregator (pass 1) and, for the claim-detail sheet, prices every in-group claim
// again with the point value found in pass 1 (pass 2). Errors from reading and from pricing are reported together.
import type { ClaimSource, ReadNotice, RowRef } from '../claims/source.js';
import { ClaimAggregator } from '../domain/aggregate.js';
import { InputRejected } from '../domain/errors.js';
import { isProblem } from '../domain/pricing/index.js';
import { CostSharingRecompute } from '../domain/costSharing/recompute.js';
import type { ActualsResult, CostSharingComparison, CostSharingFigures, InputFile, PricedClaim } from '../domain/result.js';
import { copyOfClaim, type Claim, type InputError, type Scenario, type SpecialCaseSettings } from '../domain/types.js';
import { AmountRangeError } from '../domain/money.js';
import { readSpecialCaseFile } from '../scenario/specialCases.js';

/** Lists already read, per scenario settings object (what-if variants and monthly runs reuse one scenario). */
const listsRead = new WeakMap<SpecialCaseSettings, Promise<SpecialCaseSettings>>();

/**
 * The scenario with its special-case list (§13.2) read and row-checked, and the list's input hash; the scenario
 * itself when it has none. Rejects with every row error of the list.
 */
export async function withSpecialCases(scenario: Scenario): Promise<{ scenario: Scenario; file?: InputFile }> {
  const sc = scenario.specialCases;
  if (sc === undefined) return { scenario };
  let loaded: SpecialCaseSettings;
  if (sc.list !== undefined) loaded = sc;
  else {
    let p = listsRead.get(sc);
    if (p === undefined) {
      p = readSpecialCaseFile(sc.file, sc.fileAsWritten).then((r) => {
        if (r.list === undefined) throw new InputRejected([...r.errors]);
        return { ...sc, list: r.list };
      });
      listsRead.set(sc, p);
    }
    loaded = await p;
  }
  return { scenario: { ...scenario, specialCases: loaded }, file: { role: 'table', file: loaded.list!.file, sha256: loaded.list!.sha256 } };
}

export interface AggregatedClaims {
  /** The scenario as settled: with its special-case list read (§13.2). */
  readonly scenario: Scenario;
  readonly actuals: ActualsResult;
  readonly files: readonly InputFile[];
  /** Recompute mode: the claims as settled (recomputed amounts), for a second pass such as the claim detail. */
  readonly source?: ClaimSource;
  /** How files were read when not the plain way (another sheet, title rows skipped): to tell the user. */
  readonly notices: readonly ReadNotice[];
}

export async function aggregateClaims(given: Scenario, source: ClaimSource): Promise<AggregatedClaims> {
  const { scenario, file: listFile } = await withSpecialCases(given);
  const listed = listFile === undefined ? [] : [listFile];
  if (scenario.costSharing?.mode === 'recompute') {
    const r = await aggregateRecomputed(scenario, source);
    return { ...r, files: [...r.files, ...listed] };
  }
  const agg = new ClaimAggregator(scenario);
  const range = new RangeProblems();
  const scan = await source.scan((claim, at) => range.add(agg, claim, at));
  agg.closeScan();
  if (scan.errorCount > 0 || agg.problemCount > 0 || range.count > 0) {
    throw new InputRejected([...scan.errors, ...agg.problems, ...range.errors], scan.errorCount + agg.problemCount + range.count);
  }
  return { scenario, actuals: exactOrReject(agg.finish(), scenario), files: [...scan.files, ...listed], notices: scan.notices ?? [] };
}

/**
 * `costSharing.mode: recompute`: pass 1 aggregates the claims as recorded and keeps a compact record per row;
 * the rules then give every row its fund_paid / patient_paid (per patient, in date order); pass 2 reads the same
 * files again and aggregates the recomputed claims. The result is the recomputed one, with the recorded figures
 * beside it (`actuals.costSharing`).
 */
async function aggregateRecomputed(scenario: Scenario, source: ClaimSource): Promise<AggregatedClaims> {
  const recorded = new ClaimAggregator(scenario);
  const store = new CostSharingRecompute(scenario);
  const range = new RangeProblems();
  const scan = await source.scan((claim, at) => {
    range.add(recorded, claim, at);
    store.record(claim);
  });
  recorded.closeScan();
  if (scan.errorCount > 0 || recorded.problemCount > 0 || range.count > 0) {
    throw new InputRejected([...scan.errors, ...recorded.problems, ...range.errors], scan.errorCount + recorded.problemCount + range.count);
  }
  const totals = store.compute();
  const recomputed = new ClaimAggregator(scenario);
  const again = await source.scan((claim, at) => range.add(recomputed, store.apply(claim), at));
  recomputed.closeScan();
  if (again.errorCount > 0 || recomputed.problemCount > 0 || range.count > 0 || store.applied !== store.rows) {
    throw new InputRejected([...again.errors, ...recomputed.problems, ...range.errors], again.errorCount + recomputed.problemCount + range.count);
  }
  const before = exactOrReject(recorded.finish(), scenario);
  const after = exactOrReject(recomputed.finish(), scenario);
  return {
    scenario,
    actuals: { ...after, costSharing: compareCostSharing(before, after, totals.patients) },
    files: scan.files,
    source: recomputedSource(source, store),
    notices: scan.notices ?? [],
  };
}

/**
 * A claim priced beyond exact fen (a rate × weight × days far beyond reality) is an error on its row naming the
 * likely cause, not an exception: collected like the other row errors (the first 100 kept).
 */
class RangeProblems {
  readonly errors: InputError[] = [];
  count = 0;
  /** agg.add(claim, at), the range error kept as a row error (no closure per row: this runs for every claim). */
  add(agg: ClaimAggregator, claim: Claim, at: RowRef): void {
    try {
      agg.add(claim, at);
    } catch (e) {
      if (!(e instanceof AmountRangeError)) throw e;
      if (this.count++ < 100) {
        this.errors.push({
          file: at.file,
          row: at.row,
          rule: 'amount.range',
          zh: '按场景的费率、点值与权重计算，此行的金额超出可精确计算的范围（90万亿元）：请检查 payments 下的费率与权重表',
          en: "priced with the scenario's rates, point values and weights, this row's amount exceeds the range of exact amounts (90 trillion yuan): check the rates and weight tables under payments",
        });
      }
    }
  }
}

/**
 * Every sum of the claims must be exact: claim amounts are bounded by the importer (1亿 a claim, Σ|total| checked),
 * but liabilities come from rates × weights, so a figure past 2^53 fen (rates far beyond reality) stops the run
 * instead of being rounded silently.
 */
function exactOrReject(actuals: ActualsResult, scenario: Scenario): ActualsResult {
  const unsafe = (v: unknown): boolean => {
    if (typeof v === 'number') return !Number.isSafeInteger(v);
    if (Array.isArray(v)) return v.some(unsafe);
    if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.values(v).some(unsafe);
    return false;
  };
  if (!unsafe(actuals)) return actuals;
  throw new InputRejected([
    {
      file: scenario.claimsAsWritten[0] ?? '',
      rule: 'amount.sumRange',
      zh: '按场景费率与权重计算的金额之和超出可精确计算的范围（90万亿元）：请检查 payments 下的费率、点值与权重表',
      en: 'sums priced with the scenario\'s rates and weights exceed the range of exact sums (90 trillion yuan): check the rates, point values and weight tables under payments',
    },
  ]);
}

/** The claims as settled in recompute mode: each scan reads the files again and applies the recomputed amounts. */
function recomputedSource(inner: ClaimSource, store: CostSharingRecompute): ClaimSource {
  return {
    async scan(visit) {
      store.rewind(); // one scan at a time
      return inner.scan((claim, at) => visit(store.apply(claim), at));
    },
  };
}

function figures(a: ActualsResult): CostSharingFigures {
  let fundPaid = 0;
  let patientPaid = 0;
  for (const m of a.members) {
    for (const t of m.methods) {
      fundPaid += t.fundPaid;
      patientPaid += t.patientPaid;
    }
  }
  return {
    inGroupFundPaid: fundPaid,
    inGroupPatientPaid: patientPaid,
    outOfGroupDeductions: a.outOfGroupDeductions,
    inGroupLiability: a.inGroupLiability,
    members: a.members.map((m) => ({ id: m.id, claimsLiability: m.claimsLiability, methods: m.methods })),
  };
}

function compareCostSharing(recorded: ActualsResult, recomputed: ActualsResult, patients: number): CostSharingComparison {
  return { mode: 'recompute', patients, recorded: figures(recorded), recomputed: figures(recomputed) };
}

/** Streams every in-group claim with its price (same pricer, same point value as the settlement). */
export function pricedClaimScanner(scenario: Scenario, source: ClaimSource, actuals: ActualsResult) {
  return async (visit: (p: PricedClaim, at: RowRef) => void): Promise<void> => {
    const agg = new ClaimAggregator(scenario);
    const pointValue = actuals.dip?.pointValue;
    const members = new Map(scenario.group.members.map((m) => [m.id, m]));
    await source.scan((claim, at) => {
      const m = members.get(claim.institutionId);
      if (m === undefined) return;
      const price = agg.pricer.price(claim, m.tier, pointValue);
      if (isProblem(price)) return; // cannot happen after a successful pass 1
      visit(
        {
          claim: copyOfClaim(claim),
          memberId: m.id,
          tier: m.tier,
          method: price.method,
          standard: price.standard,
          points: price.points,
          outlier: price.outlier,
          liability: price.liability ?? 0,
          ...(price.special ? { special: true } : {}),
        },
        at,
      );
    });
  };
}
