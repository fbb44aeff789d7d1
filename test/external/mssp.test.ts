// External check: the 2018 Medicare Shared Savings Program (MSSP) public use file, published by CMS, settled by our
// engine. Each accountable care organisation (ACO) without a disaster adjustment becomes a one-member, aggregate-mode
// scenario written as scenario text, exactly as a user would write it, and must reproduce CMS's published
// `EarnSaveLoss` within 0.02 %.
//
// Mapping (DOMAIN.md keys):
//   budget      one `fixed` line = ABtotBnchmk (benchmark); riskReserveRate 0, qualityDepositRate 0 → P = B
//   actuals     inGroupLiability = ABtotExp (expenditure), outOfGroupDeductions 0 → X = benchmark − expenditure
//   surplus     firstDollar bands [{upTo: MSR, share: 0}, {share: track share}]   (minimum savings rate gate)
//               scaleByScore (score = QualScore × 100, or 0 when the quality standard is not met, Met_QPS = 0)
//               payoutFactor 0.98 (the 2 % sequestration payment reduction), cap 0.10 / 0.15 / 0.20 × benchmark
//   overrun     one-sided tracks (1): fundShare 1 — no liability for losses.
//               two-sided tracks (1+, 2, 3): firstDollar [{upTo: MLR (= MSR, symmetric), fundShare: 1},
//               {fundShare: 1 − shared loss rate}]; capToReserve false (there is no reserve: R = 0).
//   compared    engine earned = retainedSurplus − groupOverrunLiability   vs   EarnSaveLoss.
//
// What the DOMAIN.md keys cannot say (asserted below to be irrelevant for this file, so the test would tell if a
// future file needed them): the MSSP gate is "savings ≥ MSR" (bands are upper-inclusive, so a rate exactly at the
// MSR pays nothing here); the two-sided loss-sharing limit (a cap on the group's liability G, not on the fund's
// share F) and a shared loss rate that falls as the quality score rises (we compute it per row into fundShare).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { actualsFromAggregates, settle } from '../../src/domain/engine.js';
import { Decimal, type Dec } from '../../src/domain/money.js';
import type { SettlementResult } from '../../src/domain/result.js';
import { parseScenarioText, scenarioFromObject } from '../../src/scenario/load.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PUF = path.resolve(repoRoot, '../shared/data/mssp-2018-aco-puf.csv');

// Published counts of the 2018 file: 548 ACOs, 11 with a disaster adjustment (DisAdj) to their shared losses.
const ALL_ROWS = 548;
const DISASTER_ROWS = 11;
const CHECKED_ROWS = ALL_ROWS - DISASTER_ROWS; // 537
const TOLERANCE = new Decimal('0.0002'); // 0.02 % of |EarnSaveLoss|

type Track = '1' | '1+' | '2' | '3';
/** Share of savings by track, before the quality score (42 CFR 425.604/.606/.610, and Track 1+ at 50 %). */
const SHARE: Record<Track, string> = { '1': '0.5', '1+': '0.5', '2': '0.6', '3': '0.75' };
/** Performance payment limit, as a fraction of the benchmark. */
const CAP: Record<Track, string> = { '1': '0.10', '1+': '0.10', '2': '0.15', '3': '0.20' };

interface Row {
  readonly id: string;
  readonly track: Track;
  readonly benchmark: string; // ABtotBnchmk, whole dollars
  readonly expenditure: string; // ABtotExp
  readonly msr: string; // MinSavPerc (fraction)
  readonly qualScore: string; // QualScore (0–1)
  readonly metQps: boolean; // Met_QPS
  readonly qualPerfShare: string; // QualPerfShare: the track's maximum sharing rate as CMS records it
  readonly earned: string; // EarnSaveLoss, whole dollars
}

