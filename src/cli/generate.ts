// `yibao generate SCENARIO --claims N --seed S --out FILE [--format csv|xlsx] [--encoding utf-8|gb18030]
// [--headers canonical|chinese]`: writes seeded synthetic claims (结算明细) for the scenario's group.
import { InputRejected } from '../domain/errors.js';
import { loadScenarioFile } from '../scenario/load.js';
import { CLAIM_MIXES, generateClaims, MIXES, type ClaimMix } from '../generate/claims.js';
import { writeClaims, type ClaimsEncoding, type ClaimsFormat, type ClaimsHeaders } from '../generate/write.js';

export interface GenerateCliOptions {
  claims: number;
  seed: number;
  out: string;
  format?: ClaimsFormat;
  encoding?: ClaimsEncoding;
  headers?: ClaimsHeaders;
  /** A preset mix of claims and columns (default, drg-heavy). */
  mix?: ClaimMix;
}

/** Returns the process exit code: 0 done, 2 bad input (scenario or options). */
export async function runGenerate(scenarioPath: string, opts: GenerateCliOptions): Promise<number> {
  const problems: string[] = [];
  if (!Number.isSafeInteger(opts.claims) || opts.claims < 0) problems.push(`--claims 应为非负整数 / must be a whole number ≥ 0: ${opts.claims}`);
  if (!Number.isSafeInteger(opts.seed)) problems.push(`--seed 应为整数 / must be an integer: ${opts.seed}`);
  if (opts.format !== undefined && opts.format !== 'csv' && opts.format !== 'xlsx') problems.push(`--format 应为 csv 或 xlsx / must be csv or xlsx: ${opts.format}`);
  if (opts.encoding !== undefined && opts.encoding !== 'utf-8' && opts.encoding !== 'gb18030') problems.push(`--encoding 应为 utf-8 或 gb18030 / must be utf-8 or gb18030: ${opts.encoding}`);
  if (opts.headers !== undefined && opts.headers !== 'canonical' && opts.headers !== 'chinese') problems.push(`--headers 应为 canonical 或 chinese / must be canonical or chinese: ${opts.headers}`);
  if (opts.format === 'xlsx' && opts.encoding === 'gb18030') problems.push('XLSX 文件总是 Unicode，--encoding 只适用于 CSV / XLSX is always Unicode; --encoding applies to CSV only');
  if (opts.mix !== undefined && !CLAIM_MIXES.includes(opts.mix)) problems.push(`--mix 应为 ${CLAIM_MIXES.join(' 或 ')} / must be ${CLAIM_MIXES.join(' or ')}: ${opts.mix}`);
  if (!opts.out) problems.push('需要 --out 输出文件 / --out FILE is required');
  if (problems.length > 0) {
    for (const p of problems) process.stderr.write(`${p}\n`);
    return 2;
  }
  let loaded;
  try {
    loaded = loadScenarioFile(scenarioPath);
  } catch (e) {
    if (e instanceof InputRejected) {
      for (const err of e.errors) {
        const where = [err.file, err.row !== undefined ? `row ${err.row}` : undefined, err.path].filter(Boolean).join(' ');
        process.stderr.write(`${where}: ${err.zh} / ${err.en}\n`);
      }
      return 2;
    }
    throw e;
  }
  const claims = generateClaims(loaded.scenario, { claims: opts.claims, seed: opts.seed, mix: opts.mix });
  const columns = MIXES[opts.mix ?? 'default'].columns;
  const rows = await writeClaims(opts.out, claims, { format: opts.format, encoding: opts.encoding, headers: opts.headers, columns });
  process.stderr.write(`已生成 ${rows} 行结算明细 / wrote ${rows} claims → ${opts.out}\n`);
  return 0;
}
