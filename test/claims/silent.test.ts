// Issue 11 "no silent wrong money": each input that once settled to a wrong result is now read exactly right or
// stops with a bilingual error naming file, row and column. One golden test per item.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputRejected } from '../../src/domain/errors.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { CANONICAL_HEADER, importFiles, tmp, writeTmp } from './helpers.js';

const dir = tmp();
const row = (id: string, inst: string, total: string, fund: string, patient = '', date = '2024-03-01') =>
  `${id},P1,employee,${inst},false,outpatient,${date},,,,${total},${fund},${patient},`;
const csv = (...rows: string[]) => [CANONICAL_HEADER, ...rows].join('\r\n');
const brief = (errors: readonly { row?: number; column?: string; value?: string; rule: string; zh: string; en: string }[]) =>
  errors.map(({ row, column, value, rule, zh, en }) => ({ row, column, value, rule, zh, en }));

describe('1. CR-only line endings and empty exports', () => {
  it('reads a "CSV (Macintosh)" file (CR line ends) row by row', async () => {
    const lines = readFileSync('data/claims-2024.csv', 'utf8').split('\n').slice(0, 3);
    const p = writeTmp(dir, 'mac.csv', lines.join('\r'));
    const { claims, scan } = await importFiles([p]);
    expect(scan.errors).toEqual([]);
    expect(claims.map((c) => [c.claim.claimId, c.at.row])).toEqual([
      ['JS2024000000001', 2],
      ['JS2024000000002', 3],
    ]);
  });

  it('a claims file with a header and no rows is an error', async () => {
    const p = writeTmp(dir, 'header-only.csv', `${CANONICAL_HEADER}\r\n\r\n`);
    const { scan } = await importFiles([p]);
    expect(brief(scan.errors)).toEqual([
      {
        row: undefined, column: undefined, value: undefined, rule: 'file.noRows',
        zh: '文件只有表头，没有结算数据行（空的导出不是一个真实的月份，请检查导出条件）',
        en: 'the file has a header but no claim rows (an empty export is never a real month: check the export)',
      },
    ]);
  });
});

describe('2. an unclosed quote never swallows rows', () => {
  it('stops at the row where the quote opened', async () => {
    const p = writeTmp(dir, 'open.csv', csv(`${row('A', 'H01', '10', '6', '4')}"`, row('B', 'H01', '10', '6', '4'), `${row('C', 'H01', '10', '6', '4')}"`, row('D', 'H01', '10', '6', '4')));
    const { claims, scan } = await importFiles([p]);
    expect(claims).toEqual([]);
    expect(brief(scan.errors)).toEqual([
      {
        row: 2, column: undefined, value: undefined, rule: 'csv.lineBreak',
        zh: '第 2 行第 14 个字段的引号在本行内没有闭合（引号未闭合，或单元格内有换行）；结算明细的任何列都不能含换行，请检查该行及其后各行',
        en: 'the quoted field 14 of row 2 does not close on its line (an unclosed quote, or a line break inside a cell); no claims column may hold a line break: check this row and the rows after it',
      },
    ]);
  });
});

