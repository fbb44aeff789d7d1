// Benchmarks for the what-if bars (run `npm run build` first; YIBAO_DIST=/path/to/dist to use another build):
//   1. sweep over the demo, 1,000 variants of settlement/distribution keys: ≥ 5,000 variants/s after the claims load
//   2. risk, 10,000 runs on a 1M-claim scenario: ≤ 10 s after the claims load
// Wall and CPU time are both printed (the machine may be shared; CPU time is the steadier figure).
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join, resolve } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(process.env.YIBAO_DIST ?? join(here, '..', 'dist'));
const imp = (p) => import(pathToFileURL(join(dist, p)).href);
const { readScenarioObject, loadedFromObject } = await imp('scenario/load.js');
const { claimSourceFor } = await imp('app/settle.js');
const { arraySource } = await imp('claims/source.js');
const { generateClaims } = await imp('generate/claims.js');
const { loadClaimsOnce } = await imp('whatif/claims.js');
const { runSweep, parseVary } = await imp('whatif/sweep.js');
const { simulateRisk } = await imp('whatif/risk.js');

const demo = join(here, '..', 'scenarios', 'demo.yaml');
const timed = async (f) => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await f();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, wall, cpu: (c.user + c.system) / 1000 };
};
const ms = (x) => `${x.toFixed(0)} ms`;

// 1. Sweep
const base = readScenarioObject(demo);
const loaded = loadedFromObject(base);
const load = await timed(() => loadClaimsOnce(loaded.scenario, claimSourceFor(loaded.scenario, { progress: false }), false));
console.log(`demo claims loaded: ${load.value.actuals.claimRows} rows in ${ms(load.wall)}`);
const specs = [parseVary('settlement.surplus.cap=0.01:0.10:0.01'), parseVary('distribution.incentiveRate=0.01:1:0.01')];
for (let round = 1; round <= 3; round++) {
  const s = await timed(() => runSweep(base, specs, load.value, loaded.scenario));
  const n = s.value.rows.length;
  console.log(`sweep round ${round}: ${n} variants in ${ms(s.wall)} wall (${(n / s.wall * 1000).toFixed(0)} variants/s), ${ms(s.cpu)} CPU (${(n / s.cpu * 1000).toFixed(0)} variants/s)  bar ≥ 5000/s`);
}

// 2. Risk on 1M claims (generated in memory for the demo group)
const N = Number(process.env.CLAIMS ?? 1_000_000);
const gen = await timed(() => [...generateClaims(loaded.scenario, { claims: N, seed: 2024 })]);
const big = await timed(() => loadClaimsOnce(loaded.scenario, arraySource(gen.value), false));
console.log(`${N} claims generated in ${ms(gen.wall)}, aggregated in ${ms(big.wall)}`);
gen.value.length = 0;
const r = await timed(() => simulateRisk(loaded.scenario, big.value.actuals, { runs: 10_000, seed: 1, volumeCv: 0.05, costCv: 0.05 }));
console.log(`risk: 10000 runs in ${ms(r.wall)} wall, ${ms(r.cpu)} CPU  bar ≤ 10000 ms; P(overrun) ${(r.value.pOverrun * 100).toFixed(2)}%`);
