// A large CJK-heavy workbook, Chinese in shared strings, in "str" cells and in inline strings: every character
// must survive chunk boundaries of the inflated XML (exceljs's streaming reader garbles characters split across
// chunks, exceljs #2063/#2084/#2316).
import ExcelJS from 'exceljs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmp } from './helpers.js';
import { importFiles } from './helpers.js';

const HEADER = ['结算单据号', '个人编号', '人员类别', '定点机构编码', '异地就医标志', '医疗类别', '结算日期', '住院天数', '病种编码', '医疗总费用', '统筹基金支付', '备注'];
const ROWS = 6000;
const CJK = '医疗保险总额打包结算明细𠮷县人民医院乡镇卫生院村卫生室建档立卡城乡居民';

function rowOf(i: number): { id: string; patient: string; remark: string; total: number; fund: number } {
  const chars = Array.from(CJK); // code points: never split 𠮷's surrogate pair
  const k = i % chars.length;
  const patient = `患者${chars.slice(k).join('')}${chars.slice(0, k).join('')}${i}`;
  return { id: `结算${i}`, patient, remark: `${CJK.repeat(3)}${i}`, total: 10000 + i, fund: 6000 + i };
}

async function build(path: string, mode: 'shared' | 'str' | 'inline'): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: mode === 'shared' });
  const ws = wb.addWorksheet('明细');
  const text = (s: string) => (mode === 'inline' ? { richText: [{ text: s }] } : s);
  ws.addRow(HEADER.map(text)).commit();
  for (let i = 0; i < ROWS; i++) {
    const r = rowOf(i);
    ws.addRow([r.id, r.patient, '居民', '县人民医院', '否', '门诊', '2024-06-01', null, `病种${i % 50}`, r.total / 100, r.fund / 100, r.remark].map((v) => (typeof v === 'string' ? text(v) : v))).commit();
  }
  ws.commit();
  await wb.commit();
}

describe('XLSX with Chinese text', () => {
  const dir = tmp();
  for (const mode of ['shared', 'str', 'inline'] as const) {
    it(`keeps every character (${mode} strings)`, async () => {
      const path = join(dir, `${mode}.xlsx`);
      await build(path, mode);
      const { scan, claims } = await importFiles([path]);
      expect(scan.errors).toEqual([]);
      expect(claims).toHaveLength(ROWS);
      claims.forEach(({ claim, at }, i) => {
        const r = rowOf(i);
        expect(at.row).toBe(i + 2);
        expect(claim.claimId).toBe(r.id);
        expect(claim.patientId).toBe(r.patient);
        expect(claim.institutionId).toBe('县人民医院');
        expect(claim.totalCost).toBe(r.total);
        expect(claim.fundPaid).toBe(r.fund);
      });
    }, 20_000);
  }
});
