import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openClaimFiles, type ImportOptions } from '../../src/claims/index.js';
import type { RowRef } from '../../src/claims/source.js';
import type { Claim } from '../../src/domain/types.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/claims/', import.meta.url));
export const fixture = (name: string): string => join(FIXTURES, name);

export function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'yibao-claims-'));
}

export function writeTmp(dir: string, name: string, content: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

export async function importFiles(paths: readonly string[], options: ImportOptions = {}) {
  const claims: { claim: Claim; at: RowRef }[] = [];
  const source = openClaimFiles(
    paths.map((p) => ({ path: p, shown: p.startsWith(FIXTURES) ? p.slice(FIXTURES.length) : p })),
    { progress: false, ...options },
  );
  const scan = await source.scan((claim, at) => claims.push({ claim: { ...claim }, at }));
  return { claims, scan };
}

export const CANONICAL_HEADER =
  'claim_id,patient_id,category,institution_id,out_of_region,setting,service_date,los_days,drg_code,dip_code,total_cost,fund_paid,patient_paid,reverses';
