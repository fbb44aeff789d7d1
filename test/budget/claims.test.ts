// A history built from claims (`budget --claims YEAR=FILE`) through the importer: fund spend per year, and per
// contract type (column contract_type, Chinese header 签约类型) cost and self-pay per contracted person.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBudgetEstimate, parseClaimsOptions } from '../../src/app/budget.js';
import { Exact } from '../../src/budget/exact.js';
import type { BottomUpEstimate } from '../../src/budget/types.js';
import { formatInputError } from '../../src/cli/errors.js';
import { InputRejected } from '../../src/domain/errors.js';
import { formatFen } from '../../src/domain/money.js';

const dir = mkdtempSync(join(tmpdir(), 'yibao-budget-claims-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

// 2023, Chinese headers. Fund spend = 240 + 150 + 300 + 700 + 40 = 1,430.00 (out-of-group X99 included: the
// population's spend). 高血压: cost 300 + 200 + 400 = 900, self-pay 60 + 50 + 100 = 210, persons {P1, P2} = 2.
const C23 = file(
  'c23.csv',
  `结算单据号,个人编号,人员类别,定点机构编码,异地就医标志,医疗类别,结算日期,医疗总费用,统筹基金支付,个人负担,签约类型
A1,P1,居民,V01,否,门诊,2023-03-01,300.00,240.00,60.00,高血压
A2,P1,居民,V01,否,门诊,2023-06-01,200.00,150.00,50.00,高血压
A3,P2,居民,V01,否,门诊,2023-04-01,400.00,300.00,100.00,高血压
A4,P3,居民,H01,否,门诊,2023-05-01,1000.00,700.00,300.00,
A5,P4,居民,X99,否,门诊,2023-05-02,50.00,40.00,10.00,糖尿病
`,
);
// 2024, canonical headers, with a reversal (冲销) of B3. Fund spend = 400 + 241 + 80 − 80 = 641.00.
// 高血压: cost 500 + 301 + 100 − 100 = 801, self-pay 100 + 60 + 20 − 20 = 160, persons {P1, P5, P6} = 3.
const C24 = file(
  'c24.csv',
  `claim_id,patient_id,category,institution_id,out_of_region,setting,service_date,total_cost,fund_paid,patient_paid,reverses,contract_type
B1,P1,resident,V01,false,outpatient,2024-02-01,500.00,400.00,100.00,,高血压
B2,P5,resident,V01,false,outpatient,2024-02-02,301.00,241.00,60.00,,高血压
B3,P6,resident,V01,false,outpatient,2024-02-03,100.00,80.00,20.00,,高血压
B4,P6,resident,V01,false,outpatient,2024-02-04,-100.00,-80.00,-20.00,B3,高血压
`,
);
const HISTORY = file(
  'h.yaml',
  `year: 2025
total: { growth: "0.1" }
standards:
  - { name: 高血压, method: bottomUp, addOns: { 签约服务费: "70" } }
`,
);

describe('budget --claims', () => {
  it('sums fund spend and per-capita cost and self-pay per contracted person', async () => {
    const run = await runBudgetEstimate(HISTORY, parseClaimsOptions([`2023=${C23}`, `2024=${C24}`]), { progress: false });
    const t = run.estimate.total!;
    // base = (1,430.00 + 641.00) / 2 = 1,035.50; total = 1,035.50 × 1.1 = 1,139.05
    expect(t.input.years.map((y) => y.spend.value.toFixed(2))).toEqual(['1430.00', '641.00']);
    expect(formatFen(t.amount)).toBe('1139.05');
    const s = run.estimate.standards[0] as BottomUpEstimate;
    // 2023: 900 / 2 = 450, 210 / 2 = 105; 2024: 801 / 3 = 267, 160 / 3 = 53.333…
    // M = (450 + 267) / 2 − (105 + 53.333…) / 2 = 358.5 − 79.1666… = 279.3333… → 279.33; standard 349.33
    expect(s.input.years.map((y) => [y.fromClaims?.persons, y.perCapitaCost.value.toFixed(2), y.perCapitaSelfPay.value.toFixed(4)])).toEqual([
      [2, '450.00', '105.0000'],
      [3, '267.00', '53.3333'],
    ]);
    expect(s.mExact.equals(Exact.ratio(838n, 3n))).toBe(true);
    expect(formatFen(s.m)).toBe('279.33');
    expect(formatFen(s.standard)).toBe('349.33');
    expect(run.unmatchedContractTypes).toEqual(['糖尿病']);
    expect(run.inputs.map((i) => [i.role, i.year])).toEqual([
      ['history', undefined],
      ['claims', 2023],
      ['claims', 2024],
    ]);
  });

  it('stops on the importer’s row errors and on rows dated outside their year, all listed', async () => {
    const bad = file(
      'bad23.csv',
      `结算单据号,个人编号,人员类别,定点机构编码,异地就医标志,医疗类别,结算日期,医疗总费用,统筹基金支付,签约类型
A1,P1,居民,V01,否,门诊,2024-01-01,300.00,240.00,高血压
A2,P1,居民,V01,否,门诊,2023-06-01,200.00,250.00,高血压
`,
    );
    let errors: string[] = [];
    try {
      await runBudgetEstimate(HISTORY, parseClaimsOptions([`2023=${bad}`]), { progress: false });
    } catch (e) {
      errors = (e as InputRejected).errors.map(formatInputError);
    }
    expect(errors).toHaveLength(2);
    expect(errors[1]).toContain('row 3');
    expect(errors[1]).toContain('fund_paid');
    expect(errors[0]).toBe(
      `${bad}, row 2, column service_date [2024-01-01]: 结算日期 2024-01-01 不在 2023 年内（该文件按 --claims 2023=… 计入 2023 年） / service_date 2024-01-01 is outside 2023 (the file is counted as 2023 by --claims 2023=…) (date.outsideYear)`,
    );
  });

  it('a --claims value that is not YEAR=FILE is an input error', () => {
    expect(() => parseClaimsOptions(['claims.csv'])).toThrow(InputRejected);
  });
});
