// Sweep and compare figures equal separate `settle` runs of the same variants (property tests over random variants).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distribute } from '../../src/domain/distribute.js';
import { settle } from '../../src/domain/engine.js';
import { Decimal } from '../../src/domain/money.js';
import { resultToJson } from '../../src/report/json.js';
import { applyScenarioSets, loadedFromObject } from '../../src/scenario/load.js';
import { settleClaims } from '../helpers/scenario.js';
import { loadClaimsOnce } from '../../src/whatif/claims.js';
import { compareResults, settleAll } from '../../src/whatif/compare.js';
import { FIGURES } from '../../src/whatif/figures.js';
import { gridOf, parseVary, runSweep } from '../../src/whatif/sweep.js';
import { memoizedAllocate } from '../../src/whatif/variant.js';
import { allocateLargestRemainder } from '../../src/domain/allocate.js';
import { baseLoaded, baseObject, fixtureClaims, fixtureSource } from './fixture.js';

const ratio = (max: number) => fc.integer({ min: 0, max }).map((n) => new Decimal(n).dividedBy(1000).toFixed());

/** The separate run: the same --set assignments through the loader, then aggregate + settle. */
async function separately(sets: string[]) {
  const loaded = loadedFromObject(applyScenarioSets(baseObject(), sets));
  return settleClaims(loaded.scenario, fixtureClaims());
}

const figuresOf = (r: Awaited<ReturnType<typeof separately>>) => FIGURES.map((f) => f.get(r));

describe('vary ranges', () => {
  it('steps exactly in decimal and forms the cartesian product', () => {
    expect(parseVary('a.b=0.1:0.3:0.1').values).toEqual(['0.1', '0.2', '0.3']);
    expect(parseVary('a=0.03:0.01:-0.01').values).toEqual(['0.03', '0.02', '0.01']);
    expect(parseVary('a=marginal,firstDollar').values).toEqual(['marginal', 'firstDollar']);
    expect(gridOf([parseVary('a=1,2'), parseVary('b=x,y,z')])).toHaveLength(6);
    expect(() => parseVary('a=0:1:0')).toThrow();
    expect(() => parseVary('a=1:0:0.1')).toThrow();
  });
});

describe('sweep equals separate settle runs', () => {
  it('settle-level keys (re-settled from the aggregates): property over random variants', async () => {
    const base = baseObject();
    const loaded = loadedFromObject(base);
    const claims = await loadClaimsOnce(loaded.scenario, fixtureSource(), false);
    const key = fc.constantFrom(
      'budget.riskReserveRate', 'budget.qualityDepositRate', 'budget.lines[1].growth', 'budget.lines[0].rate',
      'settlement.surplus.bands[1].share', 'settlement.surplus.cap', 'settlement.overrun.bands[0].fundShare',
      'distribution.incentiveRate', 'distribution.tierShares.village', 'carryForward.retainShare', 'assessment.score', 'enrollment.resident',
    );
    const valueFor = (k: string) =>
      k === 'budget.lines[0].rate' ? fc.integer({ min: 100, max: 260 }).map(String)
      : k === 'assessment.score' ? fc.integer({ min: 0, max: 100 }).map(String)
      : k === 'enrollment.resident' ? fc.integer({ min: 15000, max: 25000 }).map(String)
      : k === 'budget.lines[1].growth' ? fc.integer({ min: -200, max: 300 }).map((n) => new Decimal(n).dividedBy(1000).toFixed())
      : ratio(1000);
    const variant = fc.uniqueArray(key, { minLength: 1, maxLength: 3 }).chain((keys) => fc.tuple(...keys.map((k) => valueFor(k).map((v) => [k, v] as const))));
    await fc.assert(
      fc.asyncProperty(variant, async (pairs) => {
        const specs = pairs.map(([k, v]) => parseVary(`${k}=${v},${v}`)).map((s) => ({ ...s, values: s.values.slice(0, 1) }));
        let swept: unknown;
        const res = await runSweep(base, specs, claims, loaded.scenario, {
          json: true,
          onResult: (_row, r) => (swept = resultToJson(r, 'x')),
        });
        const sets = pairs.map(([k, v]) => `${k}=${v}`);
        const row = res.rows[0];
        expect(row.errors).toBeUndefined();
        const r = await separately(sets);
        expect(row.figures).toEqual(figuresOf(r));
        expect(row.memberTotals).toEqual(r.members.map((m) => m.total));
        const sep = resultToJson(r, 'x') as Record<string, unknown>;
        const got = swept as Record<string, unknown>;
        expect(got.settlement).toEqual(sep.settlement);
        expect(got.members).toEqual(sep.members);
        expect(got.journal).toEqual(sep.journal);
        expect(got.checks).toEqual(sep.checks);
      }),
      { numRuns: 60 },
    );
  }, 20_000);

  it('payment keys (re-priced from the in-memory claim table) equal separate runs', async () => {
    const base = baseObject();
    const loaded = loadedFromObject(base);
    const claims = await loadClaimsOnce(loaded.scenario, fixtureSource(), true);
    const res = await runSweep(base, [parseVary('payments.drg.baseRate=8000:10000:1000'), parseVary('payments.dip.pool.amount=300000,500000'), parseVary('settlement.surplus.cap=0.02,0.08')], claims, loaded.scenario, { json: true });
    expect(res.rows).toHaveLength(12);
    expect(res.settleOnly).toBe(false);
    for (const row of res.rows) {
      const r = await separately(Object.entries(row.set).map(([k, v]) => `${k}=${v}`));
      expect(row.figures).toEqual(figuresOf(r));
      expect((row.json as { set: unknown }).set).toEqual(row.set);
    }
  });

  it('rejected variants are reported per row; all rejected throws', async () => {
    const base = baseObject();
    const loaded = loadedFromObject(base);
    const claims = await loadClaimsOnce(loaded.scenario, fixtureSource(), false);
    const res = await runSweep(base, [parseVary('settlement.surplus.bands[0].upTo=0.05,0.2')], claims, loaded.scenario);
    expect(res.rows[0].errors).toBeUndefined();
    expect(res.rows[1].errors?.[0]).toMatchObject({ path: 'settlement.surplus.bands[1].upTo', rule: 'bands.notIncreasing' });
    await expect(runSweep(base, [parseVary('budget.riskReserveRate=2,3')], claims, loaded.scenario)).rejects.toThrow();
  });
});

