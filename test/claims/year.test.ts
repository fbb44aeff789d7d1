// DOMAIN.md §12.1: in a run for year Y a row dated outside Y is a row error `date.outsideYear`, naming file and row.
// Any caller passes the year through ImportOptions.year (settle and the what-if commands: the scenario's year).
import { describe, expect, it } from 'vitest';
import { claimSourceFor } from '../../src/app/settle.js';
import type { Scenario } from '../../src/domain/types.js';
import { CANONICAL_HEADER, importFiles, tmp, writeTmp } from './helpers.js';

const row = (id: string, date: string) => `${id},P1,employee,H01,false,outpatient,${date},,,,100.00,60.00,40.00,`;
const TABLE = [CANONICAL_HEADER, row('A', '2023-12-31'), row('B', '2024-01-01'), row('C', '2024/12/31'), row('D', '2025-01-01')].join('\n');

describe('the year rule (date.outsideYear)', () => {
  it('rejects rows dated outside the year, naming file, row and column, in Chinese and English', async () => {
    const path = writeTmp(tmp(), 'claims.csv', TABLE);
    const { claims, scan } = await importFiles([path], { year: 2024 });
    expect(claims.map((c) => c.claim.claimId)).toEqual(['B', 'C']);
    expect(scan.errors).toEqual([
      {
        file: path, row: 2, column: 'service_date', value: '2023-12-31', rule: 'date.outsideYear',
        zh: 'service_date 的值 "2023-12-31" 不在结算年度 2024 内',
        en: 'service_date "2023-12-31" is outside the settlement year 2024',
      },
      {
        file: path, row: 5, column: 'service_date', value: '2025-01-01', rule: 'date.outsideYear',
        zh: 'service_date 的值 "2025-01-01" 不在结算年度 2024 内',
        en: 'service_date "2025-01-01" is outside the settlement year 2024',
      },
    ]);
  });

  it('accepts any real date when no year is given (validate without a scenario)', async () => {
    const path = writeTmp(tmp(), 'claims.csv', TABLE);
    const { claims, scan } = await importFiles([path]);
    expect(scan.errors).toEqual([]);
    expect(claims).toHaveLength(4);
  });

  it('settle passes the scenario year (claimSourceFor)', async () => {
    const path = writeTmp(tmp(), 'claims.csv', TABLE);
    const scenario = { year: 2025, claims: [path], claimsAsWritten: ['claims.csv'], group: { members: [{ id: 'H01' }] } } as unknown as Scenario;
    const ids: string[] = [];
    const scan = await claimSourceFor(scenario, { progress: false }).scan((c) => ids.push(c.claimId));
    expect(ids).toEqual(['D']);
    expect(scan.errors.map((e) => [e.file, e.row, e.rule])).toEqual([
      ['claims.csv', 2, 'date.outsideYear'],
      ['claims.csv', 3, 'date.outsideYear'],
      ['claims.csv', 4, 'date.outsideYear'],
    ]);
  });
});