function loadPuf(): { all: Record<string, string>[]; rows: Row[] } {
  // The file is cp1252 (ACO names); every column used here is plain ASCII, so latin1 decoding is lossless for them.
  const parsed = Papa.parse<Record<string, string>>(readFileSync(PUF, 'latin1'), { header: true, skipEmptyLines: true });
  if (parsed.errors.length > 0) throw new Error(`PUF parse errors: ${JSON.stringify(parsed.errors.slice(0, 3))}`);
  const all = parsed.data;
  const rows = all
    .filter((r) => (r.DisAdj ?? '').trim() === '')
    .map((r): Row => {
      const flags: [Track, string][] = [
        ['1', r.Current_Track_1],
        ['1+', r.Current_Track_1_Plus],
        ['2', r.Current_Track_2],
        ['3', r.Current_Track_3],
      ];
      const on = flags.filter(([, v]) => v.trim() === '1');
      if (on.length !== 1) throw new Error(`${r.ACO_ID}: expected exactly one current track, got ${on.length}`);
      const num = (k: string): string => {
        const v = (r[k] ?? '').trim();
        if (!/^-?\d+(\.\d+)?$/.test(v)) throw new Error(`${r.ACO_ID}: ${k} is not a number: ${JSON.stringify(v)}`);
        return v;
      };
      return {
        id: r.ACO_ID,
        track: on[0][0],
        benchmark: num('ABtotBnchmk'),
        expenditure: num('ABtotExp'),
        msr: num('MinSavPerc'),
        qualScore: num('QualScore'),
        metQps: num('Met_QPS') === '1',
        qualPerfShare: num('QualPerfShare'),
        earned: num('EarnSaveLoss'),
      };
    });
  return { all, rows };
}

const d = (s: string): Dec => new Decimal(s);
const twoSided = (t: Track): boolean => t !== '1';

/** Shared loss rate of a two-sided track (2018 rules): 1+ fixed 30 %; 2 and 3: 1 − final sharing rate, bounded. */
function sharedLossRate(row: Row): Dec {
  if (row.track === '1+') return d('0.3');
  const finalShare = d(SHARE[row.track]).times(row.qualScore);
  const [lo, hi] = row.track === '2' ? ['0.4', '0.6'] : ['0.4', '0.75'];
  return Decimal.max(d(lo), Decimal.min(d(hi), Decimal.sub(1, finalShare)));
}

interface Options {
  readonly cap?: string; // override the cap (to try the other reading of the cap order)
  readonly score?: string; // override the assessment score
}

/** The scenario, as text a user would write (YAML flow style; every number quoted as an exact decimal). */
function scenarioText(row: Row, opts: Options = {}): string {
  const score = opts.score ?? (row.metQps ? d(row.qualScore).times(100).toFixed() : '0');
  const overrun = twoSided(row.track)
    ? `{ mode: firstDollar, bands: [ { upTo: "${row.msr}", fundShare: "1" }, { fundShare: "${Decimal.sub(1, sharedLossRate(row)).toFixed()}" } ], capToReserve: false }`
    : `{ mode: firstDollar, bands: [ { fundShare: "1" } ], capToReserve: false }`;
  return `
name: MSSP 2018 ${row.id} (track ${row.track})
year: 2018
group:
  id: ${row.id}
  lead: ACO
  members: [ { id: ACO, name: "${row.id}", tier: county } ]
budget:
  lines: [ { category: employee, fund: basic, basis: fixed, amount: "${row.benchmark}" } ]
  riskReserveRate: "0"
  qualityDepositRate: "0"
actuals: { inGroupLiability: "${row.expenditure}", outOfGroupDeductions: "0" }
settlement:
  surplus: { mode: firstDollar, bands: [ { upTo: "${row.msr}", share: "0" }, { share: "${SHARE[row.track]}" } ],
             scaleByScore: true, payoutFactor: "0.98", cap: "${opts.cap ?? CAP[row.track]}" }
  overrun: ${overrun}
assessment: { score: "${score}" }
`;
}

function settleRow(row: Row, opts?: Options): SettlementResult {
  const file = `mssp-${row.id}.yaml`;
  const obj = parseScenarioText(scenarioText(row, opts), file);
  const { scenario } = scenarioFromObject(obj, file, repoRoot);
  return settle(scenario, actualsFromAggregates(scenario), []);
}

/** The engine's earned shared savings (+) or losses (−), in yuan (here: dollars), exact. */
function earned(r: SettlementResult): Dec {
  return new Decimal(r.settlement.retainedSurplus - r.settlement.groupOverrunLiability).dividedBy(100);
}

function relativeError(got: Dec, published: Dec): Dec {
  return got.minus(published).abs().dividedBy(published.abs());
}

const { all, rows } = loadPuf();

