// Risk: reproducible by seed, equal to settle when the CVs are zero, mean converging to the deterministic balance.
// Monitor: through the last month equals settle; to-date figures equal settling the claims served so far.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeBudget } from '../../src/domain/budget.js';
import { resultToJson } from '../../src/report/json.js';
import { loadedFromObject } from '../../src/scenario/load.js';
import { settleClaims } from '../helpers/scenario.js';
import { loadClaimsOnce } from '../../src/whatif/claims.js';
import { histogramPng, histogramSvg } from '../../src/whatif/histogram.js';
import { monitorClaims } from '../../src/whatif/monitor.js';
import { riskToJson, scaleFen, settleScaled, simulateRisk } from '../../src/whatif/risk.js';
import { Sfc32 } from '../../src/whatif/prng.js';
import { BASE_YAML, baseObject, fixtureClaims, fixtureSource } from './fixture.js';

async function base() {
  const loaded = loadedFromObject(baseObject());
  const claims = await loadClaimsOnce(loaded.scenario, fixtureSource(), true);
  return { loaded, claims };
}

describe('risk', () => {
  it('scaleFen is exact half-up rounding', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 1e13 }), fc.integer({ min: 0, max: 5_000_000 }), (fen, ppm) => {
        const exact = (BigInt(Math.abs(fen)) * BigInt(ppm) * 2n + 1_000_000n) / 2_000_000n;
        expect(scaleFen(fen, ppm)).toBe(fen < 0 ? -Number(exact) || 0 : Number(exact));
      }),
    );
  });

  it('with every factor 1 a run equals settle, member by member', async () => {
    const { loaded, claims } = await base();
    const s = loaded.scenario;
    const r = await settleClaims(s, fixtureClaims());
    const run = settleScaled(s, claims.actuals, computeBudget(s), () => 1_000_000);
    expect(run.figures).toEqual(r.settlement);
    expect(run.totals).toEqual(r.members.map((m) => m.total));
  });

  it('CVs zero: every run is the deterministic result', async () => {
    const { loaded, claims } = await base();
    const r = await settleClaims(loaded.scenario, fixtureClaims());
    const risk = simulateRisk(loaded.scenario, claims.actuals, { runs: 50, seed: 3, volumeCv: 0, costCv: 0 });
    for (const p of [risk.balance.mean, risk.balance.p5, risk.balance.p50, risk.balance.p95]) expect(p).toBe(r.settlement.balance);
    expect(risk.groupTotal.mean).toBe(r.settlement.groupTotal);
    expect(risk.yearEndPayment.p50).toBe(r.settlement.yearEndPayment);
    expect(risk.members.map((m) => m.total.mean)).toEqual(r.members.map((m) => m.total));
    expect(risk.pOverrun).toBe(r.settlement.balance < 0 ? 1 : 0);
  });

  it('is reproducible by seed and differs between seeds', async () => {
    const { loaded, claims } = await base();
    const o = { runs: 500, volumeCv: 0.08, costCv: 0.05 };
    const a = simulateRisk(loaded.scenario, claims.actuals, { ...o, seed: 42 });
    const b = simulateRisk(loaded.scenario, claims.actuals, { ...o, seed: 42 });
    const c = simulateRisk(loaded.scenario, claims.actuals, { ...o, seed: 43 });
    expect(JSON.stringify(riskToJson(a))).toBe(JSON.stringify(riskToJson(b)));
    expect(histogramSvg(a)).toBe(histogramSvg(b));
    expect(histogramPng(a).equals(histogramPng(b))).toBe(true);
    expect(JSON.stringify(riskToJson(a))).not.toBe(JSON.stringify(riskToJson(c)));
    const j = riskToJson(a) as { runs: number; seed: number; pOverrun: number; balance: Record<string, string> };
    expect(j.runs).toBe(500);
    expect(j.seed).toBe(42);
    expect(j.balance.mean).toMatch(/^-?\d+\.\d\d$/);
    expect(histogramPng(a).subarray(1, 4).toString('ascii')).toBe('PNG');
  });

  it('the mean balance converges to the deterministic balance as runs grow', async () => {
    const { loaded, claims } = await base();
    const r = await settleClaims(loaded.scenario, fixtureClaims());
    const risk = simulateRisk(loaded.scenario, claims.actuals, { runs: 20000, seed: 9, volumeCv: 0.02, costCv: 0.02 });
    // X is linear in the factors, each of mean 1: the sample mean is within a few standard errors of X.
    const sd = (risk.balance.p95 - risk.balance.p5) / 3.29;
    expect(Math.abs(risk.balance.mean - r.settlement.balance)).toBeLessThan((4 * sd) / Math.sqrt(20000) + 100);
  });

  it('the generator is deterministic and factors have mean one', () => {
    const a = new Sfc32(5);
    const b = new Sfc32(5);
    for (let i = 0; i < 100; i++) expect(a.u32()).toBe(b.u32());
    const g = new Sfc32(1);
    let sum = 0;
    for (let i = 0; i < 50000; i++) sum += g.factor(0.1);
    expect(Math.abs(sum / 50000 - 1)).toBeLessThan(0.003);
  });
});

describe('monitor', () => {
  it('through the last month, the projection equals settle', async () => {
    const { loaded, claims } = await base();
    const r = await settleClaims(loaded.scenario, fixtureClaims());
    const m = await monitorClaims(loaded.scenario, claims.table!, [], '2024-12');
    expect(m.months).toHaveLength(12);
    const got = resultToJson(m.projection, 'x') as Record<string, unknown>;
    const want = resultToJson(r, 'x') as Record<string, unknown>;
    for (const k of ['budget', 'actuals', 'settlement', 'carryForward', 'members', 'journal']) expect(got[k]).toEqual(want[k]);
    const dec = m.months[11];
    expect(dec.liabilityToDate).toBe(r.actuals.inGroupLiability);
    expect(dec.deductionsToDate).toBe(r.actuals.outOfGroupDeductions);
    expect(dec.prepaidToDate).toBe(r.budget.package - r.budget.qualityDeposit);
    expect(dec.projectedBalance).toBe(r.settlement.balance);
    expect(m.months.reduce((x, mo) => x + mo.liabilityInMonth, 0)).toBe(r.actuals.inGroupLiability);
  });

  it('to date equals settling only the claims served so far; flags a projected overrun', async () => {
    const { loaded, claims } = await base();
    const m = await monitorClaims(loaded.scenario, claims.table!, [], '2024-06');
    const upToJune = fixtureClaims().filter((c) => c.serviceDate <= '2024-06-31');
    const s = loaded.scenario;
    const sixMonths = { ...s, payments: { ...s.payments, dip: { ...s.payments.dip!, pool: { ...s.payments.dip!.pool!, amount: s.payments.dip!.pool!.amount.times(6).dividedBy(12) } } } };
    const r = await settleClaims(sixMonths, upToJune);
    expect(m.months[5].liabilityToDate).toBe(r.actuals.inGroupLiability);
    expect(m.months[5].deductionsToDate).toBe(r.actuals.outOfGroupDeductions);
    expect(m.months[5].prepaidToDate).toBe(r.budget.prepayments.slice(0, 6).reduce((x, p) => x + p.amount, 0));

    const tight = loadedFromObject(baseObject(BASE_YAML.replace('rate: "180"', 'rate: "120"')));
    const t = await monitorClaims(tight.scenario, claims.table!, [], '2024-03');
    expect(t.months[2].overrun).toBe(true);
    expect(t.warnings[0].en).toMatch(/overrun/);
    await expect(monitorClaims(s, claims.table!, [], '2023-05')).rejects.toThrow();
  });
});
