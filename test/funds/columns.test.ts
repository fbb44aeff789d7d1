// §10/§13.1 claim columns critical_paid, assistance_paid, other_paid: Chinese headers, defaults and row checks.
import { describe, expect, it } from 'vitest';
import { formatInputError } from '../../src/cli/errors.js';
import { importFiles, tmp, writeTmp } from '../claims/helpers.js';

const HEADER = '结算单据号,个人编号,人员类别,定点机构编码,异地就医标志,医疗类别,结算日期,住院天数,医疗总费用,统筹基金支付,个人负担,大病保险支付,医疗救助支付,兜底保障支付,原结算单据号';

describe('fund columns beside fund_paid', () => {
  it('reads them under their Chinese headers; patient_paid defaults to total − all four', async () => {
    const dir = tmp();
    const path = writeTmp(dir, 'c.csv', `${HEADER}\nA1,P1,居民,H01,否,门诊,2024-01-02,0,100.00,50.00,,20.00,10.00,5.00,\nA2,P1,居民,H01,否,门诊,2024-01-02,0,-100.00,-50.00,,-20.00,-10.00,-5.00,A1\n`);
    const { claims, scan } = await importFiles([path]);
    expect(scan.errors).toEqual([]);
    const [a1, a2] = claims.map((c) => c.claim);
    // 100.00 − (50.00 + 20.00 + 10.00 + 5.00) = 15.00
    expect([a1.fundPaid, a1.criticalPaid, a1.assistancePaid, a1.otherPaid, a1.patientPaid]).toEqual([5000, 2000, 1000, 500, 1500]);
    expect([a2.criticalPaid, a2.assistancePaid, a2.otherPaid, a2.patientPaid]).toEqual([-2000, -1000, -500, -1500]);
  });

  it('a file without them gives claims without the fields (the §4 rules as they are)', async () => {
    const dir = tmp();
    const path = writeTmp(dir, 'c.csv', '结算单据号,个人编号,人员类别,定点机构编码,异地就医标志,医疗类别,结算日期,医疗总费用,统筹基金支付\nB1,P1,居民,H01,否,门诊,2024-01-02,100,60\n');
    const { claims } = await importFiles([path]);
    expect('criticalPaid' in claims[0].claim).toBe(false);
    expect(claims[0].claim.patientPaid).toBe(4000);
  });

  it('rejects negative columns, funds above the total, and funds plus patient_paid above the total', async () => {
    const dir = tmp();
    const rows = [
      'N1,P1,居民,H01,否,门诊,2024-01-02,0,100.00,50.00,,-1.00,,,', // negative critical
      'N2,P1,居民,H01,否,门诊,2024-01-02,0,100.00,50.00,,30.00,20.00,0.01,', // 100.01 > 100.00
      'N3,P1,居民,H01,否,门诊,2024-01-02,0,100.00,50.00,20.00,20.00,10.00,0.01,', // 80.01 + 20.00 > 100.00
    ];
    const path = writeTmp(dir, 'c.csv', `${HEADER}\n${rows.join('\n')}\n`);
    const { scan } = await importFiles([path]);
    expect(scan.errors.map((e) => [e.row, e.rule])).toEqual([
      [2, 'amount.negative'],
      [3, 'amount.fundsExceedTotal'],
      [4, 'amount.fundsPlusPatientNotTotal'],
    ]);
    expect(formatInputError(scan.errors[1])).toContain('各基金支付（统筹、大病保险、医疗救助、其他补助）之和 100.01 大于医疗总费用 100.00');
    expect(formatInputError(scan.errors[2])).toContain('the fund columns (80.01) plus patient_paid 20.00 do not make total_cost 100.00');
  });
});