describe('memoized splits equal the engine', () => {
  it('memoizedAllocate = allocateLargestRemainder, first call and from the cache', () => {
    const cache = new Map<string, number[]>();
    const alloc = memoizedAllocate(cache);
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.array(fc.integer({ min: 0, max: 1e9 }), { minLength: 1, maxLength: 20 }), (total, ws) => {
        const weights = ws.map((w) => BigInt(w));
        const expected = allocateLargestRemainder(total, ws.map((w) => new Decimal(w)));
        expect(alloc(total, weights)).toEqual(expected);
        expect(alloc(total, weights)).toEqual(expected);
      }),
    );
  });
  it('distribute with a memoized split = distribute on random figures', () => {
    const s = baseLoaded().scenario;
    const members = s.group.members.map((m) => ({ id: m.id, name: m.name, tier: m.tier, claimsLiability: 0, capitation: 0, methods: [] as never[] }));
    const cache = new Map<string, number[]>();
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1e10 }), { minLength: members.length, maxLength: members.length }),
        fc.integer({ min: 0, max: 1e9 }),
        fc.integer({ min: 0, max: 1e9 }),
        fc.integer({ min: 0, max: 1e8 }),
        fc.constantFrom('lead', 'proRata'),
        fc.constantFrom('workload', 'equal'),
        (work, S, G, Qf, bearer, within) => {
          const sc = { ...s, settlement: { ...s.settlement, overrun: { ...s.settlement.overrun!, bearer } }, distribution: { ...s.distribution, within } } as typeof s;
          const ms = members.map((m, i) => ({ ...m, claimsLiability: work[i] }));
          const fig = { retainedSurplus: S, groupOverrunLiability: G, depositForfeited: Qf } as Parameters<typeof distribute>[2];
          expect(distribute(sc, ms, fig, memoizedAllocate(cache))).toEqual(distribute(sc, ms, fig));
        },
      ),
    );
  });
});

describe('compare', () => {
  it('settles each scenario like a separate run, reading shared claims once', async () => {
    const a = loadedFromObject(baseObject());
    const b = loadedFromObject(applyScenarioSets(baseObject(), ['payments.drg.baseRate=8000', 'budget.riskReserveRate=0.03']));
    const c = loadedFromObject(applyScenarioSets(baseObject(), ['distribution.within=equal']));
    let scans = 0;
    const source = fixtureSource();
    const counting = { scan: (v: Parameters<typeof source.scan>[0]) => (scans++, source.scan(v)) };
    const results = await settleAll([a, b, c], () => counting);
    expect(scans).toBe(1);
    for (const [l, r] of [[a, results[0]], [b, results[1]], [c, results[2]]] as const) {
      const sep = await settleClaims(l.scenario, fixtureClaims());
      expect(resultToJson(r, 'x')).toEqual(resultToJson({ ...sep, inputs: r.inputs }, 'x'));
    }
    const cmp = compareResults(['a', 'b', 'c'], results);
    const T = cmp.rows.find((x) => x.key === 'settlement.groupTotal')!;
    expect(T.values).toEqual(results.map((r) => r.settlement.groupTotal));
    expect(cmp.rows.filter((x) => x.kind === 'member')).toHaveLength(5);
    expect(settle).toBeDefined();
  });
});
