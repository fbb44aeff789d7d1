// The CSV fast path (fastRows.ts: records checked in place, cells memoised by their raw text) against RowChecker on
// the same files: the same claims, field for field and in the same key order, the same errors, the same counts.
// Random files mix plain rows with the cells the fast path must hand over or memoise exactly: edges to trim, full-width
// and zero-width characters, look-alike member codes, other date forms and years, thousands separators, Chinese values.
// YIBAO_CSV_FAST=never sends every row through RowChecker; YIBAO_CSV_WASM=never leaves out the bulk tier
// (recordScan.ts), whose own record-by-record test is record-scan.test.ts.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportOptions } from '../../src/claims/index.js';
import { importFiles, tmp, writeTmp } from './helpers.js';

const dir = tmp();
let n = 0;
afterEach(() => {
  delete process.env.YIBAO_CSV_FAST;
  delete process.env.YIBAO_CSV_WASM;
});

const MEMBERS = ['H01', 'T01', 'T02', 'V01'];
const OPTIONS: ImportOptions = { year: 2024, members: MEMBERS };

const HEADER = [
  'claim_id', 'patient_id', 'category', 'institution_id', 'out_of_region', 'setting', 'service_date', 'los_days', 'drg_code',
  'dip_code', 'total_cost', 'fund_paid', 'patient_paid', 'reverses', 'referral', 'referred_from', 'contract_type',
  'critical_paid', 'assistance_paid', 'other_paid',
];
const ZH_HEADER = ['结算单据号', '个人编号', '人员类别', '定点机构编码', '异地就医标志', '医疗类别', '结算日期', '住院天数', 'DRG分组编码', '病种编码', '医疗总费用', '统筹基金支付', '个人负担'];

/** A plain row (canonical columns), amounts consistent. */
const plainRow = fc
  .record({
    id: fc.integer({ min: 1, max: 40 }),
    patient: fc.integer({ min: 1, max: 9 }),
    category: fc.constantFrom('employee', 'resident', 'poverty', '职工', '居民'),
    institution: fc.constantFrom('H01', 'T01', 'T02', 'V01', 'X01', 'Y02'),
    oor: fc.constantFrom('false', 'true', '', '是', '否', '0'),
    setting: fc.constantFrom('inpatient', 'outpatient', '住院', '门诊'),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
    los: fc.integer({ min: 1, max: 30 }),
    drg: fc.constantFrom('', 'ES21', 'FR23', 'GB19'),
    dip: fc.constantFrom('', 'I63.9', 'K35.8'),
    total: fc.integer({ min: 0, max: 5_000_000 }),
    share: fc.integer({ min: 0, max: 100 }),
    referral: fc.constantFrom('', 'up', 'down', '上转'),
    from: fc.constantFrom('', 'T01', 'X01'),
    contract: fc.constantFrom('', '家庭医生', 'basic'),
    critical: fc.integer({ min: 0, max: 100 }),
  })
  .map((r) => {
    const fund = Math.floor((r.total * r.share) / 200);
    const critical = Math.min(r.critical, r.total - fund);
    const yuan = (f: number) => `${Math.floor(f / 100)}.${String(f % 100).padStart(2, '0')}`;
    return [
      `C${r.id}`, `P${r.patient}`, r.category, r.institution, r.oor, r.setting,
      `2024-${String(r.month).padStart(2, '0')}-${String(r.day).padStart(2, '0')}`, String(r.los), r.drg, r.dip,
      yuan(r.total), yuan(fund), yuan(r.total - fund - critical), '', r.referral, r.from, r.contract, yuan(critical), '', '',
    ];
  });

/** Cells that look plain to a quick eye but are not, or that the checks refuse. */
const tricky = fc.constantFrom(
  '', ' ', ' H01', 'H01 ', 'Ｈ０１', 'h01', 'H 01', '\u200bH01', 'H01\u3000', '\u00a0T01', 'Ｃ1', 'C1 ', ' C2',
  '1,234.50', '+1.00', '12.', '-0.00', '-5.00', '1.234', '0.5', '00012.30', '12,50', ' 3.00', '3.00 ', '１２', '9999999999999.99',
  '2024/3/5', '20240305', '2024年3月5日', '2024-03-05 10:00', '2023-12-31', '2025-01-01', ' 2024-03-05', '2024-02-30', '2024-13-01',
  '　住院', 'INPATIENT', 'Outpatient', ' resident', 'TRUE', '1', 'Y', 'up ', 'DOWN', '上转', 'sideways',
  'ES21 ', 'ｅｓ２１', 'I63.9\u200b', '7', '0', '-1', '3.5', '1000000', 'C3', 'P1', '住院', '是', '否', '职工', '居民', '建档立卡',
);

const file = fc.record({
  rows: fc.array(plainRow, { minLength: 1, maxLength: 25 }),
  edits: fc.array(fc.tuple(fc.nat(), fc.nat(), tricky), { maxLength: 10 }),
  reversals: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 3 }),
  crlf: fc.boolean(),
});