describe('3. codes that differ only invisibly', () => {
  it('reads H01 with a no-break space, BOM, zero-width space or in full width as H01', async () => {
    const p = writeTmp(dir, 'codes.csv', csv(row('A', 'H01\u00A0', '10', '6'), row('B', '\uFEFFH01', '10', '6'), row('C', 'H\u200B01', '10', '6'), row('D', 'Ｈ０１', '10', '6')));
    const { claims, scan } = await importFiles([p], { members: ['H01', 'T01'] });
    expect(scan.errors).toEqual([]);
    expect(claims.map((c) => c.claim.institutionId)).toEqual(['H01', 'H01', 'H01', 'H01']);
  });

  it('stops on a non-member code that looks like a member ("h01")', async () => {
    const p = writeTmp(dir, 'lower.csv', csv(row('A', 'h01', '10', '6'), row('B', 'X99', '10', '6')));
    const { scan } = await importFiles([p], { members: ['H01', 'T01'] });
    expect(brief(scan.errors)).toEqual([
      {
        row: 2, column: 'institution_id', value: 'h01', rule: 'code.looksLikeMember',
        zh: 'institution_id 的值 "h01" 不是成员单位编码，但看起来像成员单位 H01（仅大小写、全角、空白、标点、形近字母或前导零不同）；请改为 H01，或确认这是医共体外的机构',
        en: 'institution_id "h01" is not a member\'s code but looks like member H01 (differs only in case, full-width forms, spaces, punctuation, look-alike letters or leading zeros): write H01, or check the institution is outside the group',
      },
    ]);
  });

  it("stops on codes a clerk would not tell from a member's: Excel's leading ', punctuation, O for 0, I for 1, Cyrillic Н, leading zeros", async () => {
    const near = ["'H01", 'H-01', 'H001', 'H1', 'HO1', 'H0I', '\u041D01', 'H01.', 'H_01'];
    const p = writeTmp(dir, 'near.csv', csv(...near.map((c, i) => row(`N${i}`, c, '10', '6')), row('Z', 'X99', '10', '6'), row('Y', 'H011', '10', '6')));
    const { scan } = await importFiles([p], { members: ['H01', 'T01'] });
    expect(scan.errors.map((e) => `${e.value} ${e.rule}`)).toEqual(near.map((c) => `${c} code.looksLikeMember`));
  });

  it('refuses member ids in the scenario that are not written plainly', () => {
    const d = tmp();
    const yaml = readFileSync('scenarios/demo.yaml', 'utf8').replace('{ id: T01,', '{ id: "Ｔ01",').replace('{ id: T02,', '{ id: t01,');
    writeFileSync(join(d, 'demo.yaml'), yaml.replace(/\.\.\/data\//g, `${resolve('data')}/`));
    let rules: string[] = [];
    try {
      loadScenarioFile(join(d, 'demo.yaml'));
    } catch (e) {
      rules = (e as InputRejected).errors.map((x) => `${x.path} ${x.rule}: ${x.zh} / ${x.en}`);
    }
    expect(rules).toContain('group.members[1].id member.code: 成员单位编码 "Ｔ01" 含全角字符、不可见字符或首尾空格，请写作 "T01" / member id "Ｔ01" holds full-width, invisible or edge space characters: write "T01"');
  });
});

describe('4. decimal commas', () => {
  it('accepts commas only as thousands separators in groups of three', async () => {
    const p = writeTmp(dir, 'commas.csv', csv(row('A', 'H01', '"1,234.56"', '"1,000.00"'), row('B', 'H01', '"12,50"', '1'), row('C', 'H01', '"1,2,3.00"', '1'), row('D', 'H01', '"1,234,567"', '"1,234"')));
    const { claims, scan } = await importFiles([p]);
    expect(claims.map((c) => [c.claim.claimId, c.claim.totalCost, c.claim.fundPaid])).toEqual([
      ['A', 123456, 100000],
      ['D', 123456700, 123400],
    ]);
    expect(brief(scan.errors)).toEqual([
      {
        row: 3, column: 'total_cost', value: '12,50', rule: 'amount',
        zh: 'total_cost 的值 "12,50" 不是金额（元，最多两位小数）', en: 'total_cost "12,50" is not an amount in yuan with at most two decimals',
      },
      {
        row: 4, column: 'total_cost', value: '1,2,3.00', rule: 'amount',
        zh: 'total_cost 的值 "1,2,3.00" 不是金额（元，最多两位小数）', en: 'total_cost "1,2,3.00" is not an amount in yuan with at most two decimals',
      },
    ]);
  });
});

describe('5. total ≠ fund + patient', () => {
  it('is a row error', async () => {
    const p = writeTmp(dir, 'sum.csv', csv(row('A', 'H01', '100.00', '60.00', '30.00'), row('B', 'H01', '100.00', '60.00', '40.00')));
    const { claims, scan } = await importFiles([p]);
    expect(claims.map((c) => c.claim.claimId)).toEqual(['B']);
    expect(brief(scan.errors)).toEqual([
      {
        row: 2, column: 'patient_paid', value: '30.00', rule: 'amount.sumNotTotal',
        zh: '统筹基金支付 60.00 加个人负担 30.00 不等于医疗总费用 100.00', en: 'fund_paid 60.00 plus patient_paid 30.00 does not make total_cost 100.00',
      },
    ]);
  });
});

describe('6. amounts beyond a claim ceiling', () => {
  it('one claim may carry at most 1亿 yuan', async () => {
    const p = writeTmp(dir, 'big.csv', csv(row('A', 'H01', '100000000.00', '1'), row('B', 'H01', '9999999999999.99', '1')));
    const { claims, scan } = await importFiles([p]);
    expect(claims.map((c) => c.claim.totalCost)).toEqual([10_000_000_000]);
    expect(brief(scan.errors)).toEqual([
      {
        row: 3, column: 'total_cost', value: '9999999999999.99', rule: 'amount.tooLarge',
        zh: 'total_cost 的值 "9999999999999.99" 超过单笔结算上限 1亿元（100,000,000.00），请核对是否多了位数',
        en: 'total_cost "9999999999999.99" exceeds the ceiling of one claim, 100,000,000.00 yuan (1亿): check for extra digits',
      },
    ]);
  });
});

describe('8. a GBK-encoded scenario file', () => {
  it('reads as the same scenario as its UTF-8 original (no garbled names)', () => {
    const d = tmp();
    const text = readFileSync('scenarios/demo.yaml', 'utf8').replace(/\.\.\/data\//g, `${resolve('data')}/`);
    writeFileSync(join(d, 'utf8.yaml'), text);
    writeFileSync(join(d, 'gbk.yaml'), execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], { input: text }));
    const gbk = loadScenarioFile(join(d, 'gbk.yaml')).scenario;
    const utf8 = loadScenarioFile(join(d, 'utf8.yaml')).scenario;
    expect(gbk.group.members.map((m) => m.name)).toContain('清溪县人民医院');
    expect(gbk).toEqual(utf8);
  });
});

describe('6. every sum exact or stopped', () => {
  const perDiem = { rules: [{ when: { setting: 'inpatient' }, method: 'perDiem' }], perDiem: { rates: { default: '100000000000' } } };
  const stays = async (n: number, losDays: number) => {
    const { claim } = await import('../helpers/scenario.js');
    return Array.from({ length: n }, () => claim({ institutionId: 'H01', setting: 'inpatient', losDays, totalCost: 100, fundPaid: 100 }));
  };
  const rejection = async (claims: Parameters<typeof import('../helpers/build.js').run>[1]) => {
    const { run } = await import('../helpers/build.js');
    const rejected = await run({ payments: perDiem }, claims).catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(InputRejected);
    return (rejected as InputRejected).errors.map((e) => [e.row, e.rule, e.zh, e.en]);
  };

  it('a claim priced past 2^53 fen is a row error (amount.range), not an exception', async () => {
    expect(await rejection(await stays(1, 999_999))).toEqual([
      [
        2,
        'amount.range',
        '按场景的费率、点值与权重计算，此行的金额超出可精确计算的范围（90万亿元）：请检查 payments 下的费率与权重表',
        "priced with the scenario's rates, point values and weights, this row's amount exceeds the range of exact amounts (90 trillion yuan): check the rates and weight tables under payments",
      ],
    ]);
  });

  it('sums past 2^53 fen stop the run (amount.sumRange) instead of being rounded', async () => {
    expect(await rejection(await stays(3, 400))).toEqual([
      [
        undefined,
        'amount.sumRange',
        '按场景费率与权重计算的金额之和超出可精确计算的范围（90万亿元）：请检查 payments 下的费率、点值与权重表',
        "sums priced with the scenario's rates and weights exceed the range of exact sums (90 trillion yuan): check the rates, point values and weight tables under payments",
      ],
    ]);
  });
});
