// Property tests over generated scenarios and claims (DOMAIN.md §7). Seeds are printed in the test names and on
// failure; rerun one with FC_SEED=<seed> npx vitest run test/domain/properties.test.ts
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateLargestRemainder } from '../../src/domain/allocate.js';
import { Decimal } from '../../src/domain/money.js';
import { TIERS, type Claim } from '../../src/domain/types.js';
import { resultToJsonText } from '../../src/report/json.js';
import { caseArb, clean, MEMBER_POOL, type RawScenario } from '../helpers/arbitraries.js';
import { engineFigures, scenarioFromRaw } from '../helpers/figures.js';
import { permute, runScenario } from '../helpers/run.js';
import { referenceSettle, refSplit } from '../reference/settle.js';

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() % 2_147_483_647;
const scale = process.env.FC_RUNS_SCALE ? Number(process.env.FC_RUNS_SCALE) : 1;
const params = (numRuns: number) => ({ seed, numRuns: Math.round(numRuns * scale), verbose: 0 as const });
console.log(`[properties] fast-check seed ${seed}`);

const settleRaw = async (raw: RawScenario, claims: readonly Claim[]) => {
  const s = scenarioFromRaw(raw);
  return { s, r: await runScenario(s, claims) };
};

describe(`DOMAIN.md §7 properties (seed ${seed})`, () => {
  it('the engine equals the reference implementation to the fen (every §8 figure, every member)', async () => {
    let surplus = 0;
    let overrun = 0;
    await fc.assert(
      fc.asyncProperty(caseArb({ allowActuals: true }), async ({ raw, claims }) => {
        const { s, r } = await settleRaw(raw, claims);
        if (r.settlement.balance >= 0) surplus++;
        else overrun++;
        expect(engineFigures(r)).toEqual(referenceSettle(s, claims));
      }),
      params(300),
    );
    // both branches of §5 are exercised
    expect(surplus).toBeGreaterThan(20);
    expect(overrun).toBeGreaterThan(20);
  });

  it('every run satisfies the §7 invariants (never throws InvariantViolation; all checks ok)', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb({ allowActuals: true }), async ({ raw, claims }) => {
        const { r } = await settleRaw(raw, claims);
        expect(r.checks.filter((c) => !c.ok)).toEqual([]);
        // recomputed here, independently of the engine's own checks
        const b = r.budget;
        const f = r.settlement;
        const cf = r.carryForward;
        const sum = (xs: number[]) => xs.reduce((a, x) => a + x, 0);
        for (const t of r.journal) expect(sum(t.postings.map((p) => p.amount))).toBe(0);
        expect(sum(b.lines.map((l) => l.amount))).toBe(b.total);
        expect(sum(b.prepayments.map((p) => p.amount))).toBe(b.package - b.qualityDeposit);
        expect(f.groupTotal + r.actuals.outOfGroupDeductions + f.fundRetained).toBe(b.total);
        expect(sum(r.members.map((m) => m.total))).toBe(f.groupTotal + cf.used - cf.added);
        expect(cf.closing).toBe(cf.opening + cf.added - cf.used);
        expect(f.depositReturned + f.depositForfeited).toBe(b.qualityDeposit);
        for (const m of r.members) expect(m.total).toBe(m.claims + m.capitation + m.adjustment);
      }),
      params(200),
    );
  });

  it('permuting claim rows or member order changes nothing (byte-identical JSON)', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb({ allowActuals: true }), fc.integer(), fc.integer(), async ({ raw, claims }, k1, k2) => {
        const a = await settleRaw(raw, claims);
        const again = await settleRaw(raw, claims);
        const shuffledRaw = { ...raw, group: { ...raw.group, members: permute(raw.group.members, k2) } };
        const b = await settleRaw(shuffledRaw, permute(claims, k1));
        const text = resultToJsonText(a.r, 'test');
        expect(resultToJsonText(again.r, 'test')).toBe(text);
        expect(resultToJsonText(b.r, 'test')).toBe(text);
      }),
      params(150),
    );
  });

  it('allocateLargestRemainder: parts add up, each within one fen of its exact share, ties by key order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 }),
        fc.array(fc.oneof(fc.integer({ min: 0, max: 1_000_000 }), fc.constantFrom(0, 1, 2)), { minLength: 1, maxLength: 12 }),
        (total, ws) => {
          const weights = ws.map((w) => new Decimal(w));
          const parts = allocateLargestRemainder(total, weights);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          const sumW = ws.reduce((a, b) => a + b, 0);
          parts.forEach((p, i) => {
            const exact = sumW === 0 ? new Decimal(total).dividedBy(ws.length) : new Decimal(total).times(ws[i]).dividedBy(sumW);
            expect(exact.minus(p).abs().lessThan(1)).toBe(true);
          });
          // same as the reference's independent largest-remainder split (ties to the earlier part)
          const ref = refSplit(new Decimal(total).dividedBy(100) as never, weights as never);
          expect(parts.map((p) => new Decimal(p).dividedBy(100).toFixed(2))).toEqual(ref.map((x) => x.toFixed(2)));
        },
      ),
      params(300),
    );
  });

  it('tier and member splits are each within one fen of the exact share', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb(), async ({ raw, claims }) => {
        const { s, r } = await settleRaw(raw, claims);
        const delta = r.settlement.retainedSurplus - r.settlement.groupOverrunLiability - r.settlement.depositForfeited;
        if (delta < 0) return;
        const rest = delta - r.carryForward.added;
        const tiers = TIERS.filter((t) => r.members.some((m) => m.tier === t));
        const target = tiers.includes('county') ? 'county' : r.members.find((m) => m.id === s.group.lead)!.tier;
        const tw = tiers.map((t) => (s.distribution.tierShares ? (s.distribution.tierShares[t] ?? new Decimal(0)) : new Decimal(t === target ? 1 : 0)));
        const twSum = tw.reduce((a, b) => a.plus(b), new Decimal(0));
        tiers.forEach((t, k) => {
          const inTier = r.members.filter((m) => m.tier === t);
          const tierTotal = inTier.reduce((a, m) => a + m.adjustment, 0);
          expect(new Decimal(rest).times(tw[k]).dividedBy(twSum).minus(tierTotal).abs().lessThan(1)).toBe(true);
          const w = inTier.map((m) => (s.distribution.within === 'equal' ? 1 : Math.max(0, m.claims + m.capitation)));
          const wSum = w.reduce((a, b) => a + b, 0);
          inTier.forEach((m, j) => {
            const exact = wSum === 0 ? new Decimal(tierTotal).dividedBy(inTier.length) : new Decimal(tierTotal).times(w[j]).dividedBy(wSum);
            expect(exact.minus(m.adjustment).abs().lessThan(1)).toBe(true);
          });
        });
        // prepayments too
        const b = r.budget;
        const pw = s.budget.prepayment.weights ?? Array.from({ length: s.budget.prepayment.installments }, () => new Decimal(1));
        const pwSum = pw.reduce((a, x) => a.plus(x), new Decimal(0));
        b.prepayments.forEach((p, i) => {
          const exact = pwSum.isZero() ? new Decimal(b.package - b.qualityDeposit).dividedBy(pw.length) : new Decimal(b.package - b.qualityDeposit).times(pw[i]).dividedBy(pwSum);
          expect(exact.minus(p.amount).abs().lessThan(1)).toBe(true);
        });
      }),
      params(200),
    );
  });

  it('marginal bands (shares 0–1): more out-of-group spend never raises T', async () => {
    await fc.assert(
      fc.asyncProperty(
        caseArb({ marginalOnly: true }),
        fc.integer({ min: 1, max: 50_000_000 }),
        fc.boolean(),
        async ({ raw, claims }, extra, outOfRegion) => {
          const base = await settleRaw(raw, claims);
          const more: Claim = {
            claimId: 'EXTRA',
            patientId: 'PX',
            category: 'resident',
            institutionId: 'X9',
            outOfRegion,
            setting: 'inpatient',
            serviceDate: '2024-07-01',
            losDays: 3,
            drgCode: '',
            dipCode: '',
            totalCost: extra,
            fundPaid: extra,
            patientPaid: 0,
            reverses: '',
          };
          const after = await settleRaw(raw, [...claims, more]);
          expect(after.r.actuals.outOfGroupDeductions).toBe(base.r.actuals.outOfGroupDeductions + extra);
          expect(after.r.settlement.groupTotal).toBeLessThanOrEqual(base.r.settlement.groupTotal);
        },
      ),
      params(200),
    );
  });

  it('a higher assessment score never lowers T', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb(), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 }), async ({ raw, claims }, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const withScore = (n: number) =>
          clean({ ...raw, assessment: { ...((raw.assessment as object | undefined) ?? {}), score: String(n / 10) } }) as RawScenario;
        const tLo = (await settleRaw(withScore(lo), claims)).r.settlement.groupTotal;
        const tHi = (await settleRaw(withScore(hi), claims)).r.settlement.groupTotal;
        expect(tHi).toBeGreaterThanOrEqual(tLo);
      }),
      params(200),
    );
  });

  it('member pool ids used by the generators are distinct', () => {
    expect(new Set(MEMBER_POOL.map((m) => m.id)).size).toBe(MEMBER_POOL.length);
  });
});