/** Imports a file three ways: the fast path with its bulk tier, without it (YIBAO_CSV_WASM=never), and RowChecker only. */
async function both(text: string, options: ImportOptions = OPTIONS) {
  const p = writeTmp(dir, `f${n++}.csv`, text);
  const fast = await importFiles([p], options);
  process.env.YIBAO_CSV_WASM = 'never';
  const js = await importFiles([p], options);
  delete process.env.YIBAO_CSV_WASM;
  process.env.YIBAO_CSV_FAST = 'never';
  const slow = await importFiles([p], options);
  delete process.env.YIBAO_CSV_FAST;
  return { fast, js, slow };
}

function expectSame(r: Awaited<ReturnType<typeof both>>) {
  // JSON keeps the key order: one object shape per file, whichever path made the claim.
  for (const fast of [r.fast, r.js]) {
    expect(JSON.stringify(fast.claims)).toBe(JSON.stringify(r.slow.claims));
    expect(fast.scan.errors).toEqual(r.slow.scan.errors);
    expect(fast.scan.errorCount).toBe(r.slow.scan.errorCount);
    expect(fast.scan.rows).toBe(r.slow.scan.rows);
    expect(fast.scan.files).toEqual(r.slow.scan.files);
  }
}

describe('the CSV fast path', () => {
  it('gives the claims and errors RowChecker gives, on random files with tricky cells', async () => {
    await fc.assert(
      fc.asyncProperty(file, fc.boolean(), async (f, zh) => {
        const rows = f.rows.map((r) => [...r]);
        for (const [r, c, v] of f.edits) rows[r % rows.length][c % HEADER.length] = v;
        for (const [a, b] of f.reversals) {
          // A reversal row of another row: the same id with an R, amounts negated.
          const o = rows[a % rows.length];
          const neg = (v: string) => (v === '' || v.startsWith('-') ? v : `-${v}`);
          const rev = [...o];
          rev[0] = `${o[0]}R${b % 3}`;
          rev[10] = neg(o[10]);
          rev[11] = neg(o[11]);
          rev[12] = neg(o[12]);
          rev[13] = o[0];
          rev[17] = neg(o[17]);
          rows.push(rev);
        }
        const header = zh ? [...ZH_HEADER, ...HEADER.slice(ZH_HEADER.length)] : HEADER;
        const eol = f.crlf ? '\r\n' : '\n';
        const text = [header, ...rows].map((r) => r.join(',')).join(eol) + eol;
        expectSame(await both(text));
      }),
      { numRuns: 200 },
    );
  });

  it('takes plain rows itself and hands over the rest (the same result either way)', async () => {
    const text = [
      HEADER.join(','),
      'C1,P1,employee,H01,false,inpatient,2024-03-05,7,ES21,,12000.50,8400.35,3600.15,,,,,,,',
      'C2,P2,居民,T01,否,门诊,2024-03-06,0,,,235.00,120.00,,,up,T01,家庭医生,,,',
      'C3,P3,resident,Ｔ０１,false,outpatient,2024-03-07,0,,,88.80,60.00,28.80,,,,,,,', // full-width: RowChecker normalises
      'C4,P4,resident,h01,false,outpatient,2024-03-07,0,,,88.80,60.00,28.80,,,,,,,', // looks like H01: an error
      'C5,P5,resident,T02,false,outpatient,2023-12-31,0,,,1.00,0.50,0.50,,,,,,,', // another year: an error
      'C1R,P1,employee,H01,false,inpatient,2024-03-08,7,ES21,,-12000.50,-8400.35,-3600.15,C1,,,,,,',
      'C6,P6,resident,V01,false,outpatient,2024/3/9,0,,,"1,000.00",500.00,500.00,,,,,,,', // quoted: cells
    ].join('\n');
    const r = await both(text);
    expectSame(r);
    expect(r.fast.claims.map((c) => c.claim.claimId)).toEqual(['C1', 'C2', 'C3', 'C1R', 'C6']);
    expect(r.fast.claims[2].claim.institutionId).toBe('T01');
    expect(r.fast.claims[4].claim.serviceDate).toBe('2024-03-09');
    expect(r.fast.scan.errors.map((e) => [e.row, e.rule])).toEqual([
      [5, 'code.looksLikeMember'],
      [6, 'date.outsideYear'],
    ]);
  });

  it('reads the same without a year or members (validate without a scenario)', async () => {
    const text = [HEADER.join(','), 'C1,P1,employee,h01,false,inpatient,2019-03-05,7,ES21,,120.50,84.35,36.15,,,,,,,'].join('\n');
    const r = await both(text, {});
    expectSame(r);
    expect(r.fast.claims[0].claim.serviceDate).toBe('2019-03-05');
  });
});
