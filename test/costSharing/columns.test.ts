// The optional claims columns referral (转诊类型) and referred_from (转出机构编码).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openClaimFiles } from '../../src/claims/index.js';
import type { Claim } from '../../src/domain/types.js';

async function read(csv: string) {
  const dir = mkdtempSync(join(tmpdir(), 'referral-'));
  const path = join(dir, 'c.csv');
  writeFileSync(path, csv);
  const claims: Claim[] = [];
  const scan = await openClaimFiles([{ path, shown: 'c.csv' }], { progress: false }).scan((c) => claims.push({ ...c }));
  return { claims, errors: scan.errors.map((e) => `${e.row} ${e.column} ${e.rule}: ${e.zh} / ${e.en}`) };
}

const HEAD = '结算单据号,个人编号,人员类别,定点机构编码,异地就医标志,医疗类别,结算日期,住院天数,医疗总费用,统筹基金支付,转诊类型,转出机构编码\n';

describe('referral columns', () => {
  it('reads 上转/下转/up/down and the referring institution; empty means not referred', async () => {
    const { claims, errors } = await read(
      HEAD +
        'A1,P1,居民,H01,否,住院,2024-01-02,3,1000,700,上转,T01\n' +
        'A2,P1,居民,T01,否,门诊,2024-01-09,0,100,60,下转,H01\n' +
        'A3,P1,居民,T01,否,门诊,2024-01-10,0,100,60,UP,\n' +
        'A4,P1,居民,T01,否,门诊,2024-01-11,0,100,60,,\n',
    );
    expect(errors).toEqual([]);
    expect(claims.map((c) => [c.referral, c.referredFrom])).toEqual([
      ['up', 'T01'],
      ['down', 'H01'],
      ['up', ''],
      ['', ''],
    ]);
  });

  it('rejects an unknown referral value with a bilingual message', async () => {
    const { errors } = await read(HEAD + 'A1,P1,居民,H01,否,住院,2024-01-02,3,1000,700,平转,T01\n');
    expect(errors).toEqual([
      '2 referral (转诊类型) enum: referral (转诊类型) 的值 "平转" 无效，应为 up/down（上转/下转），或留空 (or empty) / referral (转诊类型) "平转" is not one of up/down（上转/下转），或留空 (or empty)',
    ]);
  });

  it('files without the columns give claims without the fields', async () => {
    const { claims } = await read('claim_id,patient_id,category,institution_id,out_of_region,setting,service_date,total_cost,fund_paid\nA1,P1,resident,H01,false,outpatient,2024-01-02,10,5\n');
    expect('referral' in claims[0]).toBe(false);
  });
});
