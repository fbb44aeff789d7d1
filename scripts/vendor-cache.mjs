#!/usr/bin/env node
// Makes dist/bundle/vendor.cache, V8's code cache for zod and yaml (scripts/vendor-loader.mjs): runs the bundled CLI
// once on the demo — a settle with a --set override, which reads, overrides and checks the scenario — and keeps what
// that run compiled of them. Run by `npm run build` after scripts/bundle.mjs. Without the cache the CLI works the same,
// starting ≈ 70 ms slower.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'bundle', 'vendor.cache');
const dir = mkdtempSync(join(tmpdir(), 'yibao-vendor-cache-'));
try {
  rmSync(out, { force: true });
  const r = spawnSync(
    process.execPath,
    [join(root, 'bin', 'yibao.js'), 'settle', join(root, 'scenarios', 'demo.yaml'), '--set', 'budget.riskReserveRate=0.05', '--json', join(dir, 'demo.json'), '--report', join(dir, 'errors.csv'), '-q', '--no-progress'],
    { cwd: root, encoding: 'utf8', env: { ...process.env, YIBAO_VENDOR_CACHE_OUT: out, YIBAO_UNBUNDLED: '' } },
  );
  if (r.status !== 0) throw new Error(`vendor-cache: the demo settle failed (exit ${r.status}):\n${r.stderr}`);
  process.stdout.write(`vendor.cache: ${Math.round(statSync(out).size / 1024)} KB\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
