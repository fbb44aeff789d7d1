// Bilingual texts of every claims-file rule. Rule ids are stable (they appear in the error report).
import type { InputError } from '../domain/types.js';

export interface At {
  readonly file: string;
  readonly row?: number;
  readonly column?: string; // "fund_paid (统筹基金支付)": canonical name and the header as found
  readonly value?: string;
}

function err(at: At, rule: string, zh: string, en: string): InputError {
  const e: { -readonly [K in keyof InputError]: InputError[K] } = { file: at.file, rule, zh, en };
  if (at.row !== undefined) e.row = at.row;
  if (at.column !== undefined) e.column = at.column;
  if (at.value !== undefined) e.value = at.value;
  return e;
}

const q = (v: string | undefined): string => `"${v ?? ''}"`;

export const msg = {
  unreadable: (at: At, reason: string) =>
    err(at, 'file.unreadable', `无法读取文件：${reason}`, `cannot read the file: ${reason}`),
  encoding: (at: At, encoding: string) =>
    err(
      at,
      'file.encoding',
      `文件内容不是有效的 ${encoding} 编码（可用 --encoding 指定 utf-8 或 gb18030）`,
      `the file is not valid ${encoding} text (use --encoding utf-8 or gb18030)`,
    ),
  unknownEncoding: (at: At, encoding: string) =>
    err(
      at,
      'file.encodingName',
      `不支持的编码 "${encoding}"，应为 utf-8、gb18030 或 auto`,
      `unsupported encoding "${encoding}"; use utf-8, gb18030 or auto`,
    ),
  noHeader: (at: At) => err(at, 'file.empty', '文件为空，缺少表头行', 'the file is empty: no header row'),
  format: (at: At, reason: string) =>
    err(at, 'file.format', `不是有效的 Excel（.xlsx）文件：${reason}`, `not a valid Excel (.xlsx) file: ${reason}`),
  noSheet: (at: At, sheet: string, names: readonly string[]) =>
    err(
      at,
      'file.sheet',
      `找不到工作表 "${sheet}"（现有：${names.join('、')}）`,
      `no sheet named "${sheet}" (sheets: ${names.join(', ')})`,
    ),
  missingColumn: (at: At, col: string, zh: string) =>
    err(at, 'header.missing', `缺少必填列 ${col}（${zh}）`, `required column ${col} (${zh}) is missing`),
  duplicateColumn: (at: At, col: string, first: string, second: string) =>
    err(
      at,
      'header.duplicate',
      `列 ${col} 出现两次（"${first}" 与 "${second}"）`,
      `column ${col} appears twice ("${first}" and "${second}")`,
    ),
  quote: (at: At) =>
    err(at, 'csv.quote', '引号未闭合：文件可能被截断', 'unterminated quoted field: the file may be truncated'),
  required: (at: At) => err(at, 'required', `${at.column} 不能为空`, `${at.column} is required`),
  date: (at: At) =>
    err(
      at,
      'date',
      `${at.column} 的值 ${q(at.value)} 不是有效日期（应为 YYYY-MM-DD 或 YYYY/MM/DD）`,
      `${at.column} ${q(at.value)} is not a valid date (YYYY-MM-DD or YYYY/MM/DD)`,
    ),
  outsideYear: (at: At, year: number) =>
    err(
      at,
      'date.outsideYear',
      `${at.column} 的值 ${q(at.value)} 不在结算年度 ${year} 内`,
      `${at.column} ${q(at.value)} is outside the settlement year ${year}`,
    ),
  amount: (at: At) =>
    err(
      at,
      'amount',
      `${at.column} 的值 ${q(at.value)} 不是金额（元，最多两位小数）`,
      `${at.column} ${q(at.value)} is not an amount in yuan with at most two decimals`,
    ),
  negative: (at: At) =>
    err(
      at,
      'amount.negative',
      `${at.column} 不能为负数（冲销行须填写原结算单据号）`,
      `${at.column} must not be negative (a reversal row must name the claim it reverses)`,
    ),
  fundExceedsTotal: (at: At, fund: string, total: string) =>
    err(
      at,
      'amount.fundExceedsTotal',
      `统筹基金支付 ${fund} 大于医疗总费用 ${total}`,
      `fund_paid ${fund} exceeds total_cost ${total}`,
    ),
  sumExceedsTotal: (at: At, fund: string, patient: string, total: string) =>
    err(
      at,
      'amount.sumExceedsTotal',
      `统筹基金支付 ${fund} 与个人负担 ${patient} 之和大于医疗总费用 ${total}`,
      `fund_paid ${fund} plus patient_paid ${patient} exceeds total_cost ${total}`,
    ),
  enumValue: (at: At, options: string) =>
    err(
      at,
      'enum',
      `${at.column} 的值 ${q(at.value)} 无效，应为 ${options}`,
      `${at.column} ${q(at.value)} is not one of ${options}`,
    ),
  losDays: (at: At) =>
    err(
      at,
      'losDays',
      `${at.column} 的值 ${q(at.value)} 应为非负整数`,
      `${at.column} ${q(at.value)} must be a whole number ≥ 0`,
    ),
  losRequired: (at: At) =>
    err(at, 'losDays.required', `住院结算必须填写 ${at.column}`, `${at.column} is required for inpatient claims`),
  duplicateId: (at: At, firstFile: string, firstRow: number) =>
    err(
      at,
      'claimId.duplicate',
      `结算单据号 ${q(at.value)} 重复（首次出现在 ${firstFile} 第 ${firstRow} 行）`,
      `claim_id ${q(at.value)} is a duplicate (first seen in ${firstFile} row ${firstRow})`,
    ),
  reversalSelf: (at: At) =>
    err(at, 'reversal.self', '冲销行不能冲销自身', 'a reversal cannot reverse itself'),
  reversalSign: (at: At) =>
    err(
      at,
      'reversal.sign',
      `冲销行的金额应为负数或零（${at.column}）`,
      `a reversal's amounts must be negative or zero (${at.column})`,
    ),
  reversalUnknown: (at: At) =>
    err(
      at,
      'reversal.unknown',
      `被冲销的结算单据号 ${q(at.value)} 不存在于本次导入的文件中`,
      `the reversed claim ${q(at.value)} is not in the files of this run`,
    ),
  reversalMismatch: (at: At) =>
    err(
      at,
      'reversal.mismatch',
      `冲销行的机构与金额必须与原结算 ${q(at.value)} 相同、金额取负（部分更正请冲销后重新结算）`,
      `a reversal must have the institution of claim ${q(at.value)} and exactly the negatives of its amounts (for a partial correction, reverse and settle again)`,
    ),
  reversalTwice: (at: At) =>
    err(at, 'reversal.twice', `结算单据 ${q(at.value)} 被冲销了不止一次`, `claim ${q(at.value)} is reversed more than once`),
  reversalOfReversal: (at: At) =>
    err(
      at,
      'reversal.ofReversal',
      `${q(at.value)} 本身是冲销行，不能再被冲销`,
      `${q(at.value)} is itself a reversal and cannot be reversed`,
    ),
} as const;
