import { it } from 'vitest';
import { readScenarioObject, loadedFromObject } from '../../src/scenario/load.js';
import { claimSourceFor } from '../../src/app/settle.js';
import { loadClaimsOnce } from '../../src/whatif/claims.js';
import { runSweep, parseVary } from '../../src/whatif/sweep.js';

it('perf', async () => {
  const so = readScenarioObject('scenarios/demo.yaml');
  const loaded = loadedFromObject(so);
  let t = performance.now();
  const claims = await loadClaimsOnce(loaded.scenario, claimSourceFor(loaded.scenario), true);
  console.log('load', performance.now() - t, claims.table?.length);
  t = performance.now();
  const res = await runSweep(so, [parseVary('budget.riskReserveRate=0.01:0.10:0.01'), parseVary('settlement.surplus.bands[1].share=0.1:1:0.01')], claims, loaded.scenario);
  const dt = performance.now() - t;
  console.log('sweep', res.rows.length, dt, res.rows.length / dt * 1000, 'per s', res.rejected);
  t = performance.now();
  const res2 = await runSweep(so, [parseVary('payments.drg.baseRate=8000:9000:500')], claims, loaded.scenario);
  console.log('reprice', res2.rows.length, performance.now() - t);
});
