// What-if tools in cost-sharing recompute mode: compare and sweep re-derive fund_paid per patient from the in-memory
// claim table, and equal separate `settle` runs (which read the claims twice).
import { describe, expect, it } from 'vitest';
import { resultToJson } from '../../src/report/json.js';
import { applyScenarioSets, loadedFromObject } from '../../src/scenario/load.js';
import { aggregateClaims } from '../../src/app/claims.js';
import { settle } from '../../src/domain/engine.js';
import { loadClaimsOnce } from '../../src/whatif/claims.js';
import { settleAll } from '../../src/whatif/compare.js';
import { parseVary, runSweep } from '../../src/whatif/sweep.js';
import { BASE_YAML, baseObject, fixtureSource } from './fixture.js';

const RECOMPUTE = `${BASE_YAML}
costSharing:
  mode: recompute
  unreferredPenalty: "10"
  inpatient:
    deductible: { county: "600", township: "300", village: "0", inRegion: "1000", outOfRegion: "1500" }
    ratio: { county: "0.70", township: "0.78", village: "0.78", inRegion: "0.72", outOfRegion: "0.65" }
    annualCap: "300000"
  outpatient:
    deductible: { county: "100", township: "50", village: "0", inRegion: "200", outOfRegion: "300" }
    ratio: { county: "0.50", township: "0.55", village: "0.60", inRegion: "0.50", outOfRegion: "0.40" }
`;

async function separately(sets: string[]) {
  const loaded = loadedFromObject(applyScenarioSets(baseObject(RECOMPUTE), sets));
  const { actuals } = await aggregateClaims(loaded.scenario, fixtureSource());
  return settle(loaded.scenario, actuals, []);
}

const json = (r: Parameters<typeof resultToJson>[0]) => {
  const j = resultToJson(r, 'x') as Record<string, unknown>;
  delete j.inputs;
  return j;
};

describe('what-if in recompute mode', () => {
  it('loading the claims once gives the recomputed actuals, with or without the claim table', async () => {
    const loaded = loadedFromObject(baseObject(RECOMPUTE));
    const direct = await separately([]);
    for (const keep of [false, true]) {
      const claims = await loadClaimsOnce(loaded.scenario, fixtureSource(), keep);
      expect(json(settle(loaded.scenario, claims.actuals, []))).toEqual(json(direct));
    }
    expect(direct.actuals.costSharing).toBeDefined();
  });

  it('compare: a lower township deductible equals its separate run, and changes L', async () => {
    const a = loadedFromObject(baseObject(RECOMPUTE));
    const b = loadedFromObject(applyScenarioSets(baseObject(RECOMPUTE), ['costSharing.inpatient.deductible.township=100']));
    const [ra, rb] = await settleAll([a, b], () => fixtureSource());
    expect(json(ra)).toEqual(json(await separately([])));
    expect(json(rb)).toEqual(json(await separately(['costSharing.inpatient.deductible.township=100'])));
    expect(rb.actuals.inGroupLiability).toBeGreaterThan(ra.actuals.inGroupLiability);
  });

  it('sweep over a cost-sharing key equals separate runs', async () => {
    const base = baseObject(RECOMPUTE);
    const loaded = loadedFromObject(base);
    const claims = await loadClaimsOnce(loaded.scenario, fixtureSource(), true);
    const seen: unknown[] = [];
    await runSweep(base, [parseVary('costSharing.inpatient.deductible.township=100,300')], claims, loaded.scenario, {
      onResult: (_row, r) => seen.push(json(r)),
    });
    expect(seen).toEqual([json(await separately(['costSharing.inpatient.deductible.township=100'])), json(await separately([]))]);
  });
});
