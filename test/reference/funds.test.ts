// DOMAIN.md §13 properties: with packaged funds, special cases and member scores the engine still equals the
// independent reference implementation to the fen, every §7 invariant holds, and the row order changes no byte.
// Seeds are printed; rerun one with FC_SEED=<seed> npx vitest run test/reference/funds.test.ts
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Claim, Scenario, SpecialCase, Tier } from '../../src/domain/types.js';
import { resultToJsonText } from '../../src/report/json.js';
import { bp, caseArb, type RawScenario, reversalOf } from '../helpers/arbitraries.js';
import { engineFigures, scenarioFromRaw } from '../helpers/figures.js';
import { permute, runScenario } from '../helpers/run.js';
import { methodFor, referenceSettle } from './settle.js';

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() % 2_147_483_647;
const scale = process.env.FC_RUNS_SCALE ? Number(process.env.FC_RUNS_SCALE) : 1;
const params = (numRuns: number) => ({ seed, numRuns: Math.round(numRuns * scale), verbose: 0 as const });
console.log(`[funds properties] fast-check seed ${seed}`);

const PACKAGE = ['basic', 'critical', 'assistance', 'other'] as const;
const ELIGIBLE = new Set(['drg', 'dip', 'perDiem', 'singleDisease']);

interface FundsCase {
  readonly scenario: Scenario;
  readonly claims: readonly Claim[];
  readonly listed: number;
}

/** Claims-mode cases with §13 keys: fund columns on the claims, a package, member scores, special cases. */
const fundsCaseArb: fc.Arbitrary<FundsCase> = caseArb()
  .filter((c) => c.raw.actuals === undefined)
  .chain(({ raw, claims }) => {
    const n = claims.length;
    const per = <T>(a: fc.Arbitrary<T>) => fc.array(a, { minLength: n, maxLength: n });
    return fc.record({
      raw: fc.constant(raw),
      claims: fc.constant(claims),
      funds: fc.option(fc.subarray([...PACKAGE], { minLength: 1 }), { nil: undefined }),
      hasColumns: fc.boolean(),
      shares: per(fc.tuple(fc.integer({ min: 0, max: 10000 }), fc.integer({ min: 0, max: 10000 }), fc.integer({ min: 0, max: 10000 }))),
      scores: fc.option(per(fc.option(fc.integer({ min: 0, max: 10000 }), { nil: undefined })).map((s) => s.slice(0, raw.group.members.length)), { nil: undefined }),
      pick: per(fc.boolean()),
      agreed: per(fc.integer({ min: 0, max: 3_000_000 })),
    });
  })
  .map(({ raw, claims, funds, hasColumns, shares, scores, pick, agreed }) => {
    // fund columns: shares of what fund_paid leaves of the total; patient_paid no more than what is left after them
    const withColumns = new Map<string, Claim>();
    const out: Claim[] = [];
    claims.forEach((c, i) => {
      if (c.reverses !== '') {
        out.push(reversalOf(withColumns.get(c.reverses)!, c.claimId));
        return;
      }
      let claim = c;
      if (hasColumns) {
        const [a, b, k] = shares[i];
        const rest = c.totalCost - c.fundPaid;
        const criticalPaid = Math.floor((rest * a) / 10000);
        const assistancePaid = Math.floor(((rest - criticalPaid) * b) / 10000);
        const otherPaid = Math.floor(((rest - criticalPaid - assistancePaid) * k) / 10000);
        const left = rest - criticalPaid - assistancePaid - otherPaid;
        claim = { ...c, criticalPaid, assistancePaid, otherPaid, patientPaid: Math.min(c.patientPaid, left) };
      }
      withColumns.set(c.claimId, claim);
      out.push(claim);
    });
    const memberScores = scores && Object.fromEntries(raw.group.members.flatMap((m, j) => (scores[j] === undefined ? [] : [[m.id, bp(scores[j]! * 100)]])));
    const withKeys: RawScenario = {
      ...raw,
      ...(funds ? { package: { funds } } : {}),
      distribution: { ...((raw.distribution as object | undefined) ?? {}), ...(memberScores ? { memberScores } : {}) },
      specialCases: { file: 'sc.csv', quota: { drg: '1', dip: '1' } },
    };
    const s = scenarioFromRaw(withKeys);
    // special cases: a random choice of the in-group originals the rules pay by drg, dip, perDiem or singleDisease
    const tierOf = new Map<string, Tier>(s.group.members.map((m) => [m.id, m.tier]));
    const cases = new Map<string, SpecialCase>();
    out.forEach((c, i) => {
      const tier = tierOf.get(c.institutionId);
      if (c.reverses !== '' || tier === undefined || !pick[i] || !ELIGIBLE.has(methodFor(s, c, tier))) return;
      cases.set(c.claimId, { claimId: c.claimId, agreed: agreed[i], reason: '', row: cases.size + 2 });
    });
    const scenario: Scenario = { ...s, specialCases: { ...s.specialCases!, list: { file: 'sc.csv', sha256: '', cases } } };
    return { scenario, claims: out, listed: cases.size };
  });

describe(`DOMAIN.md §13 properties (seed ${seed})`, () => {
  it('the engine equals the reference implementation with funds, special cases and member scores', async () => {
    let listed = 0;
    let scored = 0;
    await fc.assert(
      fc.asyncProperty(fundsCaseArb, async ({ scenario, claims, listed: k }) => {
        const r = await runScenario(scenario, claims);
        listed += k;
        if (r.members.some((m) => (m.scoreEffect ?? 0) !== 0)) scored++;
        expect(engineFigures(r)).toEqual(referenceSettle(scenario, claims));
        expect(r.checks.filter((c) => !c.ok)).toEqual([]);
        // per-fund figures add up to D and L exactly
        const f = r.actuals.funds;
        if (f !== undefined) {
          expect(f.lines.reduce((x, l) => x + l.deduction, 0)).toBe(r.actuals.outOfGroupDeductions);
          expect(f.lines.reduce((x, l) => x + l.liability, 0) + f.paymentAdjustment).toBe(r.actuals.inGroupLiability);
        }
        // a score only moves money between members of a tier
        expect(r.members.reduce((x, m) => x + (m.scoreEffect ?? 0), 0)).toBe(0);
      }),
      params(250),
    );
    expect(listed).toBeGreaterThan(50); // special cases are exercised
    expect(scored).toBeGreaterThan(5); // and scores that change a split
  });

  it('permuting the claim rows changes no byte of the JSON (special cases and funds included)', async () => {
    await fc.assert(
      fc.asyncProperty(fundsCaseArb, fc.integer(), async ({ scenario, claims }, k) => {
        const a = resultToJsonText(await runScenario(scenario, claims), 'test');
        const b = resultToJsonText(await runScenario(scenario, permute(claims, k)), 'test');
        expect(b).toBe(a);
      }),
      params(100),
    );
  });
});