describe('MSSP 2018 public use file, settled by the engine', () => {
  it('reads every row: 548 ACOs, 11 with a disaster adjustment, 537 to check', () => {
    expect(all.length).toBe(ALL_ROWS);
    expect(all.length - rows.length).toBe(DISASTER_ROWS);
    expect(rows.length).toBe(CHECKED_ROWS);
    const byTrack = { '1': 0, '1+': 0, '2': 0, '3': 0 };
    for (const r of rows) byTrack[r.track] += 1;
    expect(byTrack).toEqual({ '1': 453, '1+': 48, '2': 6, '3': 30 });
  });

  it("agrees with CMS's own record of each track's sharing rate (QualPerfShare)", () => {
    for (const r of rows) expect([r.id, d(r.qualPerfShare).toFixed()]).toEqual([r.id, d(SHARE[r.track]).toFixed()]);
  });

  it('never needs a rule the DOMAIN.md keys cannot express in this file', () => {
    for (const r of rows) {
      const B = d(r.benchmark);
      const rate = B.minus(r.expenditure).dividedBy(B);
      // MSSP pays from a savings rate *equal to* the MSR; our bands are upper-inclusive (exactly at the MSR: share 0).
      expect([r.id, rate.abs().equals(r.msr)]).toEqual([r.id, false]);
      // Two-sided losses beyond the minimum loss rate would need the loss-sharing limit (a cap on the group's
      // liability), which the overrun keys cannot express. No such row may exist for the check to be complete.
      if (twoSided(r.track) && rate.isNegative()) expect([r.id, rate.abs().lessThan(r.msr)]).toEqual([r.id, true]);
    }
  });

  it('reproduces EarnSaveLoss for every row without a disaster adjustment, within 0.02 %', () => {
    let checked = 0;
    let paid = 0;
    let zero = 0;
    let capped = 0;
    let worst = { id: '', err: new Decimal(0) };
    const misses: string[] = [];
    for (const row of rows) {
      const r = settleRow(row);
      expect(r.checks.every((c) => c.ok)).toBe(true);
      const got = earned(r);
      const published = d(row.earned);
      if (r.settlement.capApplied) capped += 1;
      if (published.isZero()) {
        // A share-0 gate gives 0 × X and fundShare 1 gives F = O exactly: no fractional amount is ever rounded, so
        // anything but an exact 0 would be a rule error, not rounding. Hence no tolerance at all.
        zero += 1;
        if (!got.isZero()) misses.push(`${row.id}: engine ${got.toFixed(2)}, published 0`);
      } else {
        paid += 1;
        const err = relativeError(got, published);
        if (err.greaterThan(worst.err)) worst = { id: row.id, err };
        if (err.greaterThan(TOLERANCE)) {
          misses.push(`${row.id}: engine ${got.toFixed(2)}, published ${row.earned} (relative error ${err.toSignificantDigits(3).toFixed()})`);
        }
      }
      checked += 1;
    }
    console.info(
      `MSSP 2018: ${checked} rows checked (${paid} with earned savings, ${zero} with none; ${capped} capped); ` +
        `worst relative error ${worst.err.toSignificantDigits(3).toExponential()} (${worst.id})`,
    );
    expect(misses).toEqual([]);
    expect(checked).toBe(CHECKED_ROWS);
    expect([paid, zero, capped]).toEqual([205, 332, 1]);
    expect(worst.err.lessThanOrEqualTo(TOLERANCE)).toBe(true);
  });

  it('supports the DOMAIN.md order (payoutFactor, then cap); capping before the 2 % reduction misses the capped row', () => {
    const cappedRow = rows.find((row) => settleRow(row).settlement.capApplied);
    expect(cappedRow?.id).toBe('A1409');
    const row = cappedRow!;
    // The other reading, min(X × share × score, cap × B) × 0.98, equals DOMAIN.md's order with cap × 0.98.
    const otherCap = d(CAP[row.track]).times('0.98').toFixed();
    const other = settleRow(row, { cap: otherCap });
    expect(relativeError(earned(other), d(row.earned)).greaterThan('0.01')).toBe(true);
    expect(relativeError(earned(settleRow(row)), d(row.earned)).lessThanOrEqualTo(TOLERANCE)).toBe(true);
  });

  it('the one ACO that failed the quality standard (Met_QPS 0) earns nothing under either encoding of the score', () => {
    const failed = rows.filter((r) => !r.metQps);
    expect(failed.map((r) => r.id)).toEqual(['A3547']);
    for (const r of failed) {
      expect(earned(settleRow(r)).isZero()).toBe(true); // score 0
      expect(earned(settleRow(r, { score: d(r.qualScore).times(100).toFixed() })).isZero()).toBe(true); // below MSR anyway
      expect(d(r.earned).isZero()).toBe(true);
    }
  });
});
